"""The data migration that copies rounds.Notification's messages into this app's store is
reversible: forward copies each one (unread, its original time), backward removes the copies."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.conftest import Cast

BEFORE = [("notifications", "0001_initial")]
AFTER = [("notifications", "0002_absorb_rounds_notifications")]


@pytest.mark.django_db(transaction=True)
def test_legacy_notifications_are_copied_and_uncopied(cast: Cast) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    rounds_leaf = [node for node in executor.loader.graph.leaf_nodes() if node[0] == "rounds"]
    old_apps = executor.loader.project_state(BEFORE + rounds_leaf).apps
    legacy = old_apps.get_model("rounds", "Notification")
    stamp = timezone.now() - datetime.timedelta(days=40)
    made = legacy.objects.create(organization_id=cast.unit.pk, title="结对调整", body="原因：长期未开展活动")
    legacy.objects.filter(pk=made.pk).update(created_at=stamp)
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        new = executor.loader.project_state(AFTER + rounds_leaf).apps.get_model("notifications", "Notification")
        [copy] = new.objects.filter(key=f"legacy:{made.pk}")
        assert (copy.organization_id, copy.title, copy.body, copy.event) == (
            cast.unit.pk,
            "结对调整",
            "原因：长期未开展活动",
            "message",
        )
        assert copy.created_at == stamp and copy.done_at is None

        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)
        assert not new.objects.filter(key__startswith="legacy:").exists()
        assert legacy.objects.filter(pk=made.pk).exists()  # the rounds table is left as it was
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
