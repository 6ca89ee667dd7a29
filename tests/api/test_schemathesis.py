"""The whole API fuzzed from its own OpenAPI document (schemathesis): every operation, valid
and invalid inputs, signed in as the city admin and as a unit user, through the real WSGI
application and PostgreSQL. Not one answer may be a 5xx.

Bounded and repeatable: a fixed number of examples per operation and mode, derandomized
(the same requests every run), no example database. Half of the path ids are replaced by
ids of real objects of the cast, so that the operations reach their services and not only
their 404. The counts by status are printed (``-s`` shows them) for the closing note.
"""

from __future__ import annotations

import collections
import datetime
import random
from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client
from django.utils.crypto import get_random_string
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.generation.modes import GenerationMode

from gongjian.accounts.models import Role, User
from gongjian.api.tokens import token_create
from gongjian.funds.services import transfer_create
from gongjian.records.services_cards import feedback_enter
from gongjian.rounds.models import DirectoryEntry
from gongjian.rounds.services_choosing import intent_submit
from tests.conftest import Cast, make_user
from tests.funds.conftest import make_pairing
from tests.joint.test_services import make_joint_cast
from tests.rounds.conftest import make_round

EXAMPLES = 8  # per operation, mode and user: ~1,000 requests in all, well under a minute

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _signed_in(user: User) -> dict[str, dict[str, str]]:
    """The cookies and header of a browser session: the session and a CSRF token (the API
    authenticates by session and checks CSRF on writes)."""
    client = Client()
    client.force_login(user)
    token = get_random_string(32)
    cookies = {django_settings.SESSION_COOKIE_NAME: client.cookies[django_settings.SESSION_COOKIE_NAME].value}
    cookies[django_settings.CSRF_COOKIE_NAME] = token
    return {"cookies": cookies, "headers": {"X-CSRFToken": token}}


def _real_ids(cast: Cast) -> dict[str, list[int]]:
    """Ids of real objects by path parameter name, so that fuzzing also reaches found objects."""
    round_ = make_round(cast)
    entry = DirectoryEntry.objects.get(round=round_, village=cast.village)
    intent = intent_submit(actor=cast.unit_user, entry=entry)
    pairings = [
        make_pairing(round_, cast.unit, cast.other_village),
        make_pairing(round_, cast.sibling_unit, cast.sibling_village),
    ]
    transfer = transfer_create(actor=cast.unit_user, pairing=pairings[0], date=datetime.date.today(), amount=100)
    other_village_user = make_user("wangjiagou", Role.VILLAGE_USER, cast.other_village)
    feedback = feedback_enter(actor=other_village_user, pairing=pairings[0], villager_name="王大爷", opinion="修路")
    joint = make_joint_cast(cast).committee
    return {
        "organization_id": [cast.village.pk, cast.unit.pk, cast.sibling_village.pk, cast.other_city.pk],
        "person_id": [],
        "round_id": [round_.pk],
        "intent_id": [intent.pk],
        "pairing_id": [p.pk for p in pairings],
        "run_id": [],
        # Objects of the capability routers, so that their services are reached too.
        "village_id": [cast.village.pk, cast.other_village.pk, cast.sibling_village.pk],
        "transfer_id": [transfer.pk],
        "card_id": [feedback.pk],
        "joint_id": [joint.pk],
        "token_id": [token_create(actor=cast.unit_user, name="fuzz").token.pk],
    }


def _sender(
    operation: Any, mode: GenerationMode, send: Callable[[Any, str], None], ids: dict[str, list[int]]
) -> Callable[[], None]:
    """A hypothesis test sending ``EXAMPLES`` cases of ``operation`` (half of the path ids
    replaced by real ones) through ``send``."""

    @given(case=operation.as_strategy(generation_mode=mode), data=st.data())
    @hypothesis_settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: a 5xx is reported as sent
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any, data: st.DataObject) -> None:
        for name in list(case.path_parameters or {}):
            real = ids.get(name) or []
            if real and data.draw(st.booleans()):
                case.path_parameters[name] = data.draw(st.sampled_from(real))
        send(case, operation.label)

    return run


def fuzz(cast: Cast, user: User) -> collections.Counter[int]:
    """Send every operation's examples, valid and invalid, as ``user``; the statuses counted."""
    app = WSGIHandler()
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    auth = _signed_in(user)
    ids = _real_ids(cast)
    statuses: collections.Counter[int] = collections.Counter()
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15, [op.label for op in operations]

    def send(case: Any, label: str) -> None:
        response = case.call(app=app, headers=auth["headers"], cookies=auth["cookies"])
        statuses[response.status_code] += 1
        if response.status_code >= 500:
            failures.append(f"{label} → {response.status_code}: {case.as_curl_command()}")

    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _sender(operation, mode, send, ids)()
    counts = dict(sorted(statuses.items()))
    print(f"\nschemathesis as {user.username}: {sum(statuses.values())} requests, by status {counts}")
    assert not failures, "\n".join(failures[:20])
    return statuses


@pytest.mark.parametrize("who", ["city_admin", "unit_user"])
def test_no_operation_answers_5xx(cast: Cast, who: str, settings: Any) -> None:
    random.seed(0)
    # The write limit would answer most of the fuzzer's writes with 429 before any service
    # saw them (the limit itself is tested in tests/accounts/test_throttling.py).
    settings.API_WRITE_RATE = "100000/min"
    statuses = fuzz(cast, getattr(cast, who))
    assert sum(statuses.values()) >= 15 * EXAMPLES  # every operation was called
    assert not [status for status in statuses if status >= 500]
    # Found objects were reached, not only 404s and 422s.
    assert statuses[200] > 0
