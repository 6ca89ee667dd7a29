"""A signed pairing on the standing cast (the unit with 花家村) and helpers to read the
notifications an event left."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from pytest_django.fixtures import Settings as SettingsFixture

from gongjian.notifications.models import Notification
from gongjian.rounds.models import Pairing
from tests.conftest import Cast
from tests.records.conftest import backdate_term, sign_pairing
from tests.rounds.conftest import make_round


@pytest.fixture(autouse=True)
def _media(settings: SettingsFixture, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def signed(cast: Cast) -> Pairing:
    """The unit and 花家村, signed, the term begun 1 January of last year."""
    round_ = make_round(cast)
    pairing = sign_pairing(cast, round_)
    backdate_term(round_, datetime.date(datetime.date.today().year - 1, 1, 1))
    return Pairing.objects.select_related("round", "unit", "village").get(pk=pairing.pk)


def about(obj: Any, event: str | None = None) -> list[Notification]:
    """The notifications about ``obj`` (of ``event``), oldest first."""
    from django.contrib.contenttypes.models import ContentType

    rows = Notification.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)
    if event is not None:
        rows = rows.filter(event=event)
    return list(rows.order_by("pk"))


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client
