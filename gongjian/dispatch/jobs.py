"""Dispatch's long work, registered with the jobs (:mod:`gongjian.jobs.work`) from
:class:`gongjian.dispatch.apps.DispatchConfig`: a matching run, the pool's import, the
pool's and the appointments' exports."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from gongjian.core.progress import step
from gongjian.dispatch.tables import candidate_import, export_table
from gongjian.jobs.exports import Exporter, register_exporter
from gongjian.jobs.models import Job, JobKind
from gongjian.jobs.work import Outcome, register, register_importer

# Read the pool and the needs, solve, store (the service reports each step).
MATCH_STEPS = 3


def run_dispatch_match(job: Job) -> Outcome:
    """A matching run of dispatched cadres (dispatch's own service: solve outside any
    transaction, store in a short one that ends the job)."""
    from gongjian.dispatch.services_match import match_run

    step(0, MATCH_STEPS, stage=_("正在读取人才库与村情需求并求解"))
    run = match_run(
        actor=job.starter,  # type: ignore[arg-type]
        policy_key=job.params["policy_key"],
        forbids=[tuple(f) for f in job.params.get("forbids", [])],
    )
    return dispatch_outcome(run)


def dispatch_outcome(run: Any) -> Outcome:
    """A stored matching run as the job's result."""
    return Outcome({"run": run.pk}, reverse("dispatch:run", kwargs={"pk": run.pk}))


def _count(user: Any, args: dict[str, Any]) -> int:
    from gongjian.dispatch import selectors

    listing = selectors.candidate_list if args["sheet"] == "pool" else selectors.appointment_list
    return listing(user=user).count()


def _build(user: Any, args: dict[str, Any]) -> bytes:
    return export_table(user=user, sheet=args["sheet"], fmt=args["fmt"], full=bool(args.get("full")))


register(JobKind.DISPATCH_MATCH, run_dispatch_match, outcome=dispatch_outcome)
register_importer("candidates", candidate_import, page="dispatch:index")
register_exporter("pool", Exporter("人才库", _count, _build))
register_exporter("appointments", Exporter("选派任职", _count, _build))
