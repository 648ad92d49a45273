"""Regions and their verweefcoach."""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

from verweefcli.dates import add_years
from verweefcli.domain.common import (
    FieldError,
    Filters,
    Query,
    add_period_filter,
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
    resolve,
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
    "municipalities",
    "coach",
    "coach_status",
    "appointed_on",
    "ends_on",
    "notes",
)
TERM_YEARS = 3


def region_dict(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "uuid": row["uuid"],
        "name": row["name"],
        "municipalities": load_list(row["municipalities"]),
        "coach": row["coach"],
        "coach_status": row["coach_status"],
        "appointed_on": row["appointed_on"],
        "ends_on": row["ends_on"],
        "notes": row["notes"],
    }


def default_end(appointed_on: str | None) -> str | None:
    if appointed_on is None:
        return None
    return add_years(dt.date.fromisoformat(appointed_on), TERM_YEARS).isoformat()


def _check_coach(record: dict[str, Any]) -> None:
    status = record["coach_status"]
    if status in ("appointed", "ended") and not record["appointed_on"]:
        raise FieldError("appointed_on", f"a coach with status {status!r} needs the date of appointment")
    if record["appointed_on"] and record["ends_on"] and record["ends_on"] < record["appointed_on"]:
        raise FieldError(
            "ends_on",
            f"the term cannot end ({record['ends_on']}) before it starts ({record['appointed_on']})",
        )


def _check_name_free(store: Store, name: str, own_id: int | None = None) -> None:
    row = store.row("SELECT id, name FROM region WHERE name_key = ?", (fold(name),))
    if row is not None and row["id"] != own_id:
        raise Conflict(f"a region named {row['name']!r} already exists (#{row['id']})")


def add_region(store: Store, values: dict[str, Any]) -> dict[str, Any]:
    """Add a region; ``values`` holds field names and user-typed or typed values."""
    with store.write():
        region_id = insert_region(store, values)
    return get_region(store, region_id)


def insert_region(store: Store, values: dict[str, Any]) -> int:
    """Validate and insert a region inside the caller's transaction."""
    name = text_value(values, "name")
    if name is None:
        raise FieldError("name", "a region needs a name")
    today = store.today
    appointed_on = date_value("appointed_on", values.get("appointed_on"), today)
    status = vocab_value(store, "coach_statuses", "coach_status", values.get("coach_status"))
    if status is None:
        status = "appointed" if appointed_on else "planned"
    ends_on = date_value("ends_on", values.get("ends_on"), today) or default_end(appointed_on)
    record: dict[str, Any] = {
        "uuid": check_uuid(values.get("uuid")) or new_uuid(),
        "name": name,
        "name_key": fold(name),
        "municipalities": dump_list(split_words(values.get("municipalities"))),
        "coach": text_value(values, "coach"),
        "coach_status": status,
        "appointed_on": appointed_on,
        "ends_on": ends_on,
        "notes": text_value(values, "notes"),
    }
    _check_coach(record)
    _check_name_free(store, name)
    if (region_id := given_id(values)) is not None:
        record["id"] = region_id
    record["created_at"] = record["updated_at"] = now_stamp()
    return insert_row(store, "region", record)


def get_region(store: Store, ref: str | int) -> dict[str, Any]:
    return region_dict(resolve(store, "region", ref))


def region_details(store: Store, ref: str | int) -> dict[str, Any]:
    """The region with how much hangs on it, for ``region show``."""
    region = get_region(store, ref)
    rid = region["id"]
    region["counts"] = {
        "sites": store.value("SELECT count(*) FROM site WHERE region_id = ?", (rid,)),
        "contacts": store.value("SELECT count(*) FROM contact WHERE region_id = ?", (rid,)),
        "activities": store.value("SELECT count(*) FROM activity WHERE region_id = ?", (rid,)),
    }
    region["last_activity"] = store.value("SELECT max(date) FROM activity WHERE region_id = ?", (rid,))
    return region


def list_regions(store: Store, filters: Filters | None = None) -> list[dict[str, Any]]:
    filters = filters or Filters()
    query = Query()
    if filters.status:
        query.add("coach_status = ?", vocab_value(store, "coach_statuses", "status", filters.status))
    if filters.search:
        query.add(
            "verweef_fold(name || ' ' || coalesce(coach, '') || ' ' || municipalities || ' ' "
            "|| coalesce(notes, '')) LIKE ? ESCAPE '\\'",
            like_pattern(filters.search),
        )
    add_period_filter(query, "appointed_on", filters.period)
    sql = f"SELECT * FROM region{query.sql()} ORDER BY name_key{limit_sql(filters.limit)}"
    return [region_dict(r) for r in store.rows(sql, query.params)]


def edit_region(
    store: Store,
    ref: str | int,
    changes: dict[str, Any],
    *,
    add_municipalities: list[str] | None = None,
    remove_municipalities: list[str] | None = None,
) -> dict[str, Any]:
    today = store.today
    with store.write():
        row = resolve(store, "region", ref)
        current = dict(row)
        record = dict(current)
        if "name" in changes:
            name = text_value(changes, "name")
            if name is None:
                raise FieldError("name", "a region needs a name")
            _check_name_free(store, name, row["id"])
            record["name"], record["name_key"] = name, fold(name)
        for key in ("coach", "notes"):
            if key in changes:
                record[key] = text_value(changes, key)
        if "coach_status" in changes:
            record["coach_status"] = (
                vocab_value(store, "coach_statuses", "coach_status", changes["coach_status"]) or current["coach_status"]
            )
        if "appointed_on" in changes:
            record["appointed_on"] = date_value("appointed_on", changes["appointed_on"], today)
            if "ends_on" not in changes and current["ends_on"] in (
                None,
                default_end(current["appointed_on"]),
            ):
                record["ends_on"] = default_end(record["appointed_on"])
            if (
                "coach_status" not in changes
                and record["appointed_on"]
                and current["coach_status"]
                in (
                    "planned",
                    "selecting",
                )
            ):
                record["coach_status"] = "appointed"
        if "ends_on" in changes:
            record["ends_on"] = date_value("ends_on", changes["ends_on"], today)
        if "municipalities" in changes:
            record["municipalities"] = dump_list(split_words(changes["municipalities"]))
        if add_municipalities or remove_municipalities:
            record["municipalities"] = dump_list(
                merge_words(
                    load_list(record["municipalities"]),
                    add_municipalities or [],
                    remove_municipalities or [],
                )
            )
        _check_coach(record)
        update_changed(store, "region", current, record)
    return get_region(store, row["id"])


def removal_plan(store: Store, ref: str | int) -> tuple[dict[str, Any], list[str]]:
    """The region and what removing it would do; raises if it would orphan records."""
    region = get_region(store, ref)
    rid = region["id"]
    sites = store.value("SELECT count(*) FROM site WHERE region_id = ?", (rid,))
    activities = store.value("SELECT count(*) FROM activity WHERE region_id = ?", (rid,))
    if sites or activities:
        raise Conflict(
            f"region {region['name']!r} still has {sites} site(s) and {activities} "
            "activit(y/ies); move or remove them first"
        )
    contacts = store.value("SELECT count(*) FROM contact WHERE region_id = ?", (rid,))
    effects = [f"{contacts} contact(s) lose their region"] if contacts else []
    return region, effects


def remove_region(store: Store, ref: str | int) -> dict[str, Any]:
    with store.write():
        region, _ = removal_plan(store, ref)
        store.execute("DELETE FROM region WHERE id = ?", (region["id"],))
    return region
