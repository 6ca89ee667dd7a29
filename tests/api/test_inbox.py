"""The user's inbox over the API: every unread notification marked read at once; the jobs
one started listed, a queued one cancelled (a started one is a 409 in Chinese), an export's
file downloaded; another user's job is a 404."""

from __future__ import annotations

import datetime

from gongjian.jobs.models import Job, JobKind, JobState
from gongjian.records.services_cards import performance_card_save
from gongjian.rounds.models import Pairing
from tests.api.helpers import assert_refused, bearer, post, session
from tests.conftest import Cast


def test_read_all(cast: Cast, signed: Pairing) -> None:
    month = datetime.date.today().replace(day=1)
    performance_card_save(actor=cast.unit_user, pairing=signed, month=month, work="走访", submit=True)
    client, _secret = bearer(cast.village_user)
    assert client.get("/api/notifications/unread-count").json()["unread"] >= 1
    assert post(session(cast.outsider), "/api/notifications/read-all").json() == {"marked": 0}
    marked = post(client, "/api/notifications/read-all")
    assert marked.status_code == 200 and marked.json()["marked"] >= 1
    assert client.get("/api/notifications/unread-count").json()["unread"] == 0


def test_jobs_listed_cancelled_and_downloaded(cast: Cast) -> None:
    queued = Job.objects.create(kind=JobKind.EXPORT, starter=cast.committee_admin, title="导出组织名册")
    done = Job.objects.create(
        kind=JobKind.COMPLIANCE_EVALUATION, starter=cast.committee_admin, title="合规评估", state=JobState.DONE
    )
    client, _secret = bearer(cast.committee_admin)
    listed = client.get("/api/jobs/").json()
    assert [j["id"] for j in listed["items"]] == [done.pk, queued.pk]
    assert session(cast.outsider).get("/api/jobs/").json()["count"] == 0
    assert post(session(cast.outsider), f"/api/jobs/{queued.pk}/cancel").status_code == 404
    cancelled = post(client, f"/api/jobs/{queued.pk}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["state"] == JobState.CANCELLED
    assert assert_refused(post(client, f"/api/jobs/{done.pk}/cancel"), (409,))["code"] == "job_started"
    # Not an export (and another user's job): nothing to download.
    assert client.get(f"/api/jobs/{done.pk}/download").status_code == 404
    assert session(cast.outsider).get(f"/api/jobs/{done.pk}/download").status_code == 404
