"""Sites: company sites, buildings and zones a coach follows, and their stage."""

from __future__ import annotations

import sqlite3
from typing import Any

from verweefcli.domain.common import (
    FieldError,
    Filters,
    Query,
    add_period_filter,
    add_tag_filter,
    check_uuid,
    date_value,
    dump_list,
    given_id,
    insert_row,
    like_pattern,
    limit_sql,
    load_list,
    merge_words,
    new_uuid,
    number_value,
    resolve,
    resolve_id,
    split_words,
    text_value,
    update_changed,
    vocab_value,
)
from verweefcli.errors import Conflict
from verweefcli.storage import Store, now_stamp
from verweefcli.textnorm import fold

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
)
_TEXT = ("address", "owner", "zoning", "rup", "notes")

SELECT = "SELECT s.*, r.name AS region_name FROM site s LEFT JOIN region r ON r.id = s.region_id"


def site_dict(row: sqlite3.Row) -> dict[str, Any]:
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
    }


def _coordinates(record: dict[str, Any]) -> None:
    if (record["lat"] is None) != (record["lon"] is None):
        missing = "lon" if record["lon"] is None else "lat"
        raise FieldError(missing, "give both lat and lon (WGS84), or neither")


def _check_free(store: Store, name_key: str, municipality_key: str, own_id: int | None = None) -> None:
    row = store.row(
        "SELECT id, name, municipality FROM site WHERE name_key = ? AND municipality_key = ?",
        (name_key, municipality_key),
    )
    if row is not None and row["id"] != own_id:
        where = f" in {row['municipality']}" if row["municipality"] else ""
        raise Conflict(f"a site named {row['name']!r}{where} already exists (#{row['id']})")


def prepare(store: Store, values: dict[str, Any], current: dict[str, Any] | None = None) -> dict[str, Any]:
    """Validate user values into table columns (only the keys given on edit)."""
    record: dict[str, Any] = {}
    if current is None or "name" in values:
        name = text_value(values, "name")
        if name is None:
            raise FieldError("name", "a site needs a name")
        record["name"], record["name_key"] = name, fold(name)
    if current is None or "municipality" in values:
        municipality = text_value(values, "municipality")
        record["municipality"] = municipality
        record["municipality_key"] = fold(municipality or "")
    for key in _TEXT:
        if current is None or key in values:
            record[key] = text_value(values, key)
    if current is None or "region" in values:
        region_id = resolve_id(store, "region", values.get("region"), "region")
        if region_id is None:
            raise FieldError("region", "a site needs a region")
        record["region_id"] = region_id
    if current is None or "kind" in values:
        record["kind"] = vocab_value(store, "site_kinds", "kind", values.get("kind"))
    if current is None or "floor_area_m2" in values:
        record["floor_area_m2"] = number_value("floor_area_m2", values.get("floor_area_m2"), low=0)
    for key, bound in (("lat", 90.0), ("lon", 180.0)):
        if current is None or key in values:
            record[key] = number_value(key, values.get(key), low=-bound, high=bound)
    if current is None or "tags" in values:
        record["tags"] = dump_list(split_words(values.get("tags")))
    return record


def add_site(store: Store, values: dict[str, Any], *, on: Any = None) -> dict[str, Any]:
    """Add a site; ``on`` is the day it was identified (default today)."""
    with store.write():
        site_id = insert_site(store, values, on=on)
    return get_site(store, site_id)


def insert_site(store: Store, values: dict[str, Any], *, on: Any = None) -> int:
    """Validate and insert a site, and the first entry of its stage history, in the caller's transaction."""
    record = prepare(store, values)
    _coordinates(record)
    stage = vocab_value(store, "site_stages", "stage", values.get("stage")) or "identified"
    since = date_value("date", on, store.today) or store.today.isoformat()
    record["uuid"] = check_uuid(values.get("uuid")) or new_uuid()
    record["stage"] = stage
    if (site_id := given_id(values)) is not None:
        record["id"] = site_id
    stamp = now_stamp()
    record["created_at"] = record["updated_at"] = stamp
    _check_free(store, record["name_key"], record["municipality_key"])
    site_id = insert_row(store, "site", record)
    store.execute(
        "INSERT INTO site_stage (site_id, stage, since, recorded_at) VALUES (?, ?, ?, ?)",
        (site_id, stage, since, stamp),
    )
    return site_id


def get_site(store: Store, ref: str | int) -> dict[str, Any]:
    row = resolve(store, "site", ref, extra="municipality")
    full = store.row(SELECT + " WHERE s.id = ?", (row["id"],))
    assert full is not None
    return site_dict(full)


def site_details(store: Store, ref: str | int) -> dict[str, Any]:
    """The site with its contacts, its stage history and its activities, newest first."""
    site = get_site(store, ref)
    sid = site["id"]
    site["contacts"] = [
        {"id": r["id"], "name": r["name"], "organisation": r["organisation"], "role": r["link_role"]}
        for r in store.rows(
            "SELECT c.id, c.name, c.organisation, cs.role AS link_role FROM contact_site cs "
            "JOIN contact c ON c.id = cs.contact_id WHERE cs.site_id = ? ORDER BY c.name_key",
            (sid,),
        )
    ]
    site["stages"] = [
        {"stage": r["stage"], "since": r["since"]}
        for r in store.rows("SELECT stage, since FROM site_stage WHERE site_id = ? ORDER BY since, id", (sid,))
    ]
    site["activities"] = [
        {"id": r["id"], "date": r["date"], "kind": r["kind"], "title": r["title"], "minutes": r["minutes"]}
        for r in store.rows(
            "SELECT a.id, a.date, a.kind, a.title, a.minutes FROM activity_site x "
            "JOIN activity a ON a.id = x.activity_id WHERE x.site_id = ? "
            "ORDER BY a.date DESC, a.id DESC",
            (sid,),
        )
    ]
    return site


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
    if filters.search:
        query.add(
            "verweef_fold(s.name || ' ' || coalesce(s.address, '') || ' ' || coalesce(s.municipality, '')"
            " || ' ' || coalesce(s.owner, '') || ' ' || coalesce(s.notes, '') || ' ' || s.tags)"
            " LIKE ? ESCAPE '\\'",
            like_pattern(filters.search),
        )
    # --since/--until/--quarter: when the site was identified (its first stage)
    add_period_filter(query, "(SELECT min(since) FROM site_stage WHERE site_id = s.id)", filters.period)
    sql = f"{SELECT}{query.sql()} ORDER BY s.name_key, s.municipality_key{limit_sql(filters.limit)}"
    return [site_dict(r) for r in store.rows(sql, query.params)]


def edit_site(
    store: Store,
    ref: str | int,
    changes: dict[str, Any],
    *,
    add_tags: list[str] | None = None,
    remove_tags: list[str] | None = None,
    on: Any = None,
) -> dict[str, Any]:
    """Change fields; a new ``stage`` is recorded in the history as of ``on``."""
    with store.write():
        row = resolve(store, "site", ref, extra="municipality")
        current = dict(row)
        record = {**current, **prepare(store, changes, current)}
        if add_tags or remove_tags:
            record["tags"] = dump_list(merge_words(load_list(record["tags"]), add_tags or [], remove_tags or []))
        _coordinates(record)
        if record["name_key"] != current["name_key"] or record["municipality_key"] != current["municipality_key"]:
            _check_free(store, record["name_key"], record["municipality_key"], row["id"])
        update_changed(store, "site", current, record)
        if changes.get("stage") is not None:
            stage = vocab_value(store, "site_stages", "stage", changes["stage"])
            if stage is not None and stage != current["stage"]:
                since = date_value("date", on, store.today) or store.today.isoformat()
                record_stage(store, row["id"], stage, since)
    return get_site(store, row["id"])


def record_stage(store: Store, site_id: int, stage: str, since: str, activity_id: int | None = None) -> None:
    """Append a stage to the site's history and make the latest one current."""
    store.execute(
        "INSERT INTO site_stage (site_id, stage, since, activity_id, recorded_at) VALUES (?, ?, ?, ?, ?)",
        (site_id, stage, since, activity_id, now_stamp()),
    )
    refresh_stage(store, site_id)


def refresh_stage(store: Store, site_id: int) -> None:
    latest = store.value(
        "SELECT stage FROM site_stage WHERE site_id = ? ORDER BY since DESC, id DESC LIMIT 1", (site_id,)
    )
    if latest is not None:
        store.execute(
            "UPDATE site SET stage = ?, updated_at = ? WHERE id = ? AND stage != ?",
            (latest, now_stamp(), site_id, latest),
        )


_KNOWN_SINCE = (
    "UPDATE site_stage SET since = ? WHERE id = "
    "(SELECT id FROM site_stage WHERE site_id = ? ORDER BY since, id LIMIT 1) AND since > ?"
)
_REFRESH = (
    "UPDATE site SET updated_at = ?, stage = (SELECT stage FROM site_stage WHERE site_id = site.id "
    "ORDER BY since DESC, id DESC LIMIT 1) WHERE id = ?"
)


def known_since(store: Store, site_id: int, day: str) -> None:
    """An activity on ``day`` means the site was known by then: move its first entry back."""
    store.execute(_KNOWN_SINCE, (day, site_id, day))


def apply_activities(store: Store, first_dates: dict[int, str], first_visits: dict[int, tuple[str, int]]) -> None:
    """What many new activities do to their sites at once (imports): known since the
    earliest of them, and an ``identified`` site visited as of its earliest visit."""
    known: dict[int, str] = {
        r[0]: r[1] for r in store.rows("SELECT site_id, min(since) FROM site_stage GROUP BY site_id")
    }
    earlier = [(day, site_id, day) for site_id, day in first_dates.items() if day < known.get(site_id, day)]
    store.executemany(_KNOWN_SINCE, earlier)
    if not first_visits:
        return
    identified = {r[0] for r in store.rows("SELECT id FROM site WHERE stage = 'identified'")}
    visits = [(site, day, activity) for site, (day, activity) in first_visits.items() if site in identified]
    stamp = now_stamp()
    store.executemany(
        "INSERT INTO site_stage (site_id, stage, since, activity_id, recorded_at) VALUES (?, 'visited', ?, ?, ?)",
        [(site_id, day, activity_id, stamp) for site_id, day, activity_id in visits],
    )
    store.executemany(_REFRESH, [(stamp, site_id) for site_id, _, _ in visits])


def removal_plan(store: Store, ref: str | int) -> tuple[dict[str, Any], list[str]]:
    site = get_site(store, ref)
    sid = site["id"]
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
    with store.write():
        site, _ = removal_plan(store, ref)
        store.execute("DELETE FROM site WHERE id = ?", (site["id"],))
    return site
