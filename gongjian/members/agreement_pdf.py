"""流出党员管理协议书 (seed 004 doc 3, 管理一协议) as a PDF in official-document layout
(GB/T 9704), with the same embedded Noto Serif SC fonts and the same fonts-only fetcher as
the pairing agreement (``gongjian.rounds.agreement_pdf``)."""

from __future__ import annotations

from django.template.loader import render_to_string

from gongjian.members.models import MobileMember
from gongjian.members.policy import rules_for
from gongjian.rounds.agreement_pdf import (
    _fonts_only_fetcher,
    chinese_date,
    chinese_number,
    font_face_css,
    font_package_dir,
)

TEMPLATE = "members/agreement_pdf.html"


def commitments(member: MobileMember) -> list[str]:
    """The numbered commitments (seed 004 doc 3's 流出党员管理办法), dates from the profile."""
    rules = rules_for(member.origin)
    letter = rules.letter_date(2000)
    items = [
        "乙方外出期间主动与甲方保持联系，联系方式变更时及时告知甲方。",
        "乙方到达流入地后，持本协议书到流入地党组织或流动党员服务站报到，参加流入地党组织的活动，接受双重管理。",
        "乙方每半年通过网上报送、电话、书信等形式向甲方作一次思想汇报，"
        f"最迟于每个半年结束后 {rules.report_grace_days} 日内报送，"
        "如实反映在外工作情况、思想状况和学到的新技能新知识。",
        "乙方每年至少为家乡群众办一件看得见、摸得着、有成效的好事；鼓励创业成功后带动一帮人共同致富。",
        f"甲方每年{letter.month}月{letter.day}日前向乙方寄发慰问信，通报党组织工作思路、核心任务和取得的成效。",
        "甲方每年腊月返乡高峰期间组织流出党员座谈会，乙方应按时参加，交流在外务工心得，对党组织提出意见和建议。",
        f"流入地党组织就乙方情况向甲方发函查询的，甲方在 {rules.query_answer_days} 日内答复。",
        "乙方变更流入地或返回时，及时告知甲方，由甲方登记，确保流动不流失。",
    ]
    return [f"（{chinese_number(i)}）{text}" for i, text in enumerate(items, start=1)]


def agreement_context(member: MobileMember) -> dict[str, object]:
    """Everything the template shows, as plain strings (no personal numbers: the paper
    copy travels with the member)."""
    host = member.station.name if member.station else member.host.name if member.host else ""
    return {
        "document_number": f"流管协〔{member.left_on.year}〕第 {member.pk} 号",
        "title": "流出党员管理协议书",
        "origin": member.origin.name,
        "origin_parent": member.origin.parent.name if member.origin.parent else "",
        "member": member.person.name,
        "location": member.location,
        "work": member.work,
        "host": host,
        "left_on": chinese_date(member.left_on),
        "commitments": commitments(member),
    }


def render_member_agreement_html(member: MobileMember) -> str:
    return render_to_string(TEMPLATE, agreement_context(member))


def render_member_agreement_pdf(member: MobileMember) -> bytes:
    """The agreement as PDF bytes (raises ``ImproperlyConfigured`` without the font package)."""
    from weasyprint import CSS, HTML  # heavy: load only when rendering
    from weasyprint.text.fonts import FontConfiguration

    context = agreement_context(member)
    html = render_to_string(TEMPLATE, context)
    texts = [v for v in context.values() if isinstance(v, str)] + commitments(member)
    fetcher = _fonts_only_fetcher(font_package_dir())
    fonts = FontConfiguration()
    stylesheet = CSS(string=font_face_css(texts), font_config=fonts, url_fetcher=fetcher)
    pdf = HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=[stylesheet], font_config=fonts)
    if pdf is None:
        raise RuntimeError("WeasyPrint returned no PDF")
    return pdf
