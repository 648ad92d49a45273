"""Sites: company sites, buildings and zones a coach follows, and their stage.

A site's stage history is derived (:mod:`verweefcli.domain.stages`) from the
stage changes people record here and from its visits.
"""

from __future__ import annotations

import re
import sqlite3
from typing import TYPE_CHECKING, Any

from verweefcli.domain import stages
from verweefcli.domain.common import (
    FieldError,
    Filters,
    Query,
    Resolver,
    add_period_filter,
    add_search_filter,
    add_tag_filter,
    check_uuid,
    date_value,
    dump_list,
    given_id,
    insert_row,
    limit_sql,
    load_list,
    merge_words,
    name_value,
    new_uuid,
    number_value,
    resolve,
    resolve_id,
    split_words,
    text_value,
    update_changed,
    vocab_value,
)
from verweefcli.domain.links import split_refs
from verweefcli.errors import Conflict, InvalidValue
from verweefcli.storage import Store, now_stamp
from verweefcli.textnorm import first_line, fold

if TYPE_CHECKING:
    from verweefcli.domain.derived import Touched

FIELDS = (
    "id",
    "uuid",
    "name",
    "address",
    "municipality",
    "region",
    "kind",
    "stage",
    "floor_area_m2",
    "owner",
    "zoning",
    "rup",
    "lat",
    "lon",
    "tags",
    "notes",
    "stage_changes",
)
_TEXT = ("address", "owner", "zoning", "rup", "notes")

SELECT = "SELECT s.*, r.name AS region_name FROM site s LEFT JOIN region r ON r.id = s.region_id"


def site_dicts(store: Store, rows: list[sqlite3.Row]) -> list[dict[str, Any]]:
    changes = stages.recorded_changes(store, [r["id"] for r in rows])
    return [site_dict(r, changes[r["id"]]) for r in rows]


def site_dict(row: sqlite3.Row, stage_changes: list[dict[str, str]]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "uuid": row["uuid"],
        "name": row["name"],
        "address": row["address"],
        "municipality": row["municipality"],
        "region": row["region_name"],
        "kind": row["kind"],
        "stage": row["stage"],
        "floor_area_m2": row["floor_area_m2"],
        "owner": row["owner"],
        "zoning": row["zoning"],
        "rup": row["rup"],
        "lat": row["lat"],
        "lon": row["lon"],
        "tags": load_list(row["tags"]),
        "notes": row["notes"],
        "stage_changes": stage_changes,
    }


_CHANGE = re.compile(r"(?P<stage>.+?)\s+(?P<since>\S+)")


def parse_stage_changes(store: Store, value: Any) -> list[tuple[str, str]]:
    """``"identified 2020-06-02; studied 2020-08-01"`` (or ``[{"stage", "since"}]``) -> [(stage, day)]."""
    items = value if isinstance(value, list) and all(isinstance(i, dict) for i in value) else split_refs(value)
    out = []
    for item in items:
        if isinstance(item, dict):
            stage, since = item.get("stage"), item.get("since")
        elif m := _CHANGE.fullmatch(item):
            stage, since = m["stage"], m["since"]
        else:
            raise FieldError("stage_changes", f"{item!r} is not 'STAGE DATE' (e.g. 'studied 2026-03-01')")
        key = vocab_value(store, "site_stages", "stage_changes", stage)
        day = date_value("stage_changes", since, store.today)
        if key is None or day is None:
            raise FieldError("stage_changes", f"{item!r} needs a stage and a date")
        out.append((key, day))
    return out


def _coordinates(record: dict[str, Any]) -> None:
    if (record["lat"] is None) != (record["lon"] is None):
        missing = "lon" if record["lon"] is None else "lat"
        raise FieldError(missing, "give both lat and lon (WGS84), or neither")


def _position(values: dict[str, Any], record: dict[str, Any], current: dict[str, Any] | None) -> None:
    """``lat`` and ``lon`` (WGS84), or ``x`` and ``y`` (Lambert 72) made into them."""
    for key, bound in (("lat", 90.0), ("lon", 180.0)):
        if current is None or key in values:
            record[key] = number_value(key, values.get(key), low=-bound, high=bound, grouping=False)
    if record.get("lat") is not None and record.get("lon") is not None:  # both given now
        _in_belgium(record["lat"], record["lon"])
    _lambert72(values, record)


def _in_belgium(lat: float, lon: float) -> None:
    """Sites are in Flanders: a position elsewhere is a typing error (lat and lon swapped...)."""
    from verweefcli import geo

    try:
        geo.check_in_belgium(lat, lon)
    except InvalidValue as exc:
        raise FieldError("lat", str(exc)) from None


def _lambert72(values: dict[str, Any], record: dict[str, Any]) -> None:
    """``x`` and ``y`` in Belgian Lambert 72 (Geopunt, GRB) become ``lat`` and ``lon``."""
    x = number_value("x", values.get("x"), low=0)
    y = number_value("y", values.get("y"), low=0)
    if x is None and y is None:
        return
    if x is None or y is None:
        raise FieldError("y" if y is None else "x", "give both x and y (Lambert 72), or neither")
    if record.get("lat") is not None or record.get("lon") is not None:
        raise FieldError("x", "give x and y (Lambert 72) or lat and lon (WGS84), not both")
    from verweefcli import geo

    try:
        record["lat"], record["lon"] = geo.lambert72_to_wgs84(x, y)
    except InvalidValue as exc:
        raise FieldError("x", str(exc)) from None


def _check_free(store: Store, name_key: str, municipality_key: str, own_id: int | None = None) -> None:
    row = store.row(
        "SELECT id, name, municipality FROM site WHERE name_key = ? AND municipality_key = ?",
        (name_key, municipality_key),
    )
    if row is not None and row["id"] != own_id:
        where = f" in {row['municipality']}" if row["municipality"] else ""
        raise Conflict(f"a site named {row['name']!r}{where} already exists (#{row['id']})")


def prepare(
    store: Store, values: dict[str, Any], current: dict[str, Any] | None = None, resolver: Resolver | None = None
) -> dict[str, Any]:
    """Validate user values into table columns (only the keys given on edit)."""
    record: dict[str, Any] = {}
    if current is None or "name" in values:
        name = name_value(values, "name", "site")
        record["name"], record["name_key"] = name, fold(name)
    if current is None or "municipality" in values:
        municipality = text_value(values, "municipality")
        record["municipality"] = municipality
        record["municipality_key"] = fold(municipality or "")
    for key in _TEXT:
        if current is None or key in values:
            record[key] = text_value(values, key)
    if current is None or "region" in values:
        region = values.get("region")
        if region is None or not str(region).strip():
            raise FieldError("region", "a site needs a region")
        record["region_id"] = (resolver or Resolver(store)).id("region", region, "region")
    if current is None or "kind" in values:
        record["kind"] = vocab_value(store, "site_kinds", "kind", values.get("kind"))
    if current is None or "floor_area_m2" in values:
        record["floor_area_m2"] = number_value("floor_area_m2", values.get("floor_area_m2"), low=0)
    _position(values, record, current)
    if current is None or "tags" in values:
        record["tags"] = dump_list(split_words(values.get("tags")))
    return record


def add_site(store: Store, values: dict[str, Any], *, on: Any = None) -> dict[str, Any]:
    """Add a site; ``on`` is the day it was identified (default today)."""
    with store.write():
        site_id = insert_site(store, values, on=on)
    return get_site(store, site_id)


def insert_site(
    store: Store,
    values: dict[str, Any],
    *,
    on: Any = None,
    resolver: Resolver | None = None,
    later: Touched | None = None,
) -> int:
    """Validate and insert a site with its recorded stage changes, in the caller's transaction.

    ``stage_changes`` (an export's history) are recorded as they are; else the
    site's identification: ``stage`` (default identified) as of ``on`` (default today).
    With ``later`` (imports), its derived facts are recomputed once for them all
    (see :mod:`verweefcli.domain.derived`).
    """
    from verweefcli.domain.derived import touch  # writes only: reading a site does without it

    record = prepare(store, values, resolver=resolver)
    _coordinates(record)
    changes = parse_stage_changes(store, values.get("stage_changes"))
    if not changes:
        stage = vocab_value(store, "site_stages", "stage", values.get("stage")) or stages.IDENTIFIED
        changes = [(stage, date_value("date", on, store.today) or store.today.isoformat())]
    record["uuid"] = check_uuid(values.get("uuid")) or new_uuid()
    record["stage"] = changes[0][0]
    if (site_id := given_id(values)) is not None:
        record["id"] = site_id
    record["created_at"] = record["updated_at"] = now_stamp()
    _check_free(store, record["name_key"], record["municipality_key"])
    with store.write():
        site_id = insert_row(store, "site", record)
        for stage, since in changes:
            stages.record_change(store, site_id, stage, since)
        touch(store, later, stages=[site_id], site=[site_id])
    return site_id


def get_site(store: Store, ref: str | int) -> dict[str, Any]:
    row = resolve(store, "site", ref, extra="municipality")
    full = store.row(SELECT + " WHERE s.id = ?", (row["id"],))
    assert full is not None
    return site_dicts(store, [full])[0]


def site_details(store: Store, ref: str | int) -> dict[str, Any]:
    """The site with its contacts, its stage history and its activities, newest first."""
    site = get_site(store, ref)
    sid = site["id"]
    site["contacts"] = [
        {"id": r["id"], "name": r["name"], "organisation": r["organisation"], "role": r["link_role"]}
        for r in store.rows(
            "SELECT c.id, c.name, c.organisation, cs.role AS link_role FROM contact_site cs "
            "CROSS JOIN contact c ON c.id = cs.contact_id WHERE cs.site_id = ? ORDER BY c.name_key",
            (sid,),
        )
    ]
    site["stages"] = [
        {"stage": r["stage"], "since": r["since"], "visit": r["activity_id"]}
        for r in store.rows(
            "SELECT stage, since, activity_id FROM site_stage WHERE site_id = ? ORDER BY since, id", (sid,)
        )
    ]
    met = _contacts_met(store, sid)
    site["activities"] = [
        {
            "id": r["id"],
            "date": r["date"],
            "kind": r["kind"],
            "title": r["title"],
            "minutes": r["minutes"],
            # what a timeline shows: the title, or the first line of the notes when there is none
            "summary": r["title"] or first_line(r["notes"]),
            "contacts": met.get(r["id"], []),
        }
        for r in store.rows(
            "SELECT a.id, a.date, a.kind, a.title, a.notes, a.minutes FROM activity_site x "
            "JOIN activity a ON a.id = x.activity_id WHERE x.site_id = ? "
            "ORDER BY a.date DESC, a.id DESC",
            (sid,),
        )
    ]
    return site


def _contacts_met(store: Store, site_id: int) -> dict[int, list[str]]:
    """The names of the contacts of each of the site's activities, in the activity's order (activity id -> names)."""
    met: dict[int, list[str]] = {}
    for r in store.rows(
        "SELECT x.activity_id, c.name FROM activity_site s "
        "CROSS JOIN activity_contact x ON x.activity_id = s.activity_id "
        "CROSS JOIN contact c ON c.id = x.contact_id WHERE s.site_id = ? "
        "ORDER BY x.activity_id, x.position",
        (site_id,),
    ):
        met.setdefault(r["activity_id"], []).append(r["name"])
    return met


def list_sites(store: Store, filters: Filters | None = None) -> list[dict[str, Any]]:
    filters = filters or Filters()
    query = Query()
    if filters.region:
        query.add("s.region_id = ?", resolve_id(store, "region", filters.region, "--region"))
    if filters.kind:
        query.add("s.kind = ?", vocab_value(store, "site_kinds", "--kind", filters.kind))
    if filters.status:
        query.add("s.stage = ?", vocab_value(store, "site_stages", "--stage", filters.status))
    if filters.municipality:
        query.add("s.municipality_key = ?", fold(filters.municipality))
    add_tag_filter(query, "s", filters.tag)
    add_search_filter(store, query, "site", "s", filters.search)
    # --since/--until/--quarter: when the site was identified (its first stage)
    add_period_filter(query, "(SELECT min(since) FROM site_stage WHERE site_id = s.id)", filters.period)
    sql = f"{SELECT}{query.sql()} ORDER BY s.name_key, s.municipality_key{limit_sql(filters.limit)}"
    return site_dicts(store, store.rows(sql, query.params))


def edit_site(
    store: Store,
    ref: str | int,
    changes: dict[str, Any],
    *,
    add_tags: list[str] | None = None,
    remove_tags: list[str] | None = None,
    on: Any = None,
    resolver: Resolver | None = None,
    later: Touched | None = None,
) -> dict[str, Any]:
    """Change fields; a new ``stage`` is recorded as a stage change as of ``on`` (default today).

    ``stage_changes`` (from an import) adds the ones not recorded yet. Moving a
    site to another region moves its activities along (see ``follow_sites``).
    """
    from verweefcli.domain.derived import touch

    with store.write():
        row = resolve(store, "site", ref, extra="municipality")
        current = dict(row)
        record = {**current, **prepare(store, changes, current, resolver)}
        if add_tags or remove_tags:
            record["tags"] = dump_list(merge_words(load_list(record["tags"]), add_tags or [], remove_tags or []))
        _coordinates(record)
        if record["name_key"] != current["name_key"] or record["municipality_key"] != current["municipality_key"]:
            _check_free(store, record["name_key"], record["municipality_key"], row["id"])
        update_changed(store, "site", current, record)
        _record_stages(store, row["id"], current["stage"], changes, on)
        renamed = record["name"] != current["name"]  # the rows that hold its name: its activities, requests, cases
        touch(store, later, stages=[row["id"]], site=[row["id"]], **(_naming(store, row["id"]) if renamed else {}))
        if record["region_id"] != current["region_id"]:
            from verweefcli.domain.activities import follow_sites  # only here: start-up of every site command

            follow_sites(store, _activities_of(store, row["id"]))
    return get_site(store, row["id"])


def _naming(store: Store, site_id: int) -> dict[str, list[int]]:
    """The records whose search rows hold this site's name."""
    return {
        "activity": _activities_of(store, site_id),
        "request": [r[0] for r in store.tuples("SELECT id FROM request WHERE site_id = ?", (site_id,))],
        "nuisance": [r[0] for r in store.tuples("SELECT id FROM nuisance WHERE site_id = ?", (site_id,))],
    }


def _activities_of(store: Store, site_id: int) -> list[int]:
    return [r[0] for r in store.rows("SELECT activity_id FROM activity_site WHERE site_id = ?", (site_id,))]


def _record_stages(store: Store, site_id: int, stage_now: str, changes: dict[str, Any], on: Any) -> None:
    recorded = parse_stage_changes(store, changes.get("stage_changes"))
    if changes.get("stage") is not None:
        stage = vocab_value(store, "site_stages", "stage", changes["stage"])
        if stage is not None and (stage != stage_now or on is not None):
            recorded.append((stage, date_value("date", on, store.today) or store.today.isoformat()))
    added = [stages.record_change(store, site_id, stage, since) for stage, since in recorded]
    if any(added):  # a stage change people record is a change of the site (its history)
        store.execute("UPDATE site SET updated_at = ? WHERE id = ?", (now_stamp(), site_id))


_ONLY_SITE_OF_VISITS = """
    SELECT x.activity_id FROM activity_site x JOIN activity a ON a.id = x.activity_id
    WHERE x.site_id = ? AND a.kind = 'visit'
      AND NOT EXISTS (SELECT 1 FROM activity_site y WHERE y.activity_id = x.activity_id AND y.site_id != x.site_id)
    ORDER BY x.activity_id
"""


def removal_plan(store: Store, ref: str | int) -> tuple[dict[str, Any], list[str]]:
    """The site and what removing it would do; refused while it is the only site of a visit."""
    site = get_site(store, ref)
    sid = site["id"]
    visits = [f"#{r[0]}" for r in store.rows(_ONLY_SITE_OF_VISITS, (sid,))]
    if visits:
        raise Conflict(
            f"site {site['name']!r} is the only site of {len(visits)} visit(s) ({', '.join(visits[:8])}"
            f"{', ...' if len(visits) > 8 else ''}): remove them, or link them to another site first "
            "(verweef activity edit ID --site OTHER --remove-site ...)"
        )
    cases = [f"#{r[0]}" for r in store.rows("SELECT id FROM nuisance WHERE site_id = ? ORDER BY id", (sid,))]
    if cases:
        raise Conflict(
            f"site {site['name']!r} has {len(cases)} nuisance case(s) ({', '.join(cases[:8])}"
            f"{', ...' if len(cases) > 8 else ''}): remove them, or move them to another site first "
            "(verweef nuisance edit CASE --site OTHER)"
        )
    activities = store.value("SELECT count(*) FROM activity_site WHERE site_id = ?", (sid,))
    contacts = store.value("SELECT count(*) FROM contact_site WHERE site_id = ?", (sid,))
    effects = []
    if activities:
        effects.append(
            f"{activities} {'activity no longer names' if activities == 1 else 'activities no longer name'} this site"
        )
    if contacts:
        effects.append(f"{contacts} contact link(s) to this site go")
    effects.append("its stage history goes")
    return site, effects


def remove_site(store: Store, ref: str | int) -> dict[str, Any]:
    """Remove a site; its activities stay, and take the region of their other sites if needed."""
    from verweefcli.domain.derived import touch
    from verweefcli.domain.tombstones import bury_rows

    with store.write():
        site, _ = removal_plan(store, ref)
        activity_ids = _activities_of(store, site["id"])
        requests = _naming(store, site["id"])["request"]  # they keep existing, on no site
        store.execute("UPDATE request SET site_id = NULL WHERE site_id = ?", (site["id"],))
        store.execute("UPDATE request SET outcome_site_id = NULL WHERE outcome_site_id = ?", (site["id"],))
        # a company on it stays in the site's region (it had no other)
        store.execute(
            "UPDATE company SET region_id = (SELECT region_id FROM site WHERE id = :site), site_id = NULL "
            "WHERE site_id = :site",
            {"site": site["id"]},
        )
        bury_rows(store, "site", "id = ?", (site["id"],))
        store.execute("DELETE FROM site WHERE id = ?", (site["id"],))
        from verweefcli.domain.activities import follow_sites

        follow_sites(store, activity_ids)
        touch(store, None, site=[site["id"]], activity=activity_ids, request=requests)
    return site
