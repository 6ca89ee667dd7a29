"""The county map of a city as GeoJSON, for the board's and the dashboard's map charts.

Borders are public data (the public board shows them), so no login is needed; the file is
read where make setup installed it and may be cached by browsers for a day.
"""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from gongjian.portal.maps import city_map_file


@require_GET
@cache_control(public=True, max_age=86400)
def city_map(request: HttpRequest, code: str) -> FileResponse:
    """GeoJSON of city ``code`` (4 digits) with its county borders; 404 where there is none."""
    path = city_map_file(code)
    if path is None:
        raise Http404("没有该市的地图数据")
    return FileResponse(path.open("rb"), content_type="application/geo+json")
