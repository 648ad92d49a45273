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
    load_list,
    merge_words,
    name_value,
    new_uuid,
    resolve,
    split_words,
    text_value,
    update_changed,
    vocab_value,
)
from verweefcli.domain.tombstones import bury_rows
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
#: What :func:`coach_status` can say: the stored status counts only while there is no date.
COACH_STATES = ("planned", "selecting", "not_yet", "appointed", "ended")
#: Statuses people may type; the last three need a date of appointment.
_DATED = ("appointed", "not_yet", "ended")


def coach_status(stored: str, appointed_on: str | None, ends_on: str | None, day: dt.date) -> str:
    """The coach's situation on ``day``, the one rule every output uses.

    From the dates where there are dates: ``not_yet`` before the appointment,
    ``ended`` after the last day of the term, else ``appointed``. Without a
    date of appointment, the stored status (``planned`` or ``selecting``).
    """
    if appointed_on is None:
        return stored if stored in ("planned", "selecting") else "selecting"
    today = day.isoformat()
    if appointed_on > today:
        return "not_yet"
    if ends_on is not None and ends_on < today:
        return "ended"
    return "appointed"


def region_dict(row: sqlite3.Row, day: dt.date) -> dict[str, Any]:
    """A region as the JSON contract has it; ``coach_status`` is the coach's situation on ``day``."""
    return {
        "id": row["id"],
        "uuid": row["uuid"],
        "name": row["name"],
        "municipalities": load_list(row["municipalities"]),
        "coach": row["coach"],
        "coach_status": coach_status(row["coach_status"], row["appointed_on"], row["ends_on"], day),
        "appointed_on": row["appointed_on"],
        "ends_on": row["ends_on"],
        "notes": row["notes"],
    }


def default_end(appointed_on: str | None) -> str | None:
    if appointed_on is None:
        return None
    return add_years(dt.date.fromisoformat(appointed_on), TERM_YEARS).isoformat()


def settle_coach(record: dict[str, Any], status: str | None, ends_given: bool, day: dt.date) -> None:
    """Store what the dates cannot say, and nothing that contradicts them.

    ``status`` is the status given, if any. With a date of appointment the stored
    status is ``appointed`` and the dates tell the rest; ``ended`` ends the term
    today unless it ended already (or ``ends_on`` was given).
    """
    appointed = record["appointed_on"]
    if appointed is None:
        chosen = status or record["coach_status"]
        if chosen in _DATED:
            raise FieldError("appointed_on", f"a coach with status {chosen!r} needs the date of appointment")
        record["coach_status"] = chosen
        return
    if status in ("planned", "selecting"):
        raise FieldError(
            "coach_status",
            f"status {status!r} contradicts the date of appointment ({appointed}); "
            "clear that date (--appointed-on none) to start a new selection",
        )
    if status == "ended" and (record["ends_on"] is None or record["ends_on"] > day.isoformat()):
        if ends_given:
            raise FieldError("ends_on", f"a term that has ended cannot end on {record['ends_on']}, after today")
        record["ends_on"] = max(appointed, day.isoformat())
    record["coach_status"] = "appointed"
    if record["ends_on"] and record["ends_on"] < appointed:
        raise FieldError("ends_on", f"the term cannot end ({record['ends_on']}) before it starts ({appointed})")


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
    name = name_value(values, "name", "region")
    today = store.today
    appointed_on = date_value("appointed_on", values.get("appointed_on"), today)
    status = vocab_value(store, "coach_statuses", "coach_status", values.get("coach_status"))
    ends_on = date_value("ends_on", values.get("ends_on"), today)
    record: dict[str, Any] = {
        "uuid": check_uuid(values.get("uuid")) or new_uuid(),
        "name": name,
        "name_key": fold(name),
        "municipalities": dump_list(split_words(values.get("municipalities"))),
        "coach": text_value(values, "coach"),
        "coach_status": "planned",
        "appointed_on": appointed_on,
        "ends_on": ends_on or default_end(appointed_on),
        "notes": text_value(values, "notes"),
    }
    settle_coach(record, status, ends_on is not None, today)
    _check_name_free(store, name)
    if (region_id := given_id(values)) is not None:
        record["id"] = region_id
    record["created_at"] = record["updated_at"] = now_stamp()
    return insert_row(store, "region", record)


def get_region(store: Store, ref: str | int) -> dict[str, Any]:
    return region_dict(resolve(store, "region", ref), store.today)


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
    if filters.search:  # a handful of regions, no index: each word, as ``verweef search`` reads words
        from verweefcli.domain.search import terms

        text = "verweef_fold(name || ' ' || coalesce(coach, '') || ' ' || municipalities || ' ' || coalesce(notes, ''))"
        for token in sorted({token for term in terms(filters.search) for token in term.tokens}):
            query.add(f"{text} LIKE ? ESCAPE '\\'", like_pattern(token))
    add_period_filter(query, "appointed_on", filters.period)
    sql = f"SELECT * FROM region{query.sql()} ORDER BY name_key"
    found = [region_dict(r, store.today) for r in store.rows(sql, query.params)]
    if filters.status:  # the status of today, from the dates: a few regions, one rule
        status = vocab_value(store, "coach_statuses", "--status", filters.status)
        found = [r for r in found if r["coach_status"] == status]
    return found[: filters.limit] if filters.limit is not None else found


def _renamed(store: Store, record: dict[str, Any], changes: dict[str, Any]) -> None:
    if "name" in changes:
        name = name_value(changes, "name", "region")
        _check_name_free(store, name, record["id"])
        record["name"], record["name_key"] = name, fold(name)


def _redated(store: Store, record: dict[str, Any], current: dict[str, Any], changes: dict[str, Any]) -> None:
    """New dates; a term end that was the default follows a new date of appointment."""
    if "appointed_on" in changes:
        record["appointed_on"] = date_value("appointed_on", changes["appointed_on"], store.today)
        if "ends_on" not in changes and current["ends_on"] in (None, default_end(current["appointed_on"])):
            record["ends_on"] = default_end(record["appointed_on"])
    if "ends_on" in changes:
        record["ends_on"] = date_value("ends_on", changes["ends_on"], store.today)


def edit_region(
    store: Store,
    ref: str | int,
    changes: dict[str, Any],
    *,
    add_municipalities: list[str] | None = None,
    remove_municipalities: list[str] | None = None,
) -> dict[str, Any]:
    with store.write():
        current = dict(resolve(store, "region", ref))
        record = dict(current)
        _renamed(store, record, changes)
        for key in ("coach", "notes"):
            if key in changes:
                record[key] = text_value(changes, key)
        _redated(store, record, current, changes)
        if "municipalities" in changes:
            record["municipalities"] = dump_list(split_words(changes["municipalities"]))
        if add_municipalities or remove_municipalities:
            record["municipalities"] = dump_list(
                merge_words(load_list(record["municipalities"]), add_municipalities or [], remove_municipalities or [])
            )
        status = vocab_value(store, "coach_statuses", "coach_status", changes.get("coach_status"))
        settle_coach(record, status, changes.get("ends_on") is not None, store.today)
        update_changed(store, "region", current, record)
    return get_region(store, current["id"])


def removal_plan(store: Store, ref: str | int) -> tuple[dict[str, Any], list[str]]:
    """The region and what removing it would do; raises if it would orphan records."""
    region = get_region(store, ref)
    rid = region["id"]
    sites = store.value("SELECT count(*) FROM site WHERE region_id = ?", (rid,))
    activities = store.value("SELECT count(*) FROM activity WHERE region_id = ?", (rid,))
    companies = store.value("SELECT count(*) FROM company WHERE region_id = ?", (rid,))
    if sites or activities or companies:
        held = f"{sites} site(s) and {activities} activit(y/ies)" + (
            f" and {companies} company(ies)" if companies else ""
        )
        raise Conflict(f"region {region['name']!r} still has {held}; move or remove them first")
    contacts = store.value("SELECT count(*) FROM contact WHERE region_id = ?", (rid,))
    effects = [f"{contacts} contact(s) lose their region"] if contacts else []
    return region, effects


def remove_region(store: Store, ref: str | int) -> dict[str, Any]:
    with store.write():
        region, _ = removal_plan(store, ref)
        bury_rows(store, "region", "id = ?", (region["id"],))
        store.execute("DELETE FROM region WHERE id = ?", (region["id"],))
    return region
