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
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone
from openpyxl import load_workbook

from gongjian.compliance.models import PairStatus
from gongjian.policies import PolicyProfileError, parse_profile
from gongjian.records.models_village_duties import VillageDuty
from gongjian.records.services_village_duties import village_duty_record
from gongjian.rounds.models import Pairing, Round, UnitPlan
from tests.compliance.helpers import run, stored, unit_score
from tests.demo.rolled_back import built_for_module
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


def test_periods_beginning_after_the_term_ended_cost_nothing() -> None:
    """Pure, Shangnan's numbers: a term ending 2026-08-15, nothing done, assessed at year end:
    Q1–Q3 of the forum and the opinion report (Q3 began inside the term) and both yearly
    duties (the year began inside it) → 3 × 5 + 3 × 5 + 10 + 10 = 50 lost → 50; Q4 is not owed."""
    from gongjian.compliance.joint import village_side
    from gongjian.policies import load_profile

    profile = load_profile("shangnan")
    assert profile.joint_appraisal is not None and profile.village_duties is not None
    side = village_side(
        profile.joint_appraisal, profile.village_duties, {}, year=2026, as_of=FINAL, term_start=D(2025, 7, 1),
        term_end=D(2026, 8, 15),
    )  # fmt: skip
    assert (side.score, side.lost, side.missed) == (50, 50, 8)
    assert {d.kind: d.periods for d in side.duties} == {
        "forum": 3, "opinion": 3, "young_member": 1, "review_delegates": 1,
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
    assert 'id="joint"' in html and "95" in html and "党员到共建单位座谈交流：4 期中缺 2 期" in html

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
        100, 0, 90, 10, 2, "党员到共建单位座谈交流：4 期中缺 2 期", 95,
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


# --- the cross-check on the county demo -----------------------------------------------------


@dataclass
class JointDemo:
    round: Round
    year: int
    as_of: datetime.date
    city_admin: Any
    county_admin: Any


@pytest.fixture(scope="module")
def joint_demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[JointDemo]:
    """The county demo under Shangnan's profile (``manage.py demo`` + ``demo_activity --policy
    shangnan``), built once for the module in a transaction rolled back at the end. The demo's
    village duties are this year's: each pair's village gets a pattern of its own here for
    last year (test data, by the pairing's id), and last year is assessed."""
    from django.core.management import call_command

    from gongjian.accounts.models import User
    from gongjian.compliance.services import compliance_evaluate

    def build() -> JointDemo:
        call_command("demo", scale="county", seed=1, stdout=StringIO())
        call_command("demo_activity", seed=1, policy="shangnan", stdout=StringIO())
        round_ = Round.objects.get()
        # Last year, whole: every period has ended whatever the day the test runs. The demo's
        # term begins on 1 January of this year; it is moved a year back (test set-up).
        as_of = timezone.localdate()
        year = as_of.year - 1
        Round.objects.filter(pk=round_.pk).update(term_start=D(year, 1, 1))
        round_.refresh_from_db()
        rows = []
        for pid in Pairing.objects.filter(round=round_, status="signed").values_list("pk", flat=True):
            for q in range(1, 5):  # forums in the quarters pid's bits name; opinions unless pid % 3 == 0
                day = D(year, 3 * q - 1, 10)
                if pid >> q & 1:
                    rows.append(VillageDuty(pairing_id=pid, kind="forum", date=day, content="座谈"))
                if pid % 3:
                    rows.append(VillageDuty(pairing_id=pid, kind="opinion", date=day, content="民意"))
            if pid % 2:
                rows.append(VillageDuty(pairing_id=pid, kind="young_member", date=D(year, 3, 1), content="培养"))
            if pid % 5 == 0:
                rows.append(VillageDuty(pairing_id=pid, kind="review_delegates", date=D(year, 12, 1), content="评议"))
        VillageDuty.objects.bulk_create(rows)
        compliance_evaluate(actor=None, round_or_scope=round_, as_of=as_of, year=year, remind=False)
        return JointDemo(
            round_, year, as_of, User.objects.get(username="city_admin"),
            User.objects.get(username="committee_admin"),
        )  # fmt: skip

    yield from built_for_module(django_db_blocker, build)


def village_by_hand(pairing_id: int, term_start: datetime.date, year: int, as_of: datetime.date) -> tuple[int, int]:
    """(points lost, periods missed) of a village under Shangnan's numbers, from the rows:
    a period counts once it has ended before ``as_of`` and not before the term began."""
    from gongjian.policies import load_profile

    profile = load_profile("shangnan")
    asked, rules = profile.village_duties, profile.joint_appraisal
    assert asked is not None and rules is not None
    days: dict[str, list[datetime.date]] = {}
    for kind, day in VillageDuty.objects.filter(pairing_id=pairing_id, date__year=year, date__lte=as_of).values_list(
        "kind", "date"
    ):
        days.setdefault(kind, []).append(day)
    ends = [D(year, 3, 31), D(year, 6, 30), D(year, 9, 30), D(year, 12, 31)]
    lost = missed = 0
    for kind, per_quarter in (("forum", asked.forums_per_quarter), ("opinion", asked.opinions_per_quarter)):
        n = 0
        for q, end in enumerate(ends):
            start = D(year, 3 * q + 1, 1)
            if term_start <= end < as_of and sum(start <= d <= end for d in days.get(kind, [])) < per_quarter:
                n += 1
        lost, missed = lost + min(rules.duties[kind].max, n * rules.duties[kind].points), missed + n
    for kind, per_year in (
        ("young_member", asked.young_members_per_year),
        ("review_delegates", asked.review_delegates_per_year),
    ):
        n = int(term_start <= ends[3] < as_of and len(days.get(kind, [])) < per_year)
        lost, missed = lost + min(rules.duties[kind].max, n * rules.duties[kind].points), missed + n
    return lost, missed


@pytest.mark.parametrize("who", ["city_admin", "county_admin"])
def test_demo_figures_equal_the_rows_recomputed(joint_demo: JointDemo, who: str) -> None:
    """On the county demo: every jointly appraised pair's village side and result equal the
    ones recomputed by hand from the village's rows; the page's figures equal the same figures
    computed from the workbook's rows; the sheet's rows are the page's pair count; no share
    above 100 %."""
    demo = joint_demo
    user = getattr(demo, who)
    response = client_for(user).get(f"/compliance/assessment/?year={demo.year}")
    joint = response.context["joint"]
    book = load_workbook(
        io.BytesIO(client_for(user).get(f"/compliance/assessment/export.xlsx?year={demo.year}").content)
    )
    sheet = [r for r in book.worksheets[-1].iter_rows(values_only=True)][1:]
    assert joint.pairs == len(sheet) > 0
    # by hand, pair by pair, from the village's rows
    term_start = demo.round.term_start
    stored = {p.pairing_id: p for p in PairStatus.objects.filter(year=demo.year, joint_score__isnull=False)}
    for p in stored.values():
        lost, missed = village_by_hand(p.pairing_id, term_start, demo.year, demo.as_of)
        assert (p.village_lost, p.village_missed, p.village_score) == (lost, missed, 100 - lost), p.pairing_id
        assert p.joint_score == (Decimal(p.score + p.village_score) / 2).quantize(Decimal("0.01"))
    # the page's figures from the sheet's rows (unit side col 5, village col 7, missed col 9, result col 11)
    scored = [r for r in sheet if r[7] is not None]
    assert joint.village_scored == len(scored) == len(sheet)  # Shangnan: every village scored apart
    assert joint.villages_all_met == sum(1 for r in scored if r[9] == 0)
    assert joint.villages_all_met < joint.village_scored  # the patterns above leave some quarter missed
    assert len({r[7] for r in sheet}) > 1  # and the villages' scores differ
    mean = lambda col: (sum(Decimal(str(r[col])) for r in sheet) / len(sheet)).quantize(Decimal("0.01"))  # noqa: E731
    assert (joint.unit_mean, joint.village_mean, joint.joint_mean) == (mean(5), mean(7), mean(11))
    assert joint.all_met_percent is not None and 0 <= joint.all_met_percent <= 100
    assert all(0 <= Decimal(str(r[11])) <= 100 and 0 <= Decimal(str(r[7])) <= 100 for r in sheet)
    # the county admin's pairs are among the city admin's, and the page lists the lowest first
    rows = response.context["joint_rows"]
    assert [p.joint_score for p, _m in rows] == sorted(p.joint_score for p, _m in rows)
    if who == "county_admin":
        city = client_for(demo.city_admin).get(f"/compliance/assessment/?year={demo.year}").context["joint"]
        assert joint.pairs <= city.pairs
