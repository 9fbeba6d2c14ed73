"""The locator map of a zone page: where to draw the zone and a few reference cities.

A plain equirectangular frame around Pakistan with a few cities for orientation: no tiles,
no borders drawn, nothing fetched. Coordinates on the map are as approximate as the data.
"""

from __future__ import annotations

import math
from decimal import Decimal

from django.utils.translation import gettext_lazy

MAP_WEST, MAP_EAST, MAP_SOUTH, MAP_NORTH = 60, 78, 23, 38
MAP_PX_PER_DEGREE = 20
MAP_X_SCALE = MAP_PX_PER_DEGREE * math.cos(math.radians((MAP_SOUTH + MAP_NORTH) / 2))
REFERENCE_CITIES = (
    (gettext_lazy("Karachi"), 24.86, 67.01),
    (gettext_lazy("Quetta"), 30.18, 66.98),
    (gettext_lazy("Lahore"), 31.55, 74.34),
    (gettext_lazy("Islamabad"), 33.69, 73.06),
    (gettext_lazy("Peshawar"), 34.01, 71.58, "end"),
    (gettext_lazy("Gilgit"), 35.92, 74.31),
    (gettext_lazy("Gwadar"), 25.13, 62.32),
    (gettext_lazy("Multan"), 30.16, 71.52),
)


def _map_point(latitude: float, longitude: float) -> tuple[float, float]:
    return (
        round((longitude - MAP_WEST) * MAP_X_SCALE, 1),
        round((MAP_NORTH - latitude) * MAP_PX_PER_DEGREE, 1),
    )


def locator_map(latitude: Decimal | None, longitude: Decimal | None) -> dict | None:
    """Where to draw a zone and the reference cities on the SVG locator map; None if unknown
    or outside the frame."""
    if latitude is None or longitude is None:
        return None
    lat, lon = float(latitude), float(longitude)
    if not (MAP_SOUTH <= lat <= MAP_NORTH and MAP_WEST <= lon <= MAP_EAST):
        return None
    width, height = _map_point(MAP_SOUTH, MAP_EAST)
    x, y = _map_point(lat, lon)
    return {
        "width": width,
        "height": height,
        "zone": {"x": x, "y": y},
        "cities": [
            {"name": name, "x": cx, "y": cy, "anchor": anchor[0] if anchor else "start"}
            for name, city_lat, city_lon, *anchor in REFERENCE_CITIES
            for cx, cy in [_map_point(city_lat, city_lon)]
        ],
        "meridians": [
            {"label": f"{lon_line}°E", "x": _map_point(MAP_SOUTH, lon_line)[0]}
            for lon_line in range(MAP_WEST + 2, MAP_EAST, 4)
        ],
        "parallels": [
            {"label": f"{lat_line}°N", "y": _map_point(lat_line, MAP_WEST)[1]}
            for lat_line in range(MAP_SOUTH + 1, MAP_NORTH, 4)
        ],
    }
