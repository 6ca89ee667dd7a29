"""Account management pages (thin: forms, selectors, services)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjian.accounts import second_factor, services
from gongjian.accounts.forms import AccountCreateForm, AccountRoleForm
from gongjian.accounts.import_accounts import account_import, template
from gongjian.accounts.selectors import account_get, account_list, role_choices
from gongjian.core.downloads import attachment, file_name
from gongjian.core.pages import attempt
from gongjian.core.view_helpers import page_of
from gongjian.jobs.uploads import upload_page
from gongjian.orgs.scope import account_scope_path


def _manager(request: HttpRequest) -> Any:
    if account_scope_path(request.user) is None:
        raise Http404(_("您不管理账号"))
    return request.user


@login_required
def account_index(request: HttpRequest) -> HttpResponse:
    actor = _manager(request)
    query, role = request.GET.get("q", "").strip(), request.GET.get("role", "")
    page = page_of(request, account_list(user=actor, query=query, role=role))
    context = {
        "page": page,
        "query": query,
        "role": role,
        "roles": role_choices(),
        "can_create": actor.role in services.GRANTABLE,
    }
    return render(request, "accounts/account_list.html", context)


@login_required
def account_new(request: HttpRequest) -> HttpResponse:
    actor = _manager(request)
    form = AccountCreateForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = attempt(
            request,
            form,
            lambda: services.account_create(
                actor=actor,
                username=data["username"],
                full_name=data["full_name"],
                role=data["role"],
                organization=data["organization_code"],
                phone=data["phone"],
            ),
        )
        if isinstance(created, tuple):
            # The new account's one-time password is shown once, on this answer, never stored.
            user, password = created
            return render(request, "accounts/account_password_once.html", {"account": user, "password": password})
    return render(request, "accounts/account_form.html", {"form": form})


@login_required
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _manager(request)
    account = account_get(user=actor, pk=pk)
    context = {
        "account": account,
        "is_self": account.pk == actor.pk,
        "can_manage": actor.role in services.MANAGERS,
        "can_unlock": actor.role in services.UNLOCKERS,
        "role_form": AccountRoleForm(initial={"role": account.role}) if actor.role in services.ROLE_SETTERS else None,
        "can_reset_otp": actor.role in services.ROLE_SETTERS,
    }
    return render(request, "accounts/account_detail.html", context)


def _act(request: HttpRequest, pk: int, action: Callable[[Any, Any], Any], done: str) -> HttpResponse:
    actor = _manager(request)
    account = account_get(user=actor, pk=pk)
    result = attempt(request, None, lambda: action(actor, account))
    if result is None:
        return redirect("accounts:account_detail", pk=account.pk)
    if isinstance(result, str):
        return render(request, "accounts/account_password_once.html", {"account": account, "password": result})
    messages.success(request, done)
    return redirect("accounts:account_detail", pk=account.pk)


@login_required
@require_POST
def account_disable(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, lambda a, u: services.account_set_active(actor=a, user=u, active=False), _("账号已停用"))


@login_required
@require_POST
def account_enable(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, lambda a, u: services.account_set_active(actor=a, user=u, active=True), _("账号已启用"))


@login_required
@require_POST
def account_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, lambda a, u: services.account_unlock(actor=a, user=u), _("已解除登录锁定"))


@login_required
@require_POST
def account_password_reset(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, lambda a, u: services.account_password_reset(actor=a, user=u), "")


@login_required
@require_POST
def account_role(request: HttpRequest, pk: int) -> HttpResponse:
    form = AccountRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择角色"))
        return redirect("accounts:account_detail", pk=pk)
    role = form.cleaned_data["role"]
    return _act(request, pk, lambda a, u: services.account_role_set(actor=a, user=u, role=role), _("角色已修改"))


@login_required
@require_POST
def account_otp_reset(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda a, u: second_factor.second_factor_reset(actor=a, user=u),
        _("已重置双因素认证，下次登录重新绑定"),
    )


@login_required
def account_import_page(request: HttpRequest) -> HttpResponse:
    actor = _manager(request)
    if actor.role not in services.GRANTABLE:
        raise Http404(_("您不能创建账号"))
    # In the request, not a job: the result is the one-time passwords, never stored.
    return upload_page(
        request,
        run=lambda data, name: account_import(actor=actor, data=data, filename=name),
        title=_("批量导入账号"),
        template="accounts/account_import.html",
    )


@login_required
def account_import_template(request: HttpRequest, fmt: str) -> HttpResponse:
    _manager(request)
    if fmt not in ("xlsx", "csv"):
        raise Http404
    return attachment(template(fmt), file_name(_("账号导入模板"), ext=fmt))
