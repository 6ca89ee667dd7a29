"""Portal pages: the public index, live status board and directory, and the internal
(signed-in, scoped) board. Thin views over ``gongjian.rounds.selectors``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from gongjian.core.view_helpers import page_of
from gongjian.orgs.selectors import resource_choices, tag_choices
from gongjian.portal.maps import map_code
from gongjian.rounds import selectors
from gongjian.rounds.choices import Stage
from gongjian.rounds.coverage import round_adjustments, round_coverage

DIRECTORY_PAGE_SIZE = 50
# How often the board asks for fresh numbers (htmx ``every``), in seconds.
POLL_SECONDS = 10


def _round_and_board(request: HttpRequest, pk: int, *, internal: bool) -> tuple[Any, selectors.Board]:
    round_ = _round(request, pk, internal=internal)
    if internal:
        return round_, selectors.board_internal(user=request.user, round_=round_)
    return round_, selectors.board_public(user=request.user, round_=round_)


def _urls(pk: int, *, internal: bool) -> dict[str, str]:
    prefix = "portal:internal_" if internal else "portal:"
    return {
        "page": reverse(f"{prefix}board", args=[pk]),
        "live": reverse(f"{prefix}board_live", args=[pk]),
        "county": reverse(f"{prefix}board_county", args=[pk]),
        "town": reverse(f"{prefix}board_town", args=[pk]),
        "directory": reverse("portal:directory", args=[pk]),
        "public": reverse("portal:board", args=[pk]),
    }


def _board_context(request: HttpRequest, pk: int, *, internal: bool) -> dict[str, Any]:
    round_, board = _round_and_board(request, pk, internal=internal)
    code = map_code(round_.scope)
    return {
        "round": round_,
        "map_url": reverse("portal:city_map", args=[code]) if code else "",
        "board": board,
        # Towns and the city side (seed 004 doc 1 (二)(四), doc 2 二、1) and dynamic adjustments.
        "coverage": round_coverage(round_=round_, scope_path=board.scope_path, public=not internal),
        "adjustments": round_adjustments(round_=round_, scope_path=board.scope_path, public=not internal)[:50],
        "board_data": board.as_dict(),
        "stages": selectors.stage_legend(),
        "internal": internal,
        "urls": _urls(pk, internal=internal),
        "poll_seconds": POLL_SECONDS,
    }


def _board_page(request: HttpRequest, pk: int, *, internal: bool) -> HttpResponse:
    return render(request, "portal/board.html", _board_context(request, pk, internal=internal))


def _board_live(request: HttpRequest, pk: int, *, internal: bool) -> HttpResponse:
    """The polled partial: coverage figures, the county table and the charts' data."""
    return render(request, "portal/_board_live.html", _board_context(request, pk, internal=internal))


def _board_county(request: HttpRequest, pk: int, *, internal: bool) -> HttpResponse:
    """Drill-down, first step: the towns of one county."""
    round_, board = _round_and_board(request, pk, internal=internal)
    county = board.county(request.GET.get("county", ""))
    context = {"round": round_, "county": county, "internal": internal, "urls": _urls(pk, internal=internal)}
    return render(request, "portal/_board_county.html", context)


def _round(request: HttpRequest, pk: int, *, internal: bool) -> Any:
    """The round of a board page: one the user sees (internal), or a published one (public)."""
    if internal:
        return selectors.round_get(user=request.user, pk=pk)
    return selectors.public_round(pk=pk)


def _board_town(request: HttpRequest, pk: int, *, internal: bool) -> HttpResponse:
    """Drill-down, second step: the villages of one town."""
    round_ = _round(request, pk, internal=internal)
    county, town = request.GET.get("county", ""), request.GET.get("town", "")
    villages = selectors.board_villages(user=request.user, round_=round_, county=county, town=town, public=not internal)
    context = {"round": round_, "county": county, "town": town, "villages": villages, "internal": internal}
    return render(request, "portal/_board_town.html", context)


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Public index: rounds whose directory is published."""
    return render(request, "portal/index.html", {"rounds": selectors.public_rounds()})


@require_GET
def board(request: HttpRequest, pk: int) -> HttpResponse:
    return _board_page(request, pk, internal=False)


@require_GET
def board_live(request: HttpRequest, pk: int) -> HttpResponse:
    return _board_live(request, pk, internal=False)


@require_GET
def board_county(request: HttpRequest, pk: int) -> HttpResponse:
    return _board_county(request, pk, internal=False)


@require_GET
def board_town(request: HttpRequest, pk: int) -> HttpResponse:
    return _board_town(request, pk, internal=False)


@require_GET
@login_required
def internal_board(request: HttpRequest, pk: int) -> HttpResponse:
    return _board_page(request, pk, internal=True)


@require_GET
@login_required
def internal_board_live(request: HttpRequest, pk: int) -> HttpResponse:
    return _board_live(request, pk, internal=True)


@require_GET
@login_required
def internal_board_county(request: HttpRequest, pk: int) -> HttpResponse:
    return _board_county(request, pk, internal=True)


@require_GET
@login_required
def internal_board_town(request: HttpRequest, pk: int) -> HttpResponse:
    return _board_town(request, pk, internal=True)


@require_GET
def directory(request: HttpRequest, pk: int) -> HttpResponse:
    """Public directory: villages with tags (weak villages marked) and stage; paginated,
    searchable by name, pinyin or pinyin initials."""
    round_ = selectors.public_round(pk=pk)
    filters = {key: request.GET.get(key, "").strip() for key in ("q", "county", "tag", "need", "stage")}
    entries = selectors.directory_entries(
        user=request.user,
        round_=round_,
        county=filters["county"],
        tag=filters["tag"],
        need=filters["need"],
        stage=filters["stage"] if filters["stage"] in Stage.values else "",
        query=filters["q"],
    )
    context = {
        "round": round_,
        "page": page_of(request, entries, DIRECTORY_PAGE_SIZE),
        "filters": filters,
        "counties": selectors.directory_counties(user=request.user, round_=round_),
        "tags": tag_choices(),
        "resources": resource_choices(),
        "stages": Stage.choices,
    }
    template = "portal/_directory_rows.html" if getattr(request, "htmx", False) else "portal/directory.html"
    return render(request, template, context)
