"""The words of two practices of a pair that the seeds describe and profiles check: the
五个一 targets (seed 000) and the yearly public commitments with their 评议 (seed 002
双承诺/双述职、四级承诺一评议; seed 004 doc 2 二、4 作出公开承诺). Kept apart from the models so
that the policy loader and compliance can import the words without the tables."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The words a profile names (a ``five_ones`` obligation's kinds, ``commitments``' points) belong
# to the policy layer; the records app stores them.
from gongjian.policies.practices import CommitmentOutcome, FiveOne, ReviewResult

__all__ = ["CommitmentOutcome", "FiveOne", "FiveOneStatus", "ReviewResult"]


class FiveOneStatus(models.TextChoices):
    """Where one target stands, as the unit reports it."""

    PLANNED = "planned", _("已制定计划")
    IN_PROGRESS = "in_progress", _("推进中")
    DONE = "done", _("已完成")
