"""One dashboard render computes the user's scope once (issue 13: it used to recompute the
scope root three times): every selector the page calls asks ``Scope.of(request.user)``,
which is memoised on the request's user object."""

from __future__ import annotations

import pytest
from django.test import Client

from gongjian.accounts.models import User
from gongjian.orgs.scope import Scope
from gongjian.portal import selectors_dashboard
from tests.conftest import Cast
from tests.portal.test_dashboard_selectors import AS_OF, DashWorld, make_dash_world
from tests.portal.test_dashboard_views import url


@pytest.fixture
def dash(cast: Cast, monkeypatch: pytest.MonkeyPatch, dashboard_policy: str) -> DashWorld:
    monkeypatch.setattr(selectors_dashboard, "today", lambda: AS_OF)
    return make_dash_world(cast, dashboard_policy)


@pytest.mark.parametrize("username", ["city", "county"])
def test_a_dashboard_render_computes_the_scope_once(
    dash: DashWorld, monkeypatch: pytest.MonkeyPatch, username: str
) -> None:
    client = Client()
    client.force_login(User.objects.get(username=username))
    computed: list[str] = []
    compute = Scope.compute.__func__  # type: ignore[attr-defined]

    def counting(cls, user, key=None):  # type: ignore[no-untyped-def]
        computed.append(user.username)
        return compute(cls, user, key)

    monkeypatch.setattr(Scope, "compute", classmethod(counting))
    response = client.get(url(dash, area=dash.cast.county.pk))
    assert response.status_code == 200
    assert response.context["board"].rows  # the page really counted something
    assert computed == [username]
