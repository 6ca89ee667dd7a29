"""A round's page that starts a job: rendering the agreement PDFs of a round written in bulk."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from gongjian.jobs.pages import job_response
from gongjian.rounds import selectors
from gongjian.rounds.jobs import agreement_pdfs_start


@login_required
@require_POST
def agreement_pdfs_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Start rendering a round's agreement PDFs (round administrators; others 403, a round
    outside the user's scope 404) and follow the job."""
    round_ = selectors.round_get(user=request.user, pk=pk)
    return job_response(agreement_pdfs_start(actor=request.user, round_=round_))
