"""共建协议书 as a PDF in official-document layout (GB/T 9704), rendered by WeasyPrint.

The parties, the term and the commitments come from the pairing, its round and the round's
policy profile; nothing about visits or money is written here. The Chinese font is Noto
Serif SC from the npm package ``@fontsource/noto-serif-sc`` (installed by ``npm ci`` like
the other front-end packages: no font file lives in git and nothing is fetched at run
time). WeasyPrint embeds only the glyphs the document uses.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.utils import timezone, translation

from gongjian.policies import PERIODS, Obligation, PolicyProfile, load_profile
from gongjian.policies.vocabulary import FiveDelivery, SixMust, VisitorLevel
from gongjian.rounds.models import Agreement, Pairing

FONT_PACKAGE = "@fontsource/noto-serif-sc"
TEMPLATE = "rounds/agreement_pdf.html"

# The family names the template's CSS uses. "Extra" holds the subset files that cover
# characters outside the simplified-Chinese subset (rare characters in village names).
FONT_FAMILY = "Noto Serif SC"
FONT_FAMILY_EXTRA = "Noto Serif SC Extra"
FONT_WEIGHTS = (400, 700)

_NUMERALS = "零一二三四五六七八九"
_CAPITAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_CAPITAL_UNITS = ["", "拾", "佰", "仟"]
_CAPITAL_GROUPS = ["", "万", "亿"]


# ---------------------------------------------------------------- Chinese formatting


def chinese_date(day: datetime.date | datetime.datetime) -> str:
    """2026年7月1日 (Arabic numerals, no leading zeros), as official documents date things."""
    if isinstance(day, datetime.datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    return f"{day.year}年{day.month}月{day.day}日"


def chinese_datetime(moment: datetime.datetime) -> str:
    """2026年7月1日 14:05 in the site's time zone (signing times)."""
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return f"{chinese_date(local.date())} {local:%H:%M}"


def chinese_number(n: int) -> str:
    """一, 十, 十一, 二十三 … for numbering items (1–99)."""
    if not 0 < n < 100:
        raise ValueError(f"序号超出范围：{n}")
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _NUMERALS[tens] + "十")
    return head + (_NUMERALS[ones] if ones else "")


def yuan_in_capitals(amount: int) -> str:
    """人民币贰万元整: amounts in contracts are also written in capital numerals so that
    nobody can alter them."""
    if amount < 0 or amount >= 10**12:
        raise ValueError(f"金额超出范围：{amount}")
    if amount == 0:
        return "人民币零元整"
    groups: list[int] = []
    while amount:
        amount, group = divmod(amount, 10000)
        groups.append(group)
    text = ""
    zero_pending = False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            zero_pending = bool(text)
            continue
        if text and (zero_pending or group < 1000):
            text += "零"
        text += _capital_group(group) + _CAPITAL_GROUPS[index]
        zero_pending = False
    return f"人民币{text}元整"


def _capital_group(group: int) -> str:
    """0 < group < 10000 in capitals, with inner zeros read once (壹仟零伍)."""
    digits = [int(d) for d in f"{group:04d}"]
    out = ""
    zero = False
    started = False
    for position, digit in enumerate(digits):
        unit = _CAPITAL_UNITS[3 - position]
        if digit == 0:
            zero = started
            continue
        if zero:
            out += "零"
        out += _CAPITAL_DIGITS[digit] + unit
        zero = False
        started = True
    return out


# ---------------------------------------------------------------- content


@dataclass(frozen=True)
class SignatureBlock:
    """One side's signature block; the fields are empty in the unsigned version."""

    party: str  # 甲方 / 乙方
    organization: str
    signer_name: str = ""
    signer_post: str = ""
    signed_at: str = ""


def _signature_block(party: str, organization: str, agreement: Agreement | None, side: str) -> SignatureBlock:
    """A side's block, filled from the agreement's ``<side>_signer_*`` fields when given."""
    if agreement is None:
        return SignatureBlock(party=party, organization=organization)
    signed_at = getattr(agreement, f"{side}_signed_at")
    return SignatureBlock(
        party=party,
        organization=organization,
        signer_name=getattr(agreement, f"{side}_signer_name"),
        signer_post=getattr(agreement, f"{side}_signer_post"),
        signed_at=chinese_datetime(signed_at) if signed_at else "",
    )


def _names(kind: str, codes: tuple[str, ...]) -> list[str]:
    """The Chinese names of an obligation's visitor levels or kinds (the PDF is in Chinese
    whatever the reader's interface language)."""
    choices = {"visits": VisitorLevel, "six_musts": SixMust, "deliveries": FiveDelivery}[kind]
    with translation.override("zh-hans"):
        return [str(choices(code).label) for code in codes]


def _due_clause(obligation: Obligation) -> str:
    """"，于每年6月30日前完成" when a yearly duty is due before the year's end."""
    if obligation.period != "year" or obligation.due == "12-31":
        return ""
    month, day = (int(x) for x in obligation.due.split("-"))
    return f"，于每年{month}月{day}日前完成"


def commitment_text(obligation: Obligation, tag_names: dict[str, str]) -> str:
    """One obligation of the profile as the agreement's sentence, from its typed fields only
    (kind, levels or kinds, count, period, amounts, days): the numbers are the profile's.

    The wording follows the seeds: visits by level (seed 004 doc 1 (10)), 六个一 (seed 004
    doc 2 二、2), 五送 and the three cards (seed 000), quarterly reports (seed 004 doc 5).
    """
    period = PERIODS[obligation.period]
    times = f"不少于 {obligation.count} 次"
    if obligation.kind == "visits":
        return f"甲方{obligation.sentence()}。"
    if obligation.kind == "funds":
        tag = next((tag_names[t] for t in obligation.village_tags if t in tag_names), "")
        return (
            f"{obligation.sentence(tag)}（大写：{yuan_in_capitals(obligation.min_yuan_per_year)}）；"
            f"乙方为{tag}村，甲方按此标准逐年拨付帮扶资金。"
        )
    if obligation.kind == "projects":
        return "双方共同确定看得见、摸得着、有实效、可检查评估的具体帮扶项目，列入年度帮扶计划并接受检查评估。"
    if obligation.kind == "six_musts":
        each = "" if obligation.count == 1 else f"（每项{times}）"
        kinds = "、".join(_names("six_musts", obligation.kinds))
        return f"双方{period}共同做到“{obligation.label}”：{kinds}{each}{_due_clause(obligation)}。"
    if obligation.kind == "deliveries":
        kinds = "、".join(_names("deliveries", obligation.kinds))
        return f"甲方{period}向乙方开展“{obligation.label}”：{kinds}，每项{times}{_due_clause(obligation)}。"
    if obligation.kind == "performance_cards":
        return (
            f"甲方每月填写{obligation.label}，于次月 {obligation.due_day} 日前报送，"
            f"乙方在 {obligation.countersign_days} 日内签注意见会签或退回。"
        )
    if obligation.kind == "feedback":
        return (
            f"乙方将群众意见和建议通过意见反馈卡转交甲方，甲方在 {obligation.due_days} 日内答复"
            f"（{obligation.label}）。"
        )
    if obligation.kind == "quarterly_reports":
        return f"甲方每季度结束后 {obligation.due_days} 日内向上级党委报送{obligation.label}，通报共建工作开展情况。"
    return f"双方履行“{obligation.label}”（{period}）。"  # a kind added to the profile schema later


NO_QUANTIFIED_DUTY = (
    "{profile}未对结对单位规定可按期核查的次数或金额；双方每年共同商定共建计划，明确帮扶事项和责任人，"
    "按计划开展共建并如实记入共建档案，接受上级党组织检查评估。"
)


def commitments(pairing: Pairing, profile: PolicyProfile) -> list[str]:
    """The numbered commitments of the agreement: every obligation of the round's policy
    profile that applies to this village (by its tags), in the profile's order."""
    tags = {tag.code: tag.name for tag in pairing.village.tags.all()}
    items = [commitment_text(o, tags) for o in profile.obligations if o.applies_to(frozenset(tags))]
    if not items:
        # Some places set no checkable duty (seed 002 商南, seed 004 doc 3 绥芬河: 双承诺、五帮…
        # without counts or sums); the agreement still says what the two sides undertake.
        items.append(NO_QUANTIFIED_DUTY.format(profile=profile.name))
    return [f"（{chinese_number(i)}）{text}" for i, text in enumerate(items, start=1)]


def document_number(pairing: Pairing) -> str:
    """共建协〔2026〕第 N 号: the round's year and the pairing's number, stable across renders."""
    return f"共建协〔{pairing.round.term_start.year}〕第 {pairing.pk} 号"


def _village_place(pairing: Pairing) -> str:
    entry = pairing.entry
    return f"{entry.county}{entry.town}"


def agreement_context(pairing: Pairing, agreement: Agreement | None, *, signed: bool) -> dict[str, object]:
    """Everything the template shows, as plain strings (the template holds no logic)."""
    round_ = pairing.round
    profile = load_profile(round_.policy_key)
    confirmations = []
    if pairing.unit_confirmed_at:
        confirmations.append(f"甲方已于{chinese_date(pairing.unit_confirmed_at)}在共建平台确认结对。")
    if pairing.village_confirmed_at:
        confirmations.append(f"乙方已于{chinese_date(pairing.village_confirmed_at)}在共建平台确认结对。")
    if signed and (agreement is None or agreement.unit_signed_at is None or agreement.village_signed_at is None):
        raise ValueError("双方均已签署后才能生成已签署的协议书")
    # In the unsigned version both blocks stay empty, even if one side has signed since.
    record = agreement if signed else None
    blocks = [
        _signature_block("甲方", pairing.unit.name, record, "unit"),
        _signature_block("乙方", pairing.village.name, record, "village"),
    ]
    return {
        "document_number": document_number(pairing),
        "title": "城乡基层党组织结对共建协议书",
        "unit": pairing.unit.name,
        "unit_parent": pairing.unit.parent.name if pairing.unit.parent else "",
        "village": pairing.village.name,
        "village_place": _village_place(pairing),
        "round_name": round_.name,
        "profile_name": profile.name,
        "profile_version": profile.version,
        "department": f"{round_.scope.name}组织部",
        "term_start": chinese_date(round_.term_start),
        "term_end": chinese_date(round_.term_end),
        "commitments": commitments(pairing, profile),
        "confirmations": confirmations,
        "signed": signed,
        "signatures": blocks,
        "original_sha256": agreement.sha256 if signed and agreement is not None else "",
    }


# ---------------------------------------------------------------- fonts


def font_package_dir() -> Path:
    """The font package's files, installed by ``npm ci`` under ``settings.NODE_MODULES``."""
    root = Path(settings.NODE_MODULES) / FONT_PACKAGE
    files = root / "files"
    if not files.is_dir():
        raise ImproperlyConfigured(
            f"未找到协议书所用中文字体：{root}。请运行 `npm ci`（make setup）安装 {FONT_PACKAGE}。"
        )
    return root


def _main_font(weight: int) -> Path:
    # WOFF, not WOFF2: WeasyPrint unpacks WOFF2 in pure Python (seconds per font), WOFF
    # with zlib (a tenth of a second).
    return font_package_dir() / "files" / f"noto-serif-sc-chinese-simplified-{weight}-normal.woff"


@functools.lru_cache(maxsize=4)
def _main_coverage(path: Path, mtime: float) -> frozenset[int]:
    """The code points the simplified-Chinese subset holds (read once per process)."""
    from fontTools.ttLib import TTFont  # a WeasyPrint dependency; heavy, so loaded late

    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


_RULE = re.compile(
    r"@font-face\s*{[^}]*?font-weight:\s*(?P<weight>\d+);[^}]*?url\(\./files/(?P<file>[^)]+\.woff)\)\s*format\('woff'\)"
    r"[^}]*?unicode-range:\s*(?P<ranges>[^;]+);",
    re.S,
)


@functools.lru_cache(maxsize=4)
def _extra_subsets(css: Path, mtime: float) -> tuple[tuple[str, str, tuple[tuple[int, int], ...]], ...]:
    """The package's numbered subset files of one weight, with their unicode ranges."""
    out = []
    for match in _RULE.finditer(css.read_text("utf-8")):
        spans = []
        for part in match["ranges"].split(","):
            part = part.strip().removeprefix("U+").removeprefix("u+")
            low, _sep, high = part.partition("-")
            spans.append((int(low, 16), int(high or low, 16)))
        out.append((match["file"], match["ranges"].strip(), tuple(spans)))
    return tuple(out)


def font_face_css(text: Iterable[str]) -> str:
    """``@font-face`` rules for the document: the simplified-Chinese subset in every weight,
    plus those numbered subsets that hold a character of ``text`` the main one lacks."""
    root = font_package_dir()
    rules = []
    for weight in FONT_WEIGHTS:
        main = _main_font(weight)
        rules.append(
            f"@font-face {{ font-family: '{FONT_FAMILY}'; font-weight: {weight}; font-style: normal; "
            f"src: url('{main.as_uri()}') format('woff'); }}"
        )
        covered = _main_coverage(main, main.stat().st_mtime)
        wanted = {ord(c) for chunk in text for c in chunk if not c.isspace()} - covered
        if not wanted:
            continue
        css = root / f"{weight}.css"
        for file, ranges, spans in _extra_subsets(css, css.stat().st_mtime):
            if any(low <= cp <= high for cp in wanted for low, high in spans):
                path = root / "files" / file
                rules.append(
                    f"@font-face {{ font-family: '{FONT_FAMILY_EXTRA}'; font-weight: {weight}; "
                    f"font-style: normal; src: url('{path.as_uri()}') format('woff'); unicode-range: {ranges}; }}"
                )
    return "\n".join(rules)


def _texts(context: dict[str, object]) -> list[str]:
    """Every string the document shows, to find the characters the fonts must cover."""
    out: list[str] = []
    for value in context.values():
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, SignatureBlock):
                    out.extend([item.organization, item.signer_name, item.signer_post, item.signed_at])
                else:
                    out.append(str(item))
    return out


# ---------------------------------------------------------------- rendering


def _fonts_only_fetcher(root: Path) -> Any:
    """A WeasyPrint URL fetcher that reads the font package's files and nothing else.

    The template escapes every name it shows, so no URL can come from data; this keeps it
    so should that ever change (no server-side request, no reading of other local files).
    """
    from weasyprint.urls import URLFetcher

    allowed = root.resolve()

    class FontsOnlyFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            path = Path(url2pathname(parts.path)).resolve()
            if parts.scheme != "file" or not path.is_relative_to(allowed):
                raise ValueError(f"协议书只引用字体包内的文件：{url}")
            return super().fetch(url, headers)

    return FontsOnlyFetcher(allowed_protocols=("file",))


def render_agreement_html(pairing: Pairing, agreement: Agreement | None = None, *, signed: bool) -> str:
    """The agreement as HTML (what the PDF is made from; handy for a preview page)."""
    return render_to_string(TEMPLATE, agreement_context(pairing, agreement, signed=signed))


def render_agreement_pdf(pairing: Pairing, agreement: Agreement | None = None, *, signed: bool) -> bytes:
    """The 共建协议书 of ``pairing`` as PDF bytes.

    ``signed=False`` gives the version both sides read before signing, with empty signature
    blocks; ``signed=True`` needs ``agreement`` with both sides' signer, post and time and
    fills them in (it also cites the unsigned version's SHA-256). Raises
    ``ImproperlyConfigured`` when the font package is not installed.
    """
    from weasyprint import CSS, HTML  # heavy (pango via cffi): load only when rendering
    from weasyprint.text.fonts import FontConfiguration

    context = agreement_context(pairing, agreement, signed=signed)
    html = render_to_string(TEMPLATE, context)
    fetcher = _fonts_only_fetcher(font_package_dir())
    fonts = FontConfiguration()
    stylesheet = CSS(string=font_face_css(_texts(context)), font_config=fonts, url_fetcher=fetcher)
    document = HTML(string=html, url_fetcher=fetcher)
    pdf = document.write_pdf(stylesheets=[stylesheet], font_config=fonts)
    if pdf is None:  # only when a target is given; keeps the type checker honest
        raise RuntimeError("WeasyPrint returned no PDF")
    return pdf
