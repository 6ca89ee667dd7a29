"""English reads each word in its own sense: the project catalogue is searched before the
apps' catalogues, so words that mean different things in different places carry a context."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import pgettext

from gongjian.compliance.models import ComplianceStatus, ObligationResult
from gongjian.funds.models import Disclosure
from gongjian.records.choices import ProjectStatus


def test_compliance_words_are_not_the_project_words() -> None:
    with translation.override("en"):
        assert [str(s.label) for s in ComplianceStatus] == ["Met", "Pending", "At risk", "Missed"]
        assert str(ProjectStatus.DONE.label) == "Done"
        assert str(ObligationResult._meta.get_field("deadline").verbose_name) == "Deadline"
        assert str(ObligationResult._meta.get_field("reason").verbose_name) == "Reason"
        assert str(Disclosure._meta.get_field("period_end").verbose_name) == "End date"
        assert pgettext("date range", "截止日期") == "End date"
    with translation.override("zh-hans"):
        assert str(ComplianceStatus.MET.label) == "已完成"
