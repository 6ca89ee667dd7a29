"""The helping side beyond the one unit (issue 16 point 18; seed 004 doc 1 (三) "机关党组织……鼓励
采取‘机关+企业（事业单位）’等形式，开展组合式帮扶"; (十) "各单位结对帮扶工作在本级党委统一领导下
进行，要明确分管领导和负责部门，研究制定结对帮扶方案").

By hand under Shanghai's profile: the agency 农业农村局 paired with 花家村 takes the state
enterprise 商南县供销公司 along — the village's helping side is the agency and the enterprise;
a hospital's pair cannot lead such a combination, and Anhui's profile (doc 2 says nothing of
it) refuses it. Each unit names its leader in charge, department and plan; the round's admin
sees which units with a pair have not.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from gongjian.audit.models import AuditEntry
from gongjian.orgs.models import OrgKind, OrgLevel
from gongjian.rounds.errors import RoundActionRefused
from gongjian.rounds.models import PairingStatus
from tests.conftest import Cast, make_org
from tests.rounds.seed_rounds import client_for, pair, profile_round, user_of

pytestmark = pytest.mark.django_db
PLAN = {"leader_name": "李建国", "leader_post": "副局长", "department": "机关党委办公室", "plan": "帮建茶园100亩"}


def test_an_agency_and_an_enterprise_help_one_village_together(cast: Cast) -> None:
    from gongjian.rounds.services_helping import pairing_partner_add

    enterprise = make_org(cast.county, "C0012", "商南县供销公司党委", OrgLevel.COMMITTEE, OrgKind.STATE_ENTERPRISE)
    round_ = profile_round(cast, "shanghai")
    agency_pair = pair(round_, cast.unit, cast.village, PairingStatus.SIGNED)
    pairing_partner_add(actor=cast.unit_user, pairing=agency_pair, partner=enterprise)
    helping = [agency_pair.unit.name, *agency_pair.partners.values_list("partner__name", flat=True)]
    assert helping == [cast.unit.name, enterprise.name]
    assert AuditEntry.objects.filter(action="pairing.partner_add", success=True).count() == 1
    page = client_for(cast.unit_user).get(reverse("rounds:pairings", args=[round_.pk])).content.decode()
    assert f"组合帮扶：{enterprise.name}" in page

    with pytest.raises(RoundActionRefused) as again:
        pairing_partner_add(actor=cast.city_admin, pairing=agency_pair, partner=enterprise)
    assert again.value.code == "duplicate"
    hospital_pair = pair(round_, cast.sibling_unit, cast.sibling_village, PairingStatus.SIGNED)
    with pytest.raises(RoundActionRefused) as not_agency:
        pairing_partner_add(actor=cast.city_admin, pairing=hospital_pair, partner=enterprise)
    assert not_agency.value.code == "not_agency"
    with pytest.raises(RoundActionRefused) as not_partner:
        pairing_partner_add(actor=cast.city_admin, pairing=agency_pair, partner=cast.sibling_unit)
    assert not_partner.value.code == "not_partner"
    with pytest.raises(PermissionDenied):
        pairing_partner_add(actor=cast.village_user, pairing=agency_pair, partner=enterprise)
    assert client_for(cast.outsider).get(reverse("rounds:pairing_partner", args=[agency_pair.pk])).status_code == 404


def test_a_profile_without_the_combination_refuses_it(cast: Cast) -> None:
    from gongjian.rounds.services_helping import pairing_partner_add

    enterprise = make_org(cast.county, "C0012", "商南县供销公司党委", OrgLevel.COMMITTEE, OrgKind.STATE_ENTERPRISE)
    round_ = profile_round(cast, "anhui")
    agency_pair = pair(round_, cast.unit, cast.village, PairingStatus.SIGNED)
    with pytest.raises(RoundActionRefused) as refused:
        pairing_partner_add(actor=cast.city_admin, pairing=agency_pair, partner=enterprise)
    assert refused.value.code == "no_rule"


def test_each_unit_names_its_leader_department_and_plan(cast: Cast) -> None:
    from gongjian.rounds.models import UnitPlan
    from gongjian.rounds.selectors_helping import plan_rows
    from gongjian.rounds.services_helping import unit_plan_save

    round_ = profile_round(cast, "shanghai")
    pair(round_, cast.unit, cast.village, PairingStatus.SIGNED)
    pair(round_, cast.sibling_unit, cast.sibling_village, PairingStatus.SIGNED)
    # By hand: two units with a pair, neither has a plan yet.
    assert [(r.unit, r.plan) for r in plan_rows(round_=round_, scope_path=None)] == [
        (cast.sibling_unit, None), (cast.unit, None)
    ]  # fmt: skip
    unit_plan_save(actor=cast.unit_user, round_=round_, **PLAN)
    rows = plan_rows(round_=round_, scope_path=None)
    assert [r.unit for r in rows] == [cast.sibling_unit, cast.unit]  # the one without a plan first
    assert rows[1].plan is not None and rows[1].plan.department == "机关党委办公室"
    with pytest.raises(RoundActionRefused):
        unit_plan_save(actor=cast.unit_user, round_=round_, **(PLAN | {"department": " "}))
    with pytest.raises(PermissionDenied):
        unit_plan_save(actor=cast.village_user, round_=round_, **PLAN)
    assert UnitPlan.objects.count() == 1

    url = reverse("rounds:unit_plan", args=[round_.pk])
    assert "机关党委办公室" in client_for(cast.unit_user).get(url).content.decode()
    admin_page = client_for(cast.city_admin).get(url).content.decode()
    assert "未填写" in admin_page and cast.sibling_unit.name in admin_page and "帮建茶园100亩" in admin_page
    hospital = client_for(user_of(cast.sibling_unit))
    done = hospital.post(url, PLAN | {"leader_name": "王医生"})
    assert done.status_code == 302 and UnitPlan.objects.filter(unit=cast.sibling_unit).exists()
    for user in (cast.outsider, cast.village_user):
        assert client_for(user).get(url).status_code == 404
