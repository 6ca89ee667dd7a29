"""One error family: every capability's refusal is a ``core.errors.Refused``, and the API
maps the whole family once."""

from __future__ import annotations

import importlib
import json
import pkgutil

import pytest
from django.http import HttpRequest

import gongjian
from gongjian.api.urls import api, refused
from gongjian.core.errors import Refused


def _refusal_classes() -> list[type]:
    found = []
    for module_info in pkgutil.walk_packages(gongjian.__path__, "gongjian."):
        if module_info.name.endswith(".errors"):
            module = importlib.import_module(module_info.name)
            found += [
                obj
                for name, obj in vars(module).items()
                if isinstance(obj, type) and name.endswith("Refused") and obj.__module__ == module.__name__
            ]
    return found


def test_every_capability_refusal_belongs_to_the_family() -> None:
    classes = _refusal_classes()
    names = {c.__name__ for c in classes}
    assert {"RoundActionRefused", "RecordActionRefused", "FundsActionRefused", "DispatchActionRefused"} <= names
    assert "MembersActionRefused" in names
    assert all(issubclass(c, Refused) for c in classes), [c for c in classes if not issubclass(c, Refused)]


@pytest.mark.parametrize(
    ("field", "status", "body"),
    [
        ("", 409, {"detail": "该月已填报", "code": "duplicate"}),
        ("amount", 422, {"detail": "该月已填报", "code": "duplicate", "field": "amount"}),
    ],
)
def test_the_api_maps_a_refusal_to_409_or_422_with_its_reason(field: str, status: int, body: dict) -> None:
    from gongjian.dispatch.errors import DispatchActionRefused

    response = refused(HttpRequest(), DispatchActionRefused("该月已填报", code="duplicate", field=field))
    assert response.status_code == status
    assert api.renderer.media_type in response["Content-Type"]
    assert json.loads(response.content) == body
