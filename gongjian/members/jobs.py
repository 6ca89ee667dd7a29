"""The members' long work, registered with the jobs (:mod:`gongjian.jobs.work`) from
:class:`gongjian.members.apps.MembersConfig`: the nightly yearly reminders, the imports and
exports of mobile members and of 1+2 pairs."""

from __future__ import annotations

from typing import Any

from gongjian.jobs.exports import Exporter, register_exporter
from gongjian.jobs.models import Job, JobKind
from gongjian.jobs.work import Outcome, as_of, register, register_importer
from gongjian.members.io_mobile import export_members, import_members
from gongjian.members.io_pairs import export_pairs, import_pairs


def run_members_reminders(job: Job) -> Outcome:
    """Today's yearly reminders for mobile members (七一 letters, 腊月 forums); the service
    never sends the same reminder twice in a year."""
    from gongjian.members.services_reminders import reminders_send

    created = reminders_send(today=as_of(job))
    return Outcome({"reminders": len(created)})


def _mobile_members(user: Any, args: dict[str, Any]) -> int:
    from gongjian.members.selectors_mobile import member_list

    return member_list(user=user).count()


def _mobile_members_file(user: Any, args: dict[str, Any]) -> bytes:
    return export_members(user=user, fmt=args["fmt"], full=bool(args.get("full")))


def _cadre_pairs(user: Any, args: dict[str, Any]) -> int:
    from gongjian.members.models import PairStatus
    from gongjian.members.selectors_pairs import cadre_pair_list

    return cadre_pair_list(user=user).filter(status=PairStatus.ACTIVE).count()


def _cadre_pairs_file(user: Any, args: dict[str, Any]) -> bytes:
    return export_pairs(user=user, fmt=args["fmt"], full=bool(args.get("full")))


register(JobKind.MEMBERS_REMINDERS, run_members_reminders)
register_importer("members", import_members, page="members:index")
register_importer("pairs", import_pairs, page="members:index")
register_exporter("mobile_members", Exporter("流动党员", _mobile_members, _mobile_members_file))
register_exporter("cadre_pairs", Exporter("1+2结对", _cadre_pairs, _cadre_pairs_file))
