"""The origin organization's records of what it did (seed 004 doc 3: the 七一 letter and the
腊月 forum with its 述职 and 评议; seed 002: 五送一建 for needy members): lists in scope and
the forms that record them through :mod:`gongjian.members.services_care`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gongjian.core.pages import attempt
from gongjian.members.forms_care import CareForm, ForumForm, LetterForm
from gongjian.members.selectors_care import care_origins, care_people, care_records, members_out
from gongjian.members.services_care import WRITERS, forum_record, letter_record, member_care_record
from gongjian.orgs.scope import scope_root


@login_required
def care_view(request: HttpRequest) -> HttpResponse:
    """Letters, forums and care of the organizations in the user's subtree."""
    user = request.user
    if scope_root(user) is None:
        raise Http404
    writer = getattr(user, "role", "") in WRITERS
    if request.method == "POST" and not writer:
        raise Http404
    origins = care_origins(user=user)
    posted = request.POST if request.method == "POST" else None
    letter_form = LetterForm(posted if posted and "letter" in posted else None, origins=origins)
    forum_form = ForumForm(
        posted if posted and "forum" in posted else None, origins=origins, members=members_out(user=user)
    )
    care_form = CareForm(posted if posted and "care" in posted else None, people=care_people(user=user))
    for form, call, done in (
        (letter_form, lambda d: letter_record(actor=user, **d), _("七一慰问信已登记")),
        (forum_form, lambda d: forum_record(actor=user, **d), _("腊月座谈会已登记")),
        (care_form, lambda d: member_care_record(actor=user, **d), _("五送一建已登记")),
    ):
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            if attempt(request, form, lambda: call(data)) is not None:  # noqa: B023 — called at once
                messages.success(request, done)
                return redirect("members:care")
    context = {
        "active": "care",
        "writer": writer,
        **care_records(user=user),
        "letter_form": letter_form,
        "forum_form": forum_form,
        "care_form": care_form,
    }
    return render(request, "members/care.html", context)
