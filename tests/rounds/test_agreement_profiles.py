"""二、共建承诺 of the agreement under every shipped profile (``policies/*.yaml``): the
section lists each obligation that applies to the village, with the profile's numbers,
read back from the PDF with ``pdftotext`` (under the Anhui profile it used to be empty)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from django.utils import translation
from pytest_django.fixtures import Settings as SettingsFixture

from gongjian.policies import Obligation, load_profile, profile_keys
from gongjian.records.choices import FiveDelivery, SixMust, VisitorLevel
from gongjian.rounds.agreement_pdf import render_agreement_pdf
from gongjian.rounds.models import Round
from tests.conftest import Cast
from tests.rounds.conftest import make_round
from tests.rounds.test_agreement import confirmed_pairing

pytestmark = pytest.mark.django_db

SHIPPED = profile_keys()


@pytest.fixture(autouse=True)
def _media(settings: SettingsFixture, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def commitments_section(pdf: bytes, tmp_path: Path) -> str:
    """The text between the headings 二、共建承诺 and 三、双方确认, white space removed."""
    path = tmp_path / "agreement.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True)
    text = re.sub(r"\s+", "", out.stdout)
    start, end = text.index("二、共建承诺"), text.index("三、双方确认")
    return text[start + len("二、共建承诺") : end]


def expected_words(obligation: Obligation) -> list[str]:
    """What the sentence of ``obligation`` must show, read from the profile's typed fields."""
    with translation.override("zh-hans"):
        if obligation.kind == "visits":
            return [str(VisitorLevel(c).label) for c in obligation.levels] + [f"不少于{obligation.count}次"]
        if obligation.kind == "six_musts":
            return [obligation.label] + [str(SixMust(c).label) for c in obligation.kinds]
        if obligation.kind == "deliveries":
            return [obligation.label] + [str(FiveDelivery(c).label) for c in obligation.kinds]
    if obligation.kind == "funds":
        return [f"{int(obligation.min_yuan):,}元", "帮扶资金"]
    if obligation.kind == "projects":
        return ["具体帮扶项目"]
    if obligation.kind == "performance_cards":
        return [f"次月{obligation.due_day}日前", f"{obligation.countersign_days}日内", "会签"]
    if obligation.kind in ("feedback", "quarterly_reports"):
        return [f"{obligation.due_days}日内", obligation.label]
    return [obligation.label]  # a kind added later: its sentence at least names the duty


def test_the_shipped_profiles_include_anhui() -> None:
    assert "anhui" in SHIPPED and len(SHIPPED) >= 3


@pytest.mark.parametrize("key", SHIPPED)
def test_commitments_section_lists_every_obligation_of_the_profile(cast: Cast, key: str, tmp_path: Path) -> None:
    round_ = make_round(cast)
    Round.objects.filter(pk=round_.pk).update(policy_key=key)
    round_.refresh_from_db()
    pairing = confirmed_pairing(cast, round_)  # 花家村, tagged weak
    tags = frozenset(pairing.village.tags.values_list("code", flat=True))
    profile = load_profile(key)
    applying = [o for o in profile.obligations if o.applies_to(tags)]

    section = commitments_section(render_agreement_pdf(pairing, signed=False), tmp_path)

    numbers = re.findall(r"（([一二三四五六七八九十]+)）", section)
    assert len(numbers) == max(len(applying), 1), (key, section)  # never an empty section
    if not applying:
        # A place whose document sets no checkable unit duty (Shangnan seed 002, Suifenhe seed
        # 004 doc 3): the agreement says so and what both sides still undertake.
        assert f"{profile.name}未对结对单位规定" in section and "共建计划" in section, (key, section)
    for obligation in applying:
        for word in expected_words(obligation):
            assert re.sub(r"\s+", "", word) in section, (key, obligation.id, word, section)
    for obligation in profile.obligations:
        if obligation not in applying and obligation.kind == "funds":
            assert f"{int(obligation.min_yuan):,}元" not in section


def test_anhui_lists_the_six_musts(cast: Cast, tmp_path: Path) -> None:
    round_ = make_round(cast)
    Round.objects.filter(pk=round_.pk).update(policy_key="anhui")
    round_.refresh_from_db()
    section = commitments_section(render_agreement_pdf(confirmed_pairing(cast, round_), signed=False), tmp_path)
    assert section.startswith("（一）")
    for kind in ("联席会议", "工作计划", "联合党课", "文体活动", "志愿服务", "走访慰问", "六个一"):
        assert kind in section, section
