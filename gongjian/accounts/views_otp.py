"""The second step of an administrator's sign-in: enrol an authenticator, then give a code."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from gongjian.accounts import second_factor
from gongjian.accounts.errors import AccountActionRefused


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    ok = url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    return target if ok and target else "/"


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    if second_factor.has_authenticator(request.user):
        return redirect("accounts:otp_verify")
    device = second_factor.pending_authenticator(request.user)
    error = ""
    if request.method == "POST":
        try:
            codes = second_factor.authenticator_confirm(request=request, token=request.POST.get("token", ""))
        except AccountActionRefused as exc:
            error = exc.message
        else:
            return render(request, "accounts/otp_recovery_codes.html", {"codes": codes, "next": _next(request)})
    context = {
        "qr": second_factor.qr_svg(device),
        "secret": second_factor.secret_text(device),
        "error": error,
        "next": _next(request),
    }
    return render(request, "accounts/otp_setup.html", context)


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    if not second_factor.has_authenticator(request.user):
        return redirect("accounts:otp_setup")
    error = ""
    if request.method == "POST":
        try:
            second_factor.second_step(request=request, token=request.POST.get("token", ""))
        except AccountActionRefused as exc:
            error = exc.message
        else:
            return redirect(_next(request))
    return render(request, "accounts/otp_verify.html", {"error": error, "next": _next(request)})
