"""The policy pages: the shipped profiles, and each rule of one with its source beside it.

A profile is a public document of the place (no data scope): every signed-in user may read
it, as the units and villages it binds must be able to."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from gongjian.policies.errors import PolicyProfileError
from gongjian.policies.loader import load_profile, profile_keys
from gongjian.policies.profile import HEADER_KEYS
from gongjian.policies.sources import rule_sources


@login_required
def profile_list(request: HttpRequest) -> HttpResponse:
    rows = []
    for key in profile_keys():
        try:
            rows.append({"key": key, "profile": load_profile(key), "error": ""})
        except PolicyProfileError as exc:
            rows.append({"key": key, "profile": None, "error": str(exc)})
    return render(request, "policies/profile_list.html", {"rows": rows})


@login_required
def profile_detail(request: HttpRequest, key: str) -> HttpResponse:
    try:
        heading, rules = rule_sources(key)
    except PolicyProfileError:
        raise Http404 from None
    # name, place, version, source describe the profile (shown above the table), not rules
    rules = [rule for rule in rules if rule.path not in HEADER_KEYS]
    try:
        profile, error = load_profile(key), ""
    except PolicyProfileError as exc:
        profile, error = None, str(exc)
    context = {
        "key": key,
        "profile": profile,
        "error": error,
        "heading": heading,
        "rules": rules,
        "uncited": sum(1 for rule in rules if rule.value and not rule.cited),
        "local_defaults": sum(1 for rule in rules if rule.value and rule.local_default),
    }
    return render(request, "policies/profile_detail.html", context)
