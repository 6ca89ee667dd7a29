"""Compliance's long work, registered with the jobs (:mod:`gongjian.jobs.work`) from
:class:`gongjian.compliance.apps.ComplianceConfig`: an evaluation of a subtree, the nightly
evaluation of every round, and the overview's export."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from gongjian.audit.services import export_recorded
from gongjian.core.progress import report
from gongjian.jobs.exports import Exporter, register_exporter
from gongjian.jobs.models import Job, JobKind
from gongjian.jobs.work import Outcome, as_of, register, summary_of
from gongjian.orgs.models import Organization
from gongjian.orgs.scope import scope_root, subtree_path


def run_compliance(job: Job) -> Outcome:
    """A compliance evaluation of the starter's subtree."""
    from gongjian.compliance.services import compliance_evaluate

    scope = Organization.objects.get(pk=job.params["scope_id"])
    report(done=0, total=1, stage=_("正在评估 %(scope)s 的全部已签约结对") % {"scope": scope.name})
    summary = compliance_evaluate(actor=job.starter, round_or_scope=scope)  # reports the pairs evaluated
    report(done=summary.pairs, total=summary.pairs, stage=_("评估完成"))
    return Outcome(summary_of(summary), reverse("compliance:index"))


def run_nightly_compliance(job: Job) -> Outcome:
    """The nightly evaluation of every round with signed pairs (was the cron command), one
    round after another, with the reminders that are due."""
    from gongjian.compliance.services import compliance_evaluate
    from gongjian.rounds.models import PairingStatus, Round

    day = as_of(job)
    rounds = list(Round.objects.filter(pairings__status=PairingStatus.SIGNED).distinct().order_by("pk"))
    pairs = 0
    for done, round_ in enumerate(rounds):
        report(done=done, total=len(rounds), stage=_("正在评估轮次：%(name)s") % {"name": round_.name})
        pairs += compliance_evaluate(actor=None, round_or_scope=round_, as_of=day).pairs
    report(done=len(rounds), total=len(rounds), stage=_("评估完成"))
    return Outcome({"rounds": len(rounds), "pairs": pairs, "as_of": day.isoformat()})


def _filters(args: dict[str, Any]) -> Any:
    from gongjian.compliance import selectors

    return selectors.Filters(**args["filters"])


def _count(user: Any, args: dict[str, Any]) -> int:
    from gongjian.compliance import selectors

    return selectors.pair_statuses(user=user, filters=_filters(args)).count()


def _build(user: Any, args: dict[str, Any]) -> bytes:
    from gongjian.compliance.exports import overview_xlsx

    filters = _filters(args)
    data, counts = overview_xlsx(user=user, filters=filters)
    export_recorded(
        "compliance.overview_export",
        actor=user,
        target=scope_root(user),
        scope_path=subtree_path(user) or "",
        format="xlsx",
        **{"year": filters.year, "status": filters.status, "county": filters.county, **counts},
    )
    return data


def _name(user: Any, args: dict[str, Any]) -> str:
    root = scope_root(user)
    year = args["filters"]["year"]
    return _("合规状态-%(scope)s-%(year)s年.xlsx") % {"scope": root.name if root else "", "year": year}


register(JobKind.COMPLIANCE_EVALUATION, run_compliance)
register(JobKind.NIGHTLY_COMPLIANCE, run_nightly_compliance)
register_exporter("compliance_overview", Exporter("合规状态", _count, _build, _name))
