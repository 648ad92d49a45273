"""Belgian Lambert 72 (EPSG:31370) to WGS84 (EPSG:4326) and back, and checks that a position is in Belgium.

Geopunt, the GRB and most Flemish plans give positions in Lambert 72: metres,
x about 20,000-300,000 and y about 150,000-250,000 in Flanders. verweef stores
WGS84 latitude and longitude in degrees.

Why pyproj rather than hand-written formulas: the conversion is two steps, the
Lambert conic projection on the BD72 datum (Hayford ellipsoid) and a datum
shift from BD72 to WGS84. The hand-written versions that circulate mostly stop
at a three-parameter shift (EPSG rates it 5 m) or mix the two published sets of
projection constants (4 cm apart). pyproj is the maintained binding to PROJ,
ships the EPSG dataset, and applies the transformation that EPSG registers from
the NGI's own parameters: PROJ picks "BD72 to WGS 84 (3)" (EPSG:15929), the
seven-parameter Helmert that the NGI publishes for ETRS89 <-> BD72 (the one its
cConvert uses), rated 1 m. The NGI's 1 cm NTv2 grid goes to ETRS89 only and is
not shipped with pyproj; a site is a building, and 1 m is well inside it. (GNSS
"WGS84" in Europe is ETRS89 in practice; the two drift apart by about 2.5 cm a
year, which the 1 m covers.)

Measured against published points (tests/test_geo.py): the projection alone
agrees with the EPSG Guidance Note 7-2 example to 5 cm and with the NGI's
sample points to 2 mm; the whole conversion agrees with positions from the
Flemish Geopunt geocoder to under 1 mm, which shows that both apply the same
official Helmert. Results are rounded to 7 decimals of a degree (about 1 cm)
and to 0.01 m.

pyproj is imported only when a conversion is first asked for (it takes a
fraction of a second to load, and most verweef commands never need it). PROJ
is told never to use the network, whatever PROJ_NETWORK says: no grid is ever
downloaded, and the result does not depend on a connection.
"""

from __future__ import annotations

import functools
import math
from typing import TYPE_CHECKING

from verweefcli.errors import InvalidValue
from verweefcli.numbers import shown

if TYPE_CHECKING:
    from pyproj import Transformer

LAMBERT72 = "EPSG:31370"
WGS84 = "EPSG:4326"

# Lambert 72 positions accepted, in metres. EPSG:31370's area of use is
# "Belgium - onshore", lon 2.5-6.4, lat 49.5-51.51, which projects to
# x 14,637-297,133 and y 20,906-246,424; the box adds 5-9 km around that. Its
# lower ends keep out WGS84 degrees typed by mistake (x=3.7, y=51.05).
LAMBERT72_X = (10_000.0, 305_000.0)
LAMBERT72_Y = (15_000.0, 255_000.0)

# WGS84 positions accepted, in degrees: the same area of use (lat 49.5-51.51,
# lon 2.5-6.4) with about 0.1 degree (7-11 km) around it. The two ranges do
# not overlap, so swapped lat and lon are always caught.
BELGIUM_LAT = (49.4, 51.6)
BELGIUM_LON = (2.4, 6.5)

_LAMBERT72_RANGE = f"x {LAMBERT72_X[0]:.0f}-{LAMBERT72_X[1]:.0f}, y {LAMBERT72_Y[0]:.0f}-{LAMBERT72_Y[1]:.0f} metres"
_BELGIUM_RANGE = f"lat {BELGIUM_LAT[0]}-{BELGIUM_LAT[1]}, lon {BELGIUM_LON[0]}-{BELGIUM_LON[1]} degrees"


def _within(value: float, bounds: tuple[float, float]) -> bool:
    return math.isfinite(value) and bounds[0] <= value <= bounds[1]


def _lambert72_fits(x: float, y: float) -> bool:
    return _within(x, LAMBERT72_X) and _within(y, LAMBERT72_Y)


def _belgium_fits(lat: float, lon: float) -> bool:
    return _within(lat, BELGIUM_LAT) and _within(lon, BELGIUM_LON)


def check_lambert72(x: float, y: float) -> None:
    """Raise :class:`InvalidValue` unless (x, y) is a Lambert 72 position in or near Belgium.

    Degrees typed for metres are always caught; swapped x and y only when the
    swapped pair falls outside Belgium (x above about 255,000: the far east).
    """
    if _lambert72_fits(x, y):
        return
    where = f"x={shown(x)}, y={shown(y)}"
    if _belgium_fits(y, x) or _belgium_fits(x, y):
        hint = "these look like WGS84 degrees, not Lambert 72 metres"
    elif _lambert72_fits(y, x):
        hint = "looks like x and y are swapped"
    else:
        hint = "outside Belgium"
    raise InvalidValue(f"not a Lambert 72 position in Belgium: {where}: {hint} (expected {_LAMBERT72_RANGE})")


def check_in_belgium(lat: float, lon: float) -> None:
    """Raise :class:`InvalidValue` unless (lat, lon) in WGS84 degrees is in or near Belgium."""
    if _belgium_fits(lat, lon):
        return
    where = f"lat={shown(lat)}, lon={shown(lon)}"
    if _belgium_fits(lon, lat):
        hint = "looks like lat and lon are swapped"
    elif _lambert72_fits(lat, lon) or _lambert72_fits(lon, lat):
        hint = "these look like Lambert 72 metres, not WGS84 degrees"
    else:
        hint = "outside Belgium"
    raise InvalidValue(f"not a position in Belgium: {where}: {hint} (expected {_BELGIUM_RANGE})")


@functools.cache
def _transformer() -> Transformer:
    """Lambert 72 -> WGS84, built once (about 0.1 s with the import of pyproj); also run backwards."""
    from pyproj import Transformer
    from pyproj.network import set_network_enabled  # type: ignore[attr-defined]  # documented, re-exported untyped

    # Off by default, but PROJ_NETWORK=ON in the environment would turn it on.
    set_network_enabled(active=False)
    return Transformer.from_crs(LAMBERT72, WGS84, always_xy=True)


def lambert72_to_wgs84(x: float, y: float) -> tuple[float, float]:
    """(lat, lon) in WGS84 degrees, rounded to 7 decimals, of Lambert 72 (x, y) in metres."""
    check_lambert72(x, y)
    lon, lat = _transformer().transform(x, y)
    return round(lat, 7), round(lon, 7)


def wgs84_to_lambert72(lat: float, lon: float) -> tuple[float, float]:
    """Lambert 72 (x, y) in metres, rounded to 0.01 m, of WGS84 (lat, lon) in degrees."""
    check_in_belgium(lat, lon)
    x, y = _transformer().transform(lon, lat, direction="INVERSE")
    return round(x, 2), round(y, 2)
