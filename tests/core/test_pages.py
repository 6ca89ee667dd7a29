"""The one form page (``core.pages``): a valid form goes to the service, a refusal comes back
on the form with what the user typed — every reason at once, each next to its field — and a
button without a form shows the reason as the page's message."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from gongjian.core.errors import FieldsRefused, Refused
from gongjian.core.pages import attempt, form_page
from gongjian.members.errors import MembersInputRefused


class PledgeForm(forms.Form):
    name = forms.CharField()
    amount = forms.IntegerField()


def _request(method: str = "post", data: dict[str, Any] | None = None) -> HttpRequest:
    factory = RequestFactory()
    request = factory.post("/pledge/", data or {}) if method == "post" else factory.get("/pledge/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


class Page:
    """Stands for the template: what the page would have shown, and with which status."""

    def __init__(self) -> None:
        self.context: dict[str, Any] | None = None

    def __call__(self, request: HttpRequest, template: str, context: dict[str, Any], status: int) -> HttpResponse:
        self.context = context
        return HttpResponse(status=status)


def _submit(service: Any, data: dict[str, Any] | None = None, **extra: Any) -> tuple[HttpResponse, Page, HttpRequest]:
    request = _request(data=data if data is not None else {"name": "李建国", "amount": "200"})
    page = Page()
    response = form_page(
        request,
        form=PledgeForm(request.POST),
        service=service,
        template="unused.html",
        context=lambda: {"title": "认捐"},
        success="认捐已登记",
        done=lambda result: f"/pledges/{result}/",
        render_with=page,
        **extra,
    )
    return response, page, request


def _refusing(exc: Exception) -> Any:
    """A service that refuses with ``exc``."""

    def service(*args: Any, **kwargs: Any) -> Any:
        raise exc

    return service


def _messages(request: HttpRequest) -> list[str]:
    return [str(m) for m in get_messages(request)]


def test_a_valid_form_goes_to_the_service_then_on() -> None:
    received: list[dict[str, Any]] = []

    def service(data: dict[str, Any]) -> int:
        received.append(data)
        return 7

    response, page, request = _submit(service)
    assert received == [{"name": "李建国", "amount": 200}]
    assert response.status_code == 302 and response["Location"] == "/pledges/7/"
    assert _messages(request) == ["认捐已登记"] and page.context is None


def test_a_refusal_naming_a_field_is_shown_next_to_it_with_the_input_kept() -> None:
    def service(data: dict[str, Any]) -> int:
        raise Refused("余额不足，最多可拨付 150 元", code="overdrawn", field="amount")

    response, page, request = _submit(service, invalid_status=400)
    assert response.status_code == 400 and page.context is not None
    form = page.context["form"]
    assert form.errors == {"amount": ["余额不足，最多可拨付 150 元"]}
    assert form["name"].value() == "李建国" and page.context["title"] == "认捐"
    assert _messages(request) == []


def test_a_refusal_of_the_whole_form_or_of_a_field_it_lacks_is_above_the_form() -> None:
    for refusal in (Refused("结对已结束"), Refused("结对已结束", field="pairing")):
        response, page, _ = _submit(_refusing(refusal))
        assert response.status_code == 200 and page.context is not None
        assert page.context["form"].non_field_errors() == ["结对已结束"]


def test_every_reason_at_once_each_on_its_field_renamed_where_the_form_differs() -> None:
    def service(data: dict[str, Any]) -> int:
        raise MembersInputRefused({"villager_name": "请填写姓名", "amount": "金额不能为负数", "": "该结对已结束"})

    _, page, _ = _submit(service, fields={"villager_name": "name"})
    assert page.context is not None
    form = page.context["form"]
    assert form.errors == {"name": ["请填写姓名"], "amount": ["金额不能为负数"], "__all__": ["该结对已结束"]}


def test_the_service_is_not_asked_while_the_form_itself_is_wrong() -> None:
    def service(data: dict[str, Any]) -> int:
        raise AssertionError("the service must not run")

    _, page, _ = _submit(service, data={"name": "", "amount": "x"})
    assert page.context is not None and set(page.context["form"].errors) == {"name", "amount"}


def test_a_get_shows_the_form_with_the_page_context() -> None:
    request = _request("get")
    page = Page()
    response = form_page(
        request,
        form=PledgeForm(None),
        service=lambda data: 1,
        template="unused.html",
        context={"title": "认捐"},
        success="认捐已登记",
        done="/",
        render_with=page,
    )
    assert response.status_code == 200 and page.context is not None
    assert page.context["title"] == "认捐" and not page.context["form"].is_bound


def test_a_validation_error_of_a_service_lands_on_the_form_too() -> None:
    def service(data: dict[str, Any]) -> int:
        raise ValidationError({"amount": "金额过大", "__all__": "请稍后再试"})

    _, page, _ = _submit(service)
    assert page.context is not None
    assert page.context["form"].errors == {"amount": ["金额过大"], "__all__": ["请稍后再试"]}


def test_a_button_without_a_form_shows_the_reason_as_a_message() -> None:
    request = _request()
    assert attempt(request, None, lambda: None) is True  # done, nothing returned
    assert attempt(request, None, lambda: 0) == 0
    refused = FieldsRefused({"ended_on": "该结对已结束", "amount": "金额不能为负数"})
    assert attempt(request, None, _refusing(refused)) is None
    assert _messages(request) == ["该结对已结束；金额不能为负数"]


@pytest.mark.parametrize(
    ("errors", "field", "status"),
    [({"amount": "金额不能为负数"}, "amount", 422), ({"": "该结对已结束"}, "", 409)],
)
def test_a_fields_refusal_names_its_first_field_for_the_api(errors: dict[str, str], field: str, status: int) -> None:
    refusal = FieldsRefused(errors)
    assert refusal.field == field and refusal.status == status and refusal.code == "invalid"
    assert refusal.as_dict()["detail"] == next(iter(errors.values()))
