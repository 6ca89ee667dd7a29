"""The helping side beyond the one unit (seed 004 doc 1 (三)(十)): a unit names its 分管领导 and
负责部门 and writes its 帮扶方案 for the round; an agency takes an enterprise or institution along
as co-helper of its pair (“机关+企业（事业单位）”组合式帮扶) where the profile encourages it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from gongjian.accounts.models import User
from gongjian.audit.refusals import audits_refusals
from gongjian.audit.services import audited
from gongjian.orgs.models import Organization, OrgKind
from gongjian.orgs.scope import is_within
from gongjian.policies import load_profile
from gongjian.rounds.access import acting_unit, can_administer
from gongjian.rounds.errors import RoundActionRefused
from gongjian.rounds.models import Pairing, PairingPartner, PairingStatus, Round, RoundUnit, UnitPlan

# Seed 004 doc 1 (三) "机关+企业（事业单位）": who may join an agency's pair as co-helper.
PARTNER_KINDS = frozenset(
    {OrgKind.STATE_ENTERPRISE, OrgKind.PRIVATE_ENTERPRISE, OrgKind.PUBLIC_INSTITUTION, OrgKind.FINANCE}
)


@audits_refusals
def unit_plan_save(
    *, actor: User, round_: Round, leader_name: str, leader_post: str, department: str, plan: str
) -> UnitPlan:
    """The acting unit's 分管领导, 负责部门 and 帮扶方案 for the round (created or replaced)."""
    unit = acting_unit(actor)
    if unit is None or not RoundUnit.objects.filter(round=round_, unit=unit).exists():
        raise PermissionDenied(_("只有本轮的结对单位可以填写结对帮扶方案"))
    values = {
        "leader_name": leader_name.strip(),
        "leader_post": leader_post.strip(),
        "department": department.strip(),
        "plan": plan.strip(),
    }
    with audited("unit_plan.save", actor=actor, target=unit, scope_path=unit.path) as record:
        if not all(values.values()):
            raise RoundActionRefused(_("请填写分管领导及其职务、负责部门和结对帮扶方案"), code="invalid")
        existing = UnitPlan.objects.select_for_update().filter(round=round_, unit=unit).first()
        if existing is not None:
            record.before = {k: getattr(existing, k) for k in ("leader_name", "leader_post", "department")}
        plan_row, _created = UnitPlan.objects.update_or_create(
            round=round_, unit=unit, defaults={**values, "updated_by": actor}
        )
        record.target = plan_row
        record.after = {k: values[k] for k in ("leader_name", "leader_post", "department")} | {
            "plan_chars": len(values["plan"])
        }
    return plan_row


@audits_refusals
def pairing_partner_add(*, actor: User, pairing: Pairing, partner: Organization) -> PairingPartner:
    """An enterprise or institution joins an agency's pair as co-helper (组合式帮扶): by the round's
    admin or by the agency itself, where the round's profile encourages the combination."""
    unit = acting_unit(actor)
    if not can_administer(actor, pairing.round) and (unit is None or unit.pk != pairing.unit_id):
        raise PermissionDenied(_("只有本轮次的管理员或结对的机关单位可以组合帮扶单位"))
    with audited("pairing.partner_add", actor=actor, target=pairing, scope_path=pairing.village.path) as record:
        if not load_profile(pairing.round.policy_key).helping_side.combined_pairing:
            raise RoundActionRefused(
                _("本轮政策配置（%(profile)s）未规定“机关+企业”组合式帮扶") % {"profile": pairing.round.policy_key},
                code="no_rule",
            )
        if pairing.status == PairingStatus.ENDED:
            raise RoundActionRefused(_("该结对已终止"), code="ended")
        if pairing.unit.kind != OrgKind.AGENCY:
            raise RoundActionRefused(_("组合式帮扶由机关党组织牵头"), code="not_agency")
        if partner.kind not in PARTNER_KINDS or not is_within(partner, pairing.round.scope):
            raise RoundActionRefused(
                _("%(name)s不能作为组合帮扶单位：应为本轮范围内的企业、事业单位或金融机构") % {"name": partner.name},
                code="not_partner",
            )
        if PairingPartner.objects.filter(pairing=pairing, partner=partner).exists():
            raise RoundActionRefused(_("%(name)s已是该结对的组合帮扶单位") % {"name": partner.name}, code="duplicate")
        row = PairingPartner.objects.create(pairing=pairing, partner=partner, added_by=actor)
        record.after = {"partner": partner.name, "unit": pairing.unit.name}
    return row
