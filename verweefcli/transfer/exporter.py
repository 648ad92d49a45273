"""Exporting records as CSV (what ``verweef import`` reads back), JSON or GeoJSON.

Records stream out in chunks, never all in memory. In CSV, a link to another
record is written as its name when that name finds it again on import, and as
its uuid otherwise (a name shared by two sites, a name with ``;``...), so that
export followed by import into an empty database gives the same records.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import IO, Any

from verweefcli.domain import activities, companies, contacts, measures, nuisance, regions, requests, sites
from verweefcli.domain.links import writable_name
from verweefcli.render.serialize import write_csv
from verweefcli.storage import Store

CHUNK = 1000
FIELDS = {
    "regions": regions.FIELDS,
    "sites": sites.FIELDS,
    "contacts": contacts.FIELDS,
    "companies": companies.FIELDS,
    "requests": (*requests.FIELDS, "moves"),
    "activities": activities.FIELDS,
    "nuisance": nuisance.FIELDS,
    "measures": (*measures.FIELDS, "moves"),
}
#: each kind of record as its module reads it: the SELECT (its table named by the alias) and the dicts
_READERS: dict[str, tuple[str, str, Callable[[Any], dict[str, Any]]]] = {
    "requests": ("r", requests.SELECT, requests.request_dict),
    "nuisance": ("n", nuisance.SELECT, nuisance.case_dict),
    "measures": ("m", measures.SELECT, measures.measure_dict),
}
#: per kind, its links as CSV writes them: (field, column, table)
_LINKS = {
    "requests": (
        ("company", "company_id", "company"),
        ("site", "site_id", "site"),
        ("outcome_site", "outcome_site_id", "site"),
    ),
    "nuisance": (
        ("site", "site_id", "site"),
        ("company", "company_id", "company"),
        ("reported_by", "reported_by", "contact"),
    ),
    "measures": (),
}


def _chunks(store: Store, alias: str, select: str) -> Iterator[list[Any]]:
    """The rows of ``select`` (its table named ``alias``) in id order, a chunk at a time."""
    cursor = store.conn.execute(f"{select} ORDER BY {alias}.id")
    while rows := cursor.fetchmany(CHUNK):
        yield rows


def records(store: Store, noun: str) -> Iterator[dict[str, Any]]:
    """Every record of one kind, as the dicts of the JSON contract, in id order."""
    if noun == "regions":
        for rows in _chunks(store, "r", "SELECT * FROM region r"):
            yield from (regions.region_dict(r, store.today) for r in rows)
    elif noun == "sites":
        for rows in _chunks(store, "s", sites.SELECT):
            yield from sites.site_dicts(store, rows)
    elif noun == "contacts":
        for rows in _chunks(store, "c", contacts.SELECT):
            yield from contacts.contact_dicts(store, rows)
    elif noun == "companies":
        for rows in _chunks(store, "c", companies.SELECT):
            yield from companies.company_dicts(store, rows)
    elif noun in _READERS:
        alias, select, record_dict = _READERS[noun]
        for rows in _chunks(store, alias, select):
            yield from (record_dict(r) for r in rows)
    else:
        for rows in _chunks(store, "a", activities.SELECT):
            yield from activities.activity_dicts(store, rows)


class _Refs:
    """What to write for a link in CSV: the name if it reads back, else the uuid (cached)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.cache: dict[tuple[str, int], str] = {}

    def __call__(self, table: str, record_id: int, *, with_role: bool = False) -> str:
        key = (table, record_id)
        if key not in self.cache:
            row = self.store.row(f"SELECT name, uuid FROM {table} WHERE id = ?", (record_id,))
            assert row is not None
            self.cache[key] = writable_name(self.store, table, record_id, row["name"], row["uuid"], with_role=with_role)
        return self.cache[key]


def csv_records(store: Store, noun: str) -> Iterator[dict[str, Any]]:
    """Records with their links written so that ``verweef import`` finds them again."""
    refs = _Refs(store)
    region_of = {r["id"]: refs("region", r["id"]) for r in store.rows("SELECT id FROM region")}
    if noun == "regions":
        yield from records(store, noun)
    elif noun in _READERS:
        yield from _case_records(store, noun, refs)
    else:
        yield from _CSV[noun](store, refs, region_of)


def _site_records(store: Store, _refs: _Refs, region_of: dict[int, str]) -> Iterator[dict[str, Any]]:
    for rows in _chunks(store, "s", sites.SELECT):
        for row, record in zip(rows, sites.site_dicts(store, rows), strict=True):
            record["region"] = region_of.get(row["region_id"])
            yield record


def _contact_records(store: Store, refs: _Refs, region_of: dict[int, str]) -> Iterator[dict[str, Any]]:
    for rows in _chunks(store, "c", contacts.SELECT):
        for row, record in zip(rows, contacts.contact_dicts(store, rows), strict=True):
            record["region"] = region_of.get(row["region_id"])
            record["sites"] = [
                {"ref": refs("site", link["id"], with_role=True), "role": link["role"]} for link in record["sites"]
            ]
            yield record


def _activity_records(store: Store, refs: _Refs, region_of: dict[int, str]) -> Iterator[dict[str, Any]]:
    request_uuids = dict(store.tuples("SELECT id, uuid FROM request"))
    for rows in _chunks(store, "a", activities.SELECT):
        ids = [r["id"] for r in rows]
        links = _activity_links(store, ids)
        for row, record in zip(rows, activities.activity_dicts(store, rows), strict=True):
            record["region"] = region_of.get(row["region_id"])
            record["sites"] = [refs("site", i) for i in links["site"].get(row["id"], [])]
            record["contacts"] = [refs("contact", i) for i in links["contact"].get(row["id"], [])]
            if row["request_id"] is not None:  # by uuid: ids change when the file goes to another database
                record["request"] = request_uuids[row["request_id"]]
            yield record


def _company_records(store: Store, refs: _Refs, region_of: dict[int, str]) -> Iterator[dict[str, Any]]:
    """A company's site and people by reference; its region only as given (a site's comes with the site)."""
    for rows in _chunks(store, "c", companies.SELECT):
        for row, record in zip(rows, companies.company_dicts(store, rows), strict=True):
            record["site"] = refs("site", row["site_id"]) if row["site_id"] is not None else None
            record["region"] = region_of.get(row["region_id"])
            people = store.tuples("SELECT contact_id FROM company_contact WHERE company_id = ?", (row["id"],))
            record["contacts"] = sorted(refs("contact", contact_id) for (contact_id,) in people)
            yield record


def _case_records(store: Store, noun: str, refs: _Refs) -> Iterator[dict[str, Any]]:
    """Requests, cases and measures with their links as references, and their moves (see domain.histories)."""
    alias, select, record_dict = _READERS[noun]
    case_uuids = dict(store.tuples("SELECT id, uuid FROM nuisance")) if noun == "measures" else {}
    for rows in _chunks(store, alias, select):
        for row in rows:
            record = record_dict(row)
            for field, column, table in _LINKS[noun]:
                record[field] = refs(table, row[column]) if row[column] is not None else None
            if noun == "requests":
                record["moves"] = requests.history(store, row["id"])
            elif noun == "measures":
                record["case"] = case_uuids[row["nuisance_id"]]
                record["moves"] = measures.history(store, row["id"])
            yield record


def _activity_links(store: Store, ids: list[int]) -> dict[str, dict[int, list[int]]]:
    marks = ", ".join("?" for _ in ids)
    out: dict[str, dict[int, list[int]]] = {"site": {}, "contact": {}}
    for table in ("site", "contact"):
        for r in store.rows(
            f"SELECT activity_id, {table}_id FROM activity_{table} WHERE activity_id IN ({marks}) "
            "ORDER BY activity_id, position",
            ids,
        ):
            out[table].setdefault(r[0], []).append(r[1])
    return out


def export_csv(store: Store, noun: str, stream: IO[str], *, excel: bool = False) -> int:
    return write_csv(
        stream,
        FIELDS[noun],
        csv_records(store, noun),
        delimiter=";" if excel else ",",
        decimal_comma=excel,
    )


def export_json(store: Store, noun: str, stream: IO[str]) -> int:
    count = 0
    stream.write("[")
    for record in records(store, noun):
        stream.write(",\n" if count else "\n")
        stream.write(json.dumps(record, ensure_ascii=False))
        count += 1
    stream.write("\n]\n" if count else "]\n")
    return count


def export_geojson(store: Store, stream: IO[str]) -> int:
    """Sites with coordinates as a GeoJSON FeatureCollection (WGS84, for QGIS, geopunt, uMap)."""
    count = 0
    stream.write('{"type": "FeatureCollection", "features": [')
    for record in records(store, "sites"):
        if record["lat"] is None or record["lon"] is None:
            continue
        properties = {k: v for k, v in record.items() if k not in ("lat", "lon")}
        feature = {
            "type": "Feature",
            "id": record["uuid"],
            "geometry": {"type": "Point", "coordinates": [record["lon"], record["lat"]]},
            "properties": properties,
        }
        stream.write(",\n" if count else "\n")
        stream.write(json.dumps(feature, ensure_ascii=False))
        count += 1
    stream.write("\n]}\n" if count else "]}\n")
    return count


def export(store: Store, noun: str, fmt: str, stream: IO[str], *, excel: bool = False) -> int:
    """One export: ``noun`` (or ``all``, as one JSON object with a list per kind) as csv, json or geojson."""
    if fmt == "geojson":
        return export_geojson(store, stream)
    if fmt == "csv":
        return export_csv(store, noun, stream, excel=excel)
    if noun != "all":
        return export_json(store, noun, stream)
    total = 0
    stream.write("{")
    for index, name in enumerate(FIELDS):
        stream.write(f'{"," if index else ""}\n"{name}": ')
        total += export_json(store, name, stream)
    stream.write("}\n")
    return total


_CSV: dict[str, Callable[[Store, _Refs, dict[int, str]], Iterator[dict[str, Any]]]] = {
    "sites": _site_records,
    "contacts": _contact_records,
    "companies": _company_records,
    "activities": _activity_records,
}
