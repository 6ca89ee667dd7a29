"""Copy the organization-addressed messages of ``rounds.Notification`` (ended pairs,
compliance reminders, members' yearly reminders) into this app's store, unread, so that the
navigation's list shows them. Reversible: going back removes the copies (keyed
``legacy:<id>``); the rounds table itself is left as it is (members' ReminderLog points at
its rows)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

PREFIX = "legacy:"


def copy(apps: Any, schema_editor: Any) -> None:
    old = apps.get_model("rounds", "Notification")
    new = apps.get_model("notifications", "Notification")
    rows = [
        new(
            event="message",
            organization_id=n.organization_id,
            title=n.title[:200],
            body=n.body,
            key=f"{PREFIX}{n.pk}",
        )
        for n in old.objects.all().iterator()
    ]
    new.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    # auto_now_add stamped them now: give each its original time.
    created = dict(old.objects.values_list("pk", "created_at"))
    for row in new.objects.filter(key__startswith=PREFIX).iterator():
        stamp = created.get(int(row.key[len(PREFIX) :]))
        if stamp is not None:
            new.objects.filter(pk=row.pk).update(created_at=stamp)


def uncopy(apps: Any, schema_editor: Any) -> None:
    apps.get_model("notifications", "Notification").objects.filter(key__startswith=PREFIX).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("rounds", "0002_schedule_renewal_held_rank"),
    ]

    operations = [migrations.RunPython(copy, uncopy)]
