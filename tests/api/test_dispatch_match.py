"""Starting a matching run and appointing by hand over the API, with the standing cast: the
county's organization department succeeds (the run is a job, /api/jobs/{id}), an outsider
gets 404, a refusal is a 409/422 with a Chinese detail."""

from __future__ import annotations

from django.utils import timezone

from gongjian.dispatch.models import Appointment, MatchRun
from gongjian.jobs.models import Job, JobState
from tests.api.helpers import assert_refused, bearer, post, session
from tests.conftest import Cast
from tests.dispatch.conftest import (  # noqa: F401
    POLICY_KEY,
    MakeCandidate,
    make_candidate,
    needs,
    policy_dir,
    skills,
)


def test_run_started_as_a_job(cast: Cast, skills, make_candidate: MakeCandidate, policy_dir) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    body = {"policy_key": POLICY_KEY}
    assert post(session(cast.unit_user), "/api/dispatch/runs/", body).status_code == 403
    unknown = assert_refused(post(session(cast.committee_admin), "/api/dispatch/runs/", {"policy_key": "nope"}), (422,))
    assert unknown["field"] == "policy_key"
    # Nothing in the pool yet: refused inside the request (the test profile runs jobs at once).
    empty = assert_refused(post(session(cast.committee_admin), "/api/dispatch/runs/", body), (409,))
    assert "人才库" in empty["detail"]
    make_candidate()
    needs(cast, cast.village, skills, ("agriculture",))
    client, _secret = bearer(cast.committee_admin)
    started = post(client, "/api/dispatch/runs/", body)
    assert started.status_code == 202, started.content
    job = started.json()
    assert job["state"] == JobState.DONE and job["kind"] == "dispatch_match"
    assert client.get(f"/api/jobs/{job['id']}").json()["id"] == job["id"]
    run = MatchRun.objects.get()
    assert Job.objects.get(pk=job["id"]).result["run"] == run.pk
    assert client.get(f"/api/dispatch/runs/{run.pk}").json()["matched"] == 1
    # The outsider's own (empty) scope: nothing to match, and the county's run stays a 404.
    assert post(session(cast.outsider), "/api/dispatch/runs/", body).status_code == 409
    assert session(cast.outsider).get(f"/api/dispatch/runs/{run.pk}").status_code == 404
    assert session(cast.outsider).get(f"/api/jobs/{job['id']}").status_code == 404


def test_appoint_by_hand(cast: Cast, make_candidate: MakeCandidate, policy_dir) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    candidate = make_candidate()
    url = f"/api/dispatch/candidates/{candidate.pk}/appoint"
    body = {
        "village_id": cast.village.pk,
        "role": "first_secretary",
        "term_start": timezone.localdate().isoformat(),
        "policy_key": POLICY_KEY,
    }
    assert post(session(cast.outsider), url, body).status_code == 404
    assert post(session(cast.sibling_admin), url, body).status_code == 404
    assert post(session(cast.unit_user), url, body).status_code == 403
    outside = post(session(cast.committee_admin), url, {**body, "village_id": cast.sibling_village.pk})
    assert outside.status_code == 404
    assert assert_refused(post(session(cast.committee_admin), url, {**body, "policy_key": "nope"}), (422,))
    done = post(session(cast.committee_admin), url, body)
    assert done.status_code == 201, done.content
    assert done.json()["village"] == "花家村党支部" and done.json()["role"] == "first_secretary"
    assert Appointment.objects.get().candidate_id == candidate.pk
    assert assert_refused(post(session(cast.committee_admin), url, body), (409,))
