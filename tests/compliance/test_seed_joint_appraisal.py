"""Both sides of a pair are assessed (issue 16 point 15), each verdict computed by hand.

What the seeds say is assessed, on each side:

- seed 002 (Shangnan): "全面推行‘双承诺、双帮扶、双考核、双述职’" — 双考核, both sides assessed.
  The village owes its unit "每季度组织党员进入共建单位开展一次座谈交流、反映一次社情民意，每年帮
  机关培养一名年轻党员，选派一批党员群众代表参与共建单位党员评议和公务员考核"; the unit is assessed
  with "把党组织、党员服务群众成效与年度评优挂钩". No points, caps or weights (profile: local
  default: the village 100, 5 a quarter missed for the forum and the opinion report (at most
  20 each), 10 for the young member and 10 for the delegates; the pair's result 50 % each side).
  Seed 002 does not have "四位一体" nor "双向受益" (it has "基层群众户户受益").
- seed 004 doc 2 (Anhui) 二、4: "结对双方‘目标一体谋划、工作一体商定、责任一体承担、考评一体进行’
  的‘四位一体’共建工作模式"; the work counts in "机关党建工作考核" and in "三级联创考核" — one
  appraisal of the pair for both sides. 二、3 (双向受益: 共过组织生活, 年轻干部挂职) gives no
  count: no village deduction.

The Shangnan case below failed at commit 33274ae (before this piece): the pair's row had no
village side and no joint result — the assessment of 农业农村局 — 花家村 read 100 although its
village missed two quarterly forums (by hand: the village 90, the pair 95).
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from openpyxl import load_workbook

from gongjian.compliance.models import PairStatus
from gongjian.policies import PolicyProfileError, parse_profile
from gongjian.records.models_village_duties import VillageDuty
from gongjian.records.services_village_duties import village_duty_record
from gongjian.rounds.models import Pairing, Round, UnitPlan
from tests.compliance.helpers import run, stored, unit_score
from tests.rounds.seed_rounds import client_for

pytestmark = pytest.mark.django_db

D = datetime.date
FINAL = D(2027, 1, 31)  # after the year: every period of 2026 has ended


def duties(pairing: Pairing, kind: str, *months: int) -> None:
    for month in months:
        VillageDuty.objects.create(pairing=pairing, kind=kind, date=D(2026, month, 10), content="记录")


def everything(pairing: Pairing, *, forums: tuple[int, ...] = (2, 5, 8, 11)) -> None:
    """The village's year: forums in ``forums``' months, the rest as the seed asks."""
    duties(pairing, "forum", *forums)
    duties(pairing, "opinion", 1, 4, 7, 10)
    duties(pairing, "young_member", 6)
    duties(pairing, "review_delegates", 12)


def row(pairing: Pairing) -> PairStatus:
    return PairStatus.objects.get(pairing=pairing, year=2026)


def test_the_unit_did_everything_the_village_missed_two_forums(world_factory: Any) -> None:
    """Shangnan, 2026. A (农业农村局 — 花家村): the unit has nothing to miss (seed 002 sets no
    unit duty; no survey, no commitment: nothing lost) → 100; its village held forums in Q1
    and Q3 only → 2 × 5 = 10 lost → 90; the pair (50 × 100 + 50 × 90) / 100 = 95.
    B (— 王家沟村): the village did nothing → forum 4 × 5 = 20 (cap 20), opinion 20, young
    member 10, delegates 10 → 60 lost → 40; the pair 70. C (卫健局 — 石门村): all done → 100."""
    w = world_factory("shangnan")
    # The village records through its own service (A's village user): the same rows as the page.
    for month in (2, 8):
        village_duty_record(
            actor=w.cast.village_user, pairing=w.a, kind="forum", date=D(2026, month, 10), content="座谈"
        )
    duties(w.a, "opinion", 1, 4, 7, 10)
    duties(w.a, "young_member", 6)
    duties(w.a, "review_delegates", 12)
    everything(w.c)
    run(w, FINAL)

    a, b, c = row(w.a), row(w.b), row(w.c)
    assert (a.score, a.joint_mode, a.village_score, a.village_lost, a.village_missed) == (100, "separate", 90, 10, 2)
    assert a.joint_score == Decimal("95.00")
    assert {d["kind"]: (d["periods"], d["missed"], d["lost"]) for d in a.village_duties} == {
        "forum": (4, 2, 10), "opinion": (4, 0, 0), "young_member": (1, 0, 0), "review_delegates": (1, 0, 0),
    }  # fmt: skip
    assert (b.score, b.village_score, b.village_lost, b.village_missed, b.joint_score) == (100, 40, 60, 10, 70)
    assert (c.village_score, c.village_missed, c.joint_score) == (100, 0, 100)
    # 双考核: the village's misses are its own; the unit's score and ranking do not move.
    assert unit_score(w, True) == (Decimal("100.00"), 1) and stored(w.b).to_adjust is False


def test_periods_not_over_and_before_the_term_cost_nothing(world_factory: Any) -> None:
    """As of 2026-07-15 only Q1 and Q2 are over: A's village held a forum in Q1 only and
    reported opinions both quarters → 5 lost → 95, the pair 97.5; the yearly duties are not
    yet due. With the term beginning 2026-07-01 instead, at year end B's village (nothing
    done) answers for Q3 and Q4 only: forum 10 + opinion 10 + 10 + 10 = 40 → 60."""
    w = world_factory("shangnan")
    duties(w.a, "forum", 2)
    duties(w.a, "opinion", 1, 4)
    run(w, D(2026, 7, 15))
    a = row(w.a)
    assert (a.village_score, a.village_missed, a.joint_score) == (95, 1, Decimal("97.50"))

    Round.objects.filter(pk=w.round.pk).update(term_start=D(2026, 7, 1))
    run(w, FINAL)
    b = row(w.b)
    assert (b.village_score, b.village_lost) == (60, 40)
    assert {d["kind"]: d["periods"] for d in b.village_duties} == {
        "forum": 2, "opinion": 2, "young_member": 1, "review_delegates": 1,
    }  # fmt: skip


def test_anhui_appraises_the_pair_as_one_for_both_sides(world_factory: Any) -> None:
    """seed 004 doc 2 二、4 考评一体进行: one result for both sides, no village deduction. C did
    none of the six musts: 6 × 5 = 30 lost (the six musts' cap 30, local default) → 70, and
    70 is the pair's joint result."""
    w = world_factory("anhui")
    run(w, FINAL)
    c = row(w.c)
    assert (c.score, c.joint_mode, c.village_score, c.joint_score) == (70, "shared", None, 70)


def test_profiles_without_it_have_no_joint_appraisal(world_factory: Any) -> None:
    """Shanghai's seed (004 doc 1) asks nothing of the village and does not appraise the sides
    together: no joint result."""
    w = world_factory("shanghai")
    run(w, FINAL)
    assert (row(w.a).joint_mode, row(w.a).joint_score, row(w.a).village_score) == ("", None, None)


PLAN_PROFILE = """
joint_appraisal:
  mode: shared
  unit_plan_points: 5
"""


def test_a_unit_without_its_plan_loses_the_profiles_points(world_factory: Any, settings: Any, tmp_path: Any) -> None:
    """Where the profile asks for the plan (helping_side.plan_required, seed 004 doc 1 (十)) and
    sets ``unit_plan_points`` (here 5): U1 filed its 分管领导/负责部门/帮扶方案, U2 did not. Under a
    copy of Shanghai's profile with that key, C (U2, nothing done: 60 as in the year test) →
    55; A keeps its score."""
    source = Path(settings.POLICY_DIR) / "shanghai.yaml"
    (tmp_path / "shanghai.yaml").write_text(source.read_text(encoding="utf-8") + PLAN_PROFILE, encoding="utf-8")
    with override_settings(POLICY_DIR=str(tmp_path)):
        w = world_factory("shanghai")
        UnitPlan.objects.create(
            round=w.round, unit=w.unit1, leader_name="李四", leader_post="副局长", department="办公室", plan="方案"
        )
        run(w, FINAL)
    a, c = row(w.a), row(w.c)
    assert (a.plan_lost, c.plan_lost, c.score, c.joint_score) == (0, 5, 55, 55)


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ("joint_appraisal: {mode: separate, weights: {unit: 1, village: 1}}", "需要 village_duties"),
        ("joint_appraisal: {mode: shared, weights: {unit: 1, village: 1}}", "不设村方分值或权重"),
        ("joint_appraisal: {mode: shared, unit_plan_points: 5}", "plan_required"),
        ("joint_appraisal: {mode: both}", "应为 separate 或 shared"),
    ],
)
def test_the_section_is_validated(section: str, message: str) -> None:
    import yaml

    data = yaml.safe_load("name: x\nplace: x\nversion: '1'\nsource: x\nallocation: {}\n" + section)
    with pytest.raises(PolicyProfileError, match=message):
        parse_profile("x", "x.yaml", data)


def test_every_duty_the_village_owes_has_its_points() -> None:
    import yaml

    from gongjian.policies import load_profile

    text = "village_duties: {forums_per_quarter: 1, opinions_per_quarter: 1, young_members_per_year: 0,"
    text += " review_delegates_per_year: 0}\n"
    text += "joint_appraisal: {mode: separate, village: {base: 100, duties: {forum: {points: 5, max: 20}}},"
    text += " weights: {unit: 1, village: 1}}"
    data = yaml.safe_load("name: x\nplace: x\nversion: '1'\nsource: x\nallocation: {}\n" + text)
    with pytest.raises(PolicyProfileError, match=r"duties\.opinion 缺失"):
        parse_profile("x", "x.yaml", data)
    rules = load_profile("shangnan").joint_appraisal
    assert rules is not None and set(rules.duties) == {"forum", "opinion", "young_member", "review_delegates"}


def test_page_export_and_api_show_both_sides_in_scope(world_factory: Any) -> None:
    """The assessment page, its workbook and the API's assessment resource show A's two sides
    (unit 100, village 90) and its result 95; the sibling county's admin sees none of it."""
    w = world_factory("shangnan")
    duties(w.a, "forum", 2, 8)
    duties(w.a, "opinion", 1, 4, 7, 10)
    duties(w.a, "young_member", 6)
    duties(w.a, "review_delegates", 12)
    run(w, FINAL)
    admin = client_for(w.cast.committee_admin)

    page = admin.get("/compliance/assessment/?year=2026")
    joint = page.context["joint"]
    assert (joint.pairs, joint.village_scored, joint.villages_all_met) == (3, 3, 0)
    assert joint.joint_mean == Decimal("78.33")  # (95 + 70 + 70) / 3: B and C did nothing
    html = page.content.decode()
    assert 'id="joint"' in html and "95" in html and "党员到共建单位座谈交流 2/4" in html

    book = load_workbook(io.BytesIO(admin.get("/compliance/assessment/export.xlsx?year=2026").content))
    sheet = list(book.worksheets[-1].iter_rows(values_only=True))
    assert sheet[0][5:] == (
        "单位方得分",
        "帮扶方案扣分",
        "村方得分",
        "村方扣分",
        "村方未完成期数",
        "村方未完成的义务",
        "结对考评结果",
    )
    first = sheet[1]  # lowest result first: B or C (70), then A (95) last
    assert sheet[-1][1:3] == (w.unit1.name, w.a.village.name) and sheet[-1][5:] == (
        100, 0, 90, 10, 2, "党员到共建单位座谈交流 2/4", 95,
    )  # fmt: skip
    assert first[-1] == 70 and len(sheet) == 4

    api = admin.get("/api/compliance/assessment/pairs/?year=2026").json()
    mine = next(p for p in api["items"] if p["pairing_id"] == w.a.pk)
    assert (mine["joint_mode"], mine["village_score"], mine["joint_score"], mine["village_missed"]) == (
        "separate", "90.00", "95.00", 2,
    )  # fmt: skip

    sibling = client_for(w.cast.sibling_admin)
    assert sibling.get("/compliance/assessment/?year=2026").context["joint"].pairs == 0
    assert sibling.get("/api/compliance/assessment/pairs/?year=2026").json()["items"] == []
    assert client_for(w.cast.outsider).get("/api/compliance/assessment/pairs/?year=2026").json()["items"] == []
