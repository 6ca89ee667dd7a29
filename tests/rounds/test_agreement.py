"""正式签约: the 共建协议书 PDF (fonts embedded, content from the policy profile) and
signing by both sides in the app."""

from __future__ import annotations

import datetime
import hashlib
import re
import subprocess
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from pytest_django.fixtures import Settings as SettingsFixture

from gongjian.audit.models import AuditEntry
from gongjian.policies import load_profile
from gongjian.rounds.agreement_pdf import chinese_date, chinese_number, render_agreement_pdf, yuan_in_capitals
from gongjian.rounds.errors import RoundActionRefused
from gongjian.rounds.models import Agreement, DirectoryEntry, Pairing, PairingStatus, Round, Stage
from gongjian.rounds.services_agreement import agreement_generate, agreement_sign
from gongjian.rounds.services_allocation import allocation_publish, allocation_run
from gongjian.rounds.services_pairing import pairing_confirm
from tests.conftest import Cast
from tests.rounds.conftest import make_round


@pytest.fixture(autouse=True)
def _media(settings: SettingsFixture, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def shanghai_round(cast: Cast) -> Round:
    """A round under the Shanghai profile (two visit rules, ¥20,000 a year for weak villages)."""
    round_ = make_round(cast)
    Round.objects.filter(pk=round_.pk).update(policy_key="shanghai")
    round_.refresh_from_db()
    return round_


def published_pairing(cast: Cast, round_: Round) -> Pairing:
    """Allocate with the unit pinned to 花家村 and publish: the pair is proposed."""
    run = allocation_run(actor=cast.city_admin, round_=round_, pins=[(cast.unit.pk, cast.village.pk)])
    allocation_publish(actor=cast.city_admin, run=run)
    return Pairing.objects.get(round=round_, unit=cast.unit, village=cast.village)


def confirmed_pairing(cast: Cast, round_: Round) -> Pairing:
    pairing = published_pairing(cast, round_)
    pairing_confirm(actor=cast.unit_user, pairing=pairing)
    return pairing_confirm(actor=cast.village_user, pairing=pairing)


def pdf_text(path: Path) -> str:
    """pdftotext's text with all white space removed: lines wrap wherever the layout puts them."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True)
    return re.sub(r"\s+", "", out.stdout)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_fonts(path: Path) -> list[list[str]]:
    """pdffonts' rows (name, type, encoding, emb, sub, uni, object, id)."""
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


def test_chinese_formats() -> None:
    assert chinese_date(datetime.date(2026, 7, 1)) == "2026年7月1日"
    assert [chinese_number(n) for n in (1, 10, 11, 20, 23)] == ["一", "十", "十一", "二十", "二十三"]
    assert yuan_in_capitals(20000) == "人民币贰万元整"
    assert yuan_in_capitals(105000) == "人民币壹拾万伍仟元整"
    assert yuan_in_capitals(100500) == "人民币壹拾万零伍佰元整"
    assert yuan_in_capitals(1005) == "人民币壹仟零伍元整"
    assert yuan_in_capitals(100000000) == "人民币壹亿元整"


def test_generated_pdf_has_parties_term_commitments_and_embedded_cjk_font(cast: Cast, tmp_path: Path) -> None:
    round_ = shanghai_round(cast)
    pairing = confirmed_pairing(cast, round_)
    agreement = agreement_generate(actor=cast.unit_user, pairing=pairing)

    data = agreement.pdf.read()
    assert data.startswith(b"%PDF")
    assert agreement.sha256 == hashlib.sha256(Path(agreement.pdf.path).read_bytes()).hexdigest()
    assert len(data) < 400_000  # subset fonts, not the whole of Noto
    path = Path(agreement.pdf.path)

    fonts = pdf_fonts(path)
    assert any("Noto-Serif-SC" in row[0] and row[-5] == "yes" for row in fonts), fonts
    assert all(row[-5] == "yes" for row in fonts), f"every font is embedded: {fonts}"

    text = pdf_text(path)
    round_.refresh_from_db()
    profile = load_profile("shanghai")
    for expected in [
        "城乡基层党组织结对共建协议书",
        f"共建协〔{round_.term_start.year}〕第{pairing.pk}号",
        "商南县农业农村局机关党委",
        "花家村党支部",
        round_.name,
        chinese_date(round_.term_start),
        chinese_date(round_.term_end),
        *(visit.sentence() for visit in profile.visits),
        profile.funds[0].sentence("经济薄弱"),  # 花家村 is tagged weak: ¥20,000 a year
        "20,000元",
        "人民币贰万元整",
        "签署人",
        "— 1 —",
    ]:
        assert squeeze(expected) in text, expected
    # The unsigned version has no signer yet.
    assert "李建国" not in text
    # Shanghai asks projects of the "other" pairs: not of a weak village's (profile's except_village_tags).
    assert "可检查评估的具体帮扶项目" not in text

    # Idempotent: asking again (either side, or the round's admin) returns the same file.
    assert agreement_generate(actor=cast.village_user, pairing=pairing).pk == agreement.pk
    assert agreement_generate(actor=cast.city_admin, pairing=pairing).sha256 == agreement.sha256
    assert AuditEntry.objects.filter(action="agreement.generate", success=True).count() == 1


def test_no_fund_clause_for_a_village_without_the_tag(cast: Cast) -> None:
    round_ = shanghai_round(cast)
    cast.village.tags.clear()
    pairing = confirmed_pairing(cast, round_)
    assert render_agreement_pdf(pairing, signed=False).startswith(b"%PDF")
    path = Path(agreement_generate(actor=cast.unit_user, pairing=pairing).pdf.path)
    assert "帮扶资金" not in pdf_text(path)
    assert "可检查评估的具体帮扶项目" in pdf_text(path)  # an untagged village's pair has projects instead


def test_both_sides_sign_and_the_signed_pdf_is_archived(cast: Cast) -> None:
    round_ = make_round(cast)
    pairing = confirmed_pairing(cast, round_)
    agreement = agreement_generate(actor=cast.village_user, pairing=pairing)
    original_hash = agreement.sha256

    agreement = agreement_sign(actor=cast.unit_user, pairing=pairing, signer_name="李建国", signer_post="党委书记")
    assert agreement.unit_signer_name == "李建国" and agreement.unit_signed_at is not None
    assert agreement.pairing.status == PairingStatus.CONFIRMED and not agreement.signed_pdf
    with pytest.raises(RoundActionRefused, match="已于") as caught:
        agreement_sign(actor=cast.unit_user, pairing=pairing, signer_name="李建国", signer_post="党委书记")
    assert caught.value.code == "already_signed"

    agreement = agreement_sign(
        actor=cast.village_user, pairing=pairing, signer_name="张秀英", signer_post="村党支部书记"
    )
    pairing.refresh_from_db()
    assert pairing.status == PairingStatus.SIGNED
    assert DirectoryEntry.objects.get(round=round_, village=cast.village).stage == Stage.SIGNED
    stored = Agreement.objects.get(pk=agreement.pk)
    assert stored.sha256 == original_hash  # the text read is the text signed
    signed_path = Path(stored.signed_pdf.path)
    assert stored.signed_sha256 == hashlib.sha256(signed_path.read_bytes()).hexdigest()
    text = pdf_text(signed_path)
    assert stored.village_signed_at is not None
    for expected in [
        "李建国",
        "党委书记",
        "张秀英",
        "村党支部书记",
        chinese_date(stored.village_signed_at),
        original_hash,
    ]:
        assert expected in text, expected

    audit = list(AuditEntry.objects.filter(action="agreement.sign", success=True).order_by("pk"))
    assert [(a.after or {}).get("signer_name") for a in audit] == ["李建国", "张秀英"]
    assert (audit[-1].after or {}).get("signed_sha256") == stored.signed_sha256
    assert audit[-1].scope_path == cast.village.path


def test_only_the_two_sides_and_round_admins_act(cast: Cast) -> None:
    round_ = make_round(cast)
    pairing = confirmed_pairing(cast, round_)
    for stranger in (cast.sibling_admin, cast.outsider):
        with pytest.raises(PermissionDenied):
            agreement_generate(actor=stranger, pairing=pairing)
    agreement_generate(actor=cast.city_admin, pairing=pairing)
    for not_a_side in (cast.sibling_admin, cast.outsider, cast.city_admin, cast.committee_admin):
        with pytest.raises(PermissionDenied):
            agreement_sign(actor=not_a_side, pairing=pairing, signer_name="王磊", signer_post="书记")
    with pytest.raises(RoundActionRefused) as caught:
        agreement_sign(actor=cast.unit_user, pairing=pairing, signer_name=" ", signer_post="书记")
    assert caught.value.code == "invalid"


def test_an_unconfirmed_pairing_cannot_be_generated_or_signed(cast: Cast) -> None:
    round_ = make_round(cast)
    pairing = published_pairing(cast, round_)
    pairing_confirm(actor=cast.unit_user, pairing=pairing)  # the village has not confirmed
    with pytest.raises(RoundActionRefused, match="双方确认后") as caught:
        agreement_generate(actor=cast.unit_user, pairing=pairing)
    assert caught.value.code == "not_confirmed"
    with pytest.raises(RoundActionRefused) as caught:
        agreement_sign(actor=cast.unit_user, pairing=pairing, signer_name="李建国", signer_post="党委书记")
    assert caught.value.code == "not_confirmed"
    assert not Agreement.objects.exists()
    assert AuditEntry.objects.filter(action="agreement.sign", success=False).count() == 1


def test_signing_after_the_deadline_is_refused(cast: Cast) -> None:
    round_ = make_round(cast)
    pairing = confirmed_pairing(cast, round_)
    agreement_generate(actor=cast.unit_user, pairing=pairing)
    Round.objects.filter(pk=round_.pk).update(signing_deadline=round_.signing_deadline - datetime.timedelta(days=365))
    pairing = Pairing.objects.get(pk=pairing.pk)
    with pytest.raises(RoundActionRefused, match="截止") as caught:
        agreement_sign(actor=cast.unit_user, pairing=pairing, signer_name="李建国", signer_post="党委书记")
    assert caught.value.code == "deadline"
    assert Agreement.objects.get(pairing=pairing).unit_signed_at is None


def test_a_rare_character_in_a_village_name_is_still_set_in_the_embedded_font(cast: Cast) -> None:
    """垴 (as in 石垴村) is outside the simplified-Chinese subset: a numbered subset file of
    the same package covers it, and no system font is needed."""
    round_ = make_round(cast)
    pairing = confirmed_pairing(cast, round_)
    cast.village.name = "石垴村党支部"
    cast.village.save(update_fields=["name"])
    path = Path(agreement_generate(actor=cast.unit_user, pairing=pairing).pdf.path)
    assert "石垴村党支部" in pdf_text(path)
    fonts = pdf_fonts(path)
    assert all("Noto-Serif-SC" in row[0] and row[-5] == "yes" for row in fonts), fonts
    assert any("Extra" in row[0] for row in fonts), fonts  # the numbered subset that holds 垴


def test_names_are_printed_as_text_and_only_font_files_are_read(cast: Cast) -> None:
    from gongjian.rounds.agreement_pdf import _fonts_only_fetcher, font_package_dir

    round_ = make_round(cast)
    pairing = confirmed_pairing(cast, round_)
    cast.unit.name = '<img src="file:///etc/passwd">党委'
    cast.unit.save(update_fields=["name"])
    path = Path(agreement_generate(actor=cast.unit_user, pairing=pairing).pdf.path)
    assert squeeze('<img src="file:///etc/passwd">党委') in pdf_text(path)
    fetcher = _fonts_only_fetcher(font_package_dir())
    with pytest.raises(ValueError, match="字体包"):
        fetcher.fetch("file:///etc/passwd")
