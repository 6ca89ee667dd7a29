"""Starting a compliance evaluation of the actor's subtree now (celery beat runs one every
night): one service behind the page's button and the API's ``POST /compliance/evaluate``.
The evaluation itself is a job (``compliance.jobs.run_compliance``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from gongjian.compliance.selectors import is_admin
from gongjian.jobs.models import Job, JobKind
from gongjian.jobs.services import job_start, request_key
from gongjian.orgs.scope import scope_root


def compliance_evaluation_start(*, actor: Any) -> Job:
    """Start (or follow, while it is still queued or running) the evaluation of the actor's
    subtree. A user without a subtree gets a 404; only its admins may start it (403). The
    job is audited by :func:`gongjian.jobs.services.job_start`."""
    root = scope_root(actor)
    if root is None:
        raise Http404
    if not is_admin(actor):
        raise PermissionDenied(_("只有管理员可以运行合规评估"))
    return job_start(
        actor=actor,
        kind=JobKind.COMPLIANCE_EVALUATION,
        title=_("合规评估：%(scope)s") % {"scope": root.name},
        params={"scope_id": root.pk},
        scope_path=root.path,
        idempotency_key=request_key("compliance", actor.pk, root.pk),
    )
