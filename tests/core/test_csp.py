"""Issue 12, hole 1: a Content-Security-Policy on every response, and pages that keep it.

1. Every kind of response carries the policy (django-csp, settings.CONTENT_SECURITY_POLICY):
   HTML pages (anonymous, signed in, the login page), htmx partials, JSON from the API,
   a redirect, a 404, a refused request (400) and a static file; a spreadsheet download
   keeps core.downloads' stricter sandboxing policy. The app's policy allows scripts and
   styles from the app only (no 'unsafe-inline', no 'unsafe-eval'), images from the app
   and data:, no framing, no plugins, no <base>, forms to the app only.
2. A walk over the app's pages (every URL pattern that a GET can open, with the ids of a
   signed pair's objects, as five kinds of user and anonymously) parses each HTML page and
   fails on any inline script, <style> element, style="…" attribute, on*= handler or
   javascript: URL: under the policy the browser would refuse them. Data for scripts is
   allowed as json_script (<script type="application/json">): a data block is never run, so
   the policy does not apply to it (the browser test tests/e2e/test_xss.py sees no
   violation on the board and dashboard, which carry one each).
"""

from __future__ import annotations

import datetime
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from gongjian.accounts.models import User
from gongjian.orgs.models import Person
from gongjian.rounds.models import DirectoryEntry, Pairing
from tests.conftest import Cast
from tests.records.conftest import backdate_term, sign_pairing
from tests.rounds.conftest import make_round

TODAY = datetime.date.today()
EXPECTED = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "object-src": {"'none'"},
    "base-uri": {"'self'"},
    "form-action": {"'self'"},
    "frame-ancestors": {"'none'"},
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def signed(cast: Cast) -> Pairing:
    round_ = make_round(cast)
    pairing = sign_pairing(cast, round_)
    backdate_term(round_, datetime.date(TODAY.year - 1, 1, 1))
    return Pairing.objects.select_related("round").get(pk=pairing.pk)


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def policy(response) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    header = response.headers.get("Content-Security-Policy")
    assert header, f"{response.status_code} {response.get('Content-Type')}: no Content-Security-Policy"
    directives: dict[str, set[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = set(words[1:])
    return directives


def assert_app_policy(response) -> None:  # type: ignore[no-untyped-def]
    directives = policy(response)
    for name, sources in EXPECTED.items():
        assert directives.get(name) == sources, (name, directives.get(name))
    every = set().union(*directives.values())
    assert not every & {"'unsafe-inline'", "'unsafe-eval'", "*"}, directives


def test_every_kind_of_response_carries_the_policy(cast: Cast, signed: Pairing) -> None:
    round_pk = signed.round_id
    anonymous, admin = client_for(None), client_for(cast.city_admin)
    responses = {
        "public page": anonymous.get(reverse("portal:board", args=[round_pk])),
        "login page": anonymous.get(reverse("accounts:login")),
        "signed-in page": admin.get(reverse("dashboard:index")),
        "htmx partial": anonymous.get(reverse("portal:board_live", args=[round_pk]), headers={"HX-Request": "true"}),
        "API JSON": admin.get("/api/rounds/"),
        "spreadsheet download": admin.get(reverse("orgs:export", args=["organizations", "xlsx"])),
        "redirect": anonymous.get(reverse("dashboard:index")),
        "not found": admin.get(reverse("rounds:detail", args=[10**9])),
        "refused request": anonymous.get(reverse("portal:index") + "?q=%00"),
        "static file": anonymous.get("/static/gongjian/gongjian.js"),
    }
    statuses = {kind: r.status_code for kind, r in responses.items()}
    assert statuses == {
        "public page": 200,
        "login page": 200,
        "signed-in page": 200,
        "htmx partial": 200,
        "API JSON": 200,
        "spreadsheet download": 200,
        "redirect": 302,
        "not found": 404,
        "refused request": 400,
        "static file": 200,
    }
    # A file keeps the stricter policy core.downloads gives every file: nothing loads, and
    # the sandbox runs no script even if the browser renders it.
    download = policy(responses.pop("spreadsheet download"))
    assert download["default-src"] == {"'none'"} and "sandbox" in download, download
    assert "script-src" not in download, download
    for kind, response in responses.items():
        try:
            assert_app_policy(response)
        except AssertionError as exc:
            raise AssertionError(f"{kind}: {exc}") from exc


class InlineCode(HTMLParser):
    """Collects what a strict policy would refuse in one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.data_blocks = 0
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> handler")
            if name == "style":
                self.problems.append(f'<{tag} style="{value}">')
            if name in {"href", "src", "action", "formaction"} and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"<{tag} {name}={value}>")
        if tag == "style":
            self.problems.append("<style> element")
        stylesheet = tag == "link" and "stylesheet" in (values.get("rel") or "").split()
        if stylesheet and not (values.get("href") or "").startswith("/static/"):
            self.problems.append(f"stylesheet not from the app: {values.get('href')}")
        if tag == "script":
            src, kind = values.get("src"), (values.get("type") or "").lower()
            if src:
                self.scripts.append(src)
                if not src.startswith("/static/"):
                    self.problems.append(f"script not from the app: {src}")
            elif kind == "application/json":
                self.data_blocks += 1
            else:
                self._in_script = True

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.problems.append(f"inline script: {data.strip()[:80]}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False


def test_the_parser_finds_what_the_policy_refuses() -> None:
    """The walk below can fail: each thing it looks for is found in a page that has it."""
    page = InlineCode()
    page.feed(
        '<div style="width: 5%"></div><form onsubmit="return confirm(1)"><a href="javascript:go()">x</a></form>'
        '<style>p{}</style><script>alert(1)</script><script src="https://cdn.example/x.js"></script>'
        '<script type="application/json" id="d">{"a": 1}</script><script src="/static/gongjian/gongjian.js"></script>'
    )
    assert len(page.problems) == 6, page.problems
    assert page.data_blocks == 1


# A GET on one of these opens no page (posts, files and API answers are not HTML pages).
SKIP = re.compile(r"^(django-admin/|api/(?!docs)|accounts/logout/|i18n/|healthz)|\.<str:fmt>|\.(pdf|xlsx|csv)$|<path:")


def routes() -> list[str]:
    def walk(patterns: list, prefix: str = "") -> list[str]:  # type: ignore[type-arg]
        found: list[str] = []
        for p in patterns:
            if isinstance(p, URLResolver):
                found += walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                found.append(prefix + str(p.pattern))
        return found

    return sorted({r for r in walk(get_resolver().url_patterns) if not SKIP.search(r)})


def concrete(route: str, ids: dict[str, int]) -> str | None:
    """The route with its parameters filled in from the signed pair's objects, or None when
    the route takes an object this walk has none of."""
    by_prefix = [
        ("rounds/pairings/", "pairing"),
        ("rounds/<int:pk>/directory/<int:entry_pk>", "round"),
        ("rounds/", "round"),
        ("portal/rounds/", "round"),
        ("portal/funds/villages/", "village"),
        ("records/p/", "pairing"),
        ("compliance/pairs/", "pairing"),
        ("dashboard/pairs/", "pairing"),
        ("funds/pairings/", "pairing"),
        ("funds/villages/", "village"),
        ("orgs/people/", "person"),
        ("orgs/tree/", "county"),
        ("orgs/<int:pk>", "county"),
        ("accounts/users/", "user"),
        ("members/pairs/pairing/", "pairing"),
        ("members/pairs/unit/", "unit"),
    ]
    kind = next((k for prefix, k in by_prefix if route.startswith(prefix)), None)

    def fill(match: re.Match[str]) -> str:
        name = match.group(2)
        if name == "entry_pk":
            return str(ids["entry"])
        if name == "number":
            return "1"
        if name == "year":
            return str(TODAY.year)
        if name == "quarter":
            return "1"
        if kind is None or match.group(1) != "int":
            raise LookupError(route)
        return str(ids[kind])

    try:
        return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, route)
    except LookupError:
        return None


def test_no_page_holds_inline_script_or_style(cast: Cast, signed: Pairing) -> None:
    ids = {
        "round": signed.round_id,
        "pairing": signed.pk,
        "village": cast.village.pk,
        "unit": cast.unit.pk,
        "county": cast.county.pk,
        "person": Person.objects.filter(organization=cast.village).values_list("pk", flat=True)[0],
        "user": cast.unit_user.pk,
        "entry": DirectoryEntry.objects.filter(round_id=signed.round_id).values_list("pk", flat=True)[0],
    }
    paths = [p for p in (concrete(r, ids) for r in routes()) if p]
    # Pages reached only with a query: the board's drill-down and the archive's tabs.
    paths += [
        reverse("portal:board_county", args=[signed.round_id]) + "?county=商南县",
        reverse("portal:board_town", args=[signed.round_id]) + "?county=商南县&town=富水镇",
        reverse("records:archive", args=[signed.pk]) + "?tab=cards",
        reverse("dashboard:index") + f"?round={signed.round_id}&year={TODAY.year - 1}",
    ]
    people = [None, cast.city_admin, cast.committee_admin, cast.unit_user, cast.village_user, cast.auditor]
    checked: set[str] = set()
    data_blocks = 0
    problems: list[str] = []
    for user in people:
        client = client_for(user)
        for path in paths:
            response = client.get(path)
            if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
                continue
            assert_app_policy(response)
            page = InlineCode()
            page.feed(response.content.decode())
            data_blocks += page.data_blocks
            checked.add(path.split("?")[0])
            problems += [f"{path} ({user or 'anonymous'}): {p}" for p in page.problems]
    assert problems == [], "\n".join(problems)
    # The walk reached the app's pages, not a handful of them (the count is of distinct
    # routes answered 200 with HTML to someone), json_script data blocks among them.
    assert len(checked) >= 60, sorted(checked)
    assert data_blocks >= 2
