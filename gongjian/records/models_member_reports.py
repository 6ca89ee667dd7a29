"""The first link of the reporting chain (seed 004 doc 5 三、3): "机关单位党员每季度向所在党组织报告
一次" — each party member of a unit reports to the unit's organization every quarter, before the
organization reports to its superior (``QuarterlyReport``) and the committee issues its half-year
notice (``InspectionNotice``)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongjian.orgs.models import Organization, Person


class MemberReport(models.Model):
    """One party member's quarterly report to the unit's organization, as the unit received it."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("所在党组织"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(Person, verbose_name=_("党员"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000)])
    quarter = models.PositiveSmallIntegerField(_("季度"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    reported_on = models.DateField(_("报告日期"))
    content = models.TextField(_("报告内容"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("党员季度报告")
        verbose_name_plural = _("党员季度报告")
        ordering = ["-year", "-quarter", "person_id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "year", "quarter"], name="records_member_report_unique"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="records_member_report_q_1_4"),
        ]
        indexes = [models.Index(fields=["organization", "year", "quarter"], name="records_member_report_unit")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.year}年第{self.quarter}季度"
