"""The token page (/accounts/tokens/): a user's own API tokens, created and revoked by
themselves. A new token's secret is shown once, as text and as a QR code for a phone."""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjian.api.tokens import token_create, token_get, token_list, token_revoke
from gongjian.core.errors import Refused


def _days(value: str) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        return -1  # refused by the service with its own message


@login_required
def token_page(request: HttpRequest) -> HttpResponse:
    """List one's tokens; POST creates one and shows its secret this once."""
    context: dict[str, object] = {
        "default_days": settings.API_TOKEN_DEFAULT_DAYS,
        "max_days": settings.API_TOKEN_MAX_DAYS,
    }
    status = 200
    if request.method == "POST":
        try:
            issued = token_create(
                actor=request.user, name=request.POST.get("name", ""), days=_days(request.POST.get("days", ""))
            )
        except Refused as exc:
            context["error"] = exc.message
            context["name"] = request.POST.get("name", "")[:64]
            status = 422 if exc.field else 409
        else:
            context["issued"] = issued
            context["qr_svg"] = segno.make(issued.secret, error="m").svg_inline(scale=4, border=2)
    context["tokens"] = list(token_list(user=request.user))
    return render(request, "api/tokens.html", context, status=status)


@login_required
@require_POST
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    token = token_get(user=request.user, pk=pk)
    try:
        token_revoke(actor=request.user, token=token)
    except Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("令牌“%(name)s”已撤销") % {"name": token.name})
    return redirect("api_tokens")
