"""The unit's order of intents and the round's agreement-PDF job over the API, with the
standing cast: the unit reorders (an outsider 404, a list that is not its active intents a
409/422 in Chinese); the round's admin starts the job (202, the job resource), a unit 403."""

from __future__ import annotations

from typing import Any

from gongjian.jobs.models import Job
from gongjian.rounds.models import DirectoryEntry
from gongjian.rounds.services_choosing import intent_submit
from tests.api.helpers import assert_refused, bearer, post, session
from tests.conftest import Cast
from tests.rounds.conftest import make_round


def put(client: Any, url: str, body: Any) -> Any:
    return client.put(url, body, content_type="application/json")


def test_intents_reordered(cast: Cast) -> None:
    round_ = make_round(cast)
    first, second = (
        intent_submit(actor=cast.unit_user, entry=DirectoryEntry.objects.get(round=round_, village=village))
        for village in (cast.village, cast.other_village)
    )
    url = f"/api/rounds/{round_.pk}/intents/order"
    assert put(session(cast.outsider), url, {"intent_ids": [second.pk, first.pk]}).status_code == 404
    assert put(session(cast.village_user), url, {"intent_ids": [second.pk, first.pk]}).status_code == 403
    client, _secret = bearer(cast.unit_user)
    moved = put(client, url, {"intent_ids": [second.pk, first.pk]})
    assert moved.status_code == 200, moved.content
    assert [(i["id"], i["rank"]) for i in moved.json()] == [(second.pk, 1), (first.pk, 2)]
    assert assert_refused(put(client, url, {"intent_ids": [second.pk]}))


def test_agreement_pdfs_job(cast: Cast) -> None:
    round_ = make_round(cast)
    url = f"/api/rounds/{round_.pk}/agreement-pdfs"
    assert post(session(cast.outsider), url).status_code == 404
    assert post(session(cast.unit_user), url).status_code == 403
    started = post(session(cast.city_admin), url)
    assert started.status_code == 202, started.content
    assert Job.objects.get(pk=started.json()["id"]).kind == "agreement_pdfs"
    assert session(cast.city_admin).get(f"/api/jobs/{started.json()['id']}").status_code == 200
