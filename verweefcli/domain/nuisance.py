"""Nuisance cases (hinder): what is reported at a site, and how it ends.

A case is at a site (required) and may name the company that causes it. It is
open until it is closed with a result (``nuisance_results``) on a day not
before it was reported; reopening clears both. Its region is read, not stored:
its site's (:data:`SELECT`). Who reported it is a contact, shown by name only.
The measures taken against it are in :mod:`verweefcli.domain.measures`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from verweefcli.domain.common import (
    FieldError,
    Filters,
    Query,
    Resolver,
    add_period_filter,
    check_uuid,
    date_value,
    dump_list,
    given_id,
    insert_row,
    int_value,
    limit_sql,
    load_list,
    new_uuid,
    required_date,
    resolve,
    resolve_id,
    split_terms,
    text_value,
    update_changed,
    vocab_value,
)
from verweefcli.domain.derived import touch
from verweefcli.domain.tombstones import bury_rows
from verweefcli.errors import Conflict
from verweefcli.storage import Store, now_stamp

FIELDS = (
    "id",
    "uuid",
    "site",
    "company",
    "region",
    "types",
    "reported_by",
    "reported_on",
    "severity",
    "timing",
    "frequency",
    "state",
    "result",
    "closed_on",
    "follow_up",
    "notes",
)
OPEN, CLOSED = "open", "closed"

#: a case with the names it refers to; its region is its site's
SELECT = (
    "SELECT n.*, s.name AS site_name, c.name AS company_name, r.name AS region_name, p.name AS reporter "
    "FROM nuisance n CROSS JOIN site s ON s.id = n.site_id LEFT JOIN region r ON r.id = s.region_id "
    "LEFT JOIN company c ON c.id = n.company_id LEFT JOIN contact p ON p.id = n.reported_by"
)


@dataclass
class NuisanceFilters(Filters):
    """What ``nuisance list`` and ``measure list`` narrow down on.

    ``kind`` is a nuisance type (cases) or a measure kind; ``status`` is open or
    closed (cases) or a measure status.
    """

    company: str | None = None
    case: str | None = None


def case_dict(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "uuid": row["uuid"],
        "site": row["site_name"],
        "company": row["company_name"],
        "region": row["region_name"],
        "types": load_list(row["types"]),
        "reported_by": row["reporter"],
        "reported_on": row["reported_on"],
        "severity": row["severity"],
        "timing": load_list(row["timing"]),
        "frequency": row["frequency"],
        "state": CLOSED if row["closed_on"] else OPEN,
        "result": row["result"],
        "closed_on": row["closed_on"],
        "follow_up": row["follow_up"],
        "notes": row["notes"],
    }


def case_label(case: dict[str, Any]) -> str:
    """``smell, noise at Brouwerij De Zwaan``: how a case is named in messages."""
    return f"{', '.join(case['types'])} at {case['site']}"


# -- values ------------------------------------------------------------------------


def vocab_keys(store: Store, vocabulary: str, field: str, value: Any) -> list[str]:
    """Terms given repeated, or in one text separated by commas or semicolons (CSV), as keys, each once."""
    words = split_terms(value)
    return list(dict.fromkeys(str(vocab_value(store, vocabulary, field, word)) for word in words))


def types_column(store: Store, value: Any) -> str:
    """The types as stored (a JSON list of keys): what a CSV row's are compared with."""
    return _types(store, value)


def _types(store: Store, value: Any) -> str:
    keys = vocab_keys(store, "nuisance_types", "types", value)
    if not keys:
        raise FieldError("types", "a nuisance case needs a type (--type): noise, smell, dust-smoke, light...")
    return dump_list(keys)


def _site(resolver: Resolver, value: Any) -> int:
    if value is None or not str(value).strip():
        raise FieldError("site", "a nuisance case needs a site")
    return resolver.id("site", value, "site")


def prepare(
    store: Store, values: dict[str, Any], current: dict[str, Any] | None = None, resolver: Resolver | None = None
) -> dict[str, Any]:
    """Validate user values into table columns (only the keys given on edit)."""
    resolver = resolver or Resolver(store)
    today = store.today
    converters: dict[str, tuple[str, Callable[[Any], Any]]] = {
        "site": ("site_id", lambda v: _site(resolver, v)),
        "company": ("company_id", lambda v: resolver.optional_id("company", v, "company")),
        "reported_by": ("reported_by", lambda v: resolver.optional_id("contact", v, "reported_by")),
        "types": ("types", lambda v: _types(store, v)),
        "reported_on": ("reported_on", lambda v: required_date("reported_on", today if v is None else v, today)),
        "severity": ("severity", lambda v: int_value("severity", v, low=1, high=5)),
        "timing": ("timing", lambda v: dump_list(vocab_keys(store, "nuisance_timings", "timing", v))),
        "frequency": ("frequency", lambda v: vocab_value(store, "nuisance_frequencies", "frequency", v)),
        "follow_up": ("follow_up", lambda v: date_value("follow_up", v, today)),
        "notes": ("notes", lambda v: text_value({"notes": v}, "notes")),
    }
    record: dict[str, Any] = {}
    for key, (column, convert) in converters.items():
        if current is None or key in values:
            record[column] = convert(values.get(key))
    return record


def _closing(store: Store, result: Any, on: Any, reported_on: str) -> dict[str, Any]:
    key = vocab_value(store, "nuisance_results", "result", result)
    if key is None:
        raise FieldError("result", "closing a case needs a result: solved, reduced or no-effect")
    day = date_value("date", on, store.today) or store.today.isoformat()
    if day < reported_on:
        raise FieldError("date", f"{day} is before the case was reported ({reported_on})")
    return {"result": key, "closed_on": day}


def _check_dates(store: Store, case_id: int, record: dict[str, Any]) -> None:
    """A case is closed, and its measures move, on or after the day it was reported."""
    reported = record["reported_on"]
    if record["closed_on"] and record["closed_on"] < reported:
        raise FieldError("reported_on", f"{reported} is after the case was closed ({record['closed_on']})")
    first = store.value(
        "SELECT min(v.date) FROM measure m JOIN measure_move v ON v.measure_id = m.id WHERE m.nuisance_id = ?",
        (case_id,),
    )
    if first is not None and first < reported:
        raise FieldError("reported_on", f"{reported} is after its measures' first status ({first})")


# -- writing -------------------------------------------------------------------------


def add_case(store: Store, values: dict[str, Any]) -> dict[str, Any]:
    """Add a case: open, or closed when ``values`` has a ``result`` (and ``closed_on``)."""
    with store.write():
        case_id = insert_case(store, values)
    return get_case(store, case_id)


def insert_case(store: Store, values: dict[str, Any], *, resolver: Resolver | None = None) -> int:
    """Validate and insert a case, in the caller's transaction."""
    record = prepare(store, values, resolver=resolver)
    record["result"] = record["closed_on"] = None
    if values.get("result") or values.get("closed_on"):
        record.update(_closing(store, values.get("result"), values.get("closed_on"), record["reported_on"]))
    record["uuid"] = check_uuid(values.get("uuid")) or new_uuid()
    if (case_id := given_id(values)) is not None:
        record["id"] = case_id
    record["created_at"] = record["updated_at"] = now_stamp()
    with store.write():
        case_id = insert_row(store, "nuisance", record)
        touch(store, None, nuisance=[case_id])
    return case_id


def close_case(store: Store, ref: str | int, result: Any, on: Any = None) -> dict[str, Any]:
    """Close an open case with a result, on ``on`` (default today)."""
    with store.write():
        row = resolve(store, "nuisance", ref)
        if row["closed_on"]:
            raise Conflict(
                f"nuisance case #{row['id']} is already closed ({row['result']} on {row['closed_on']}); "
                f"reopen it first: verweef nuisance reopen {row['id']}"
            )
        current = dict(row)
        update_changed(store, "nuisance", current, {**current, **_closing(store, result, on, row["reported_on"])})
    return get_case(store, row["id"])  # its search row holds nothing of the closing


def reopen_case(store: Store, ref: str | int) -> dict[str, Any]:
    """Open a closed case again: its result and the day it was closed go."""
    with store.write():
        row = resolve(store, "nuisance", ref)
        if not row["closed_on"]:
            raise Conflict(f"nuisance case #{row['id']} is open")
        current = dict(row)
        update_changed(store, "nuisance", current, {**current, "result": None, "closed_on": None})
    return get_case(store, row["id"])


def edit_case(store: Store, ref: str | int, changes: dict[str, Any]) -> dict[str, Any]:
    """Change the fields given (``types`` and ``timing`` replace the ones known)."""
    with store.write():
        row = resolve(store, "nuisance", ref)
        current = dict(row)
        record = {**current, **prepare(store, changes, current)}
        _check_dates(store, row["id"], record)
        update_changed(store, "nuisance", current, record)
        touch(store, None, nuisance=[row["id"]])
    return get_case(store, row["id"])


def removal_plan(store: Store, ref: str | int) -> tuple[dict[str, Any], list[str]]:
    """The case and what removing it would do: its measures go, each named."""
    case = get_case(store, ref)
    rows = store.rows("SELECT id, kind, status FROM measure WHERE nuisance_id = ? ORDER BY id", (case["id"],))
    effects = [f"measure #{r['id']} {r['kind']} ({r['status']}) goes, with its status history" for r in rows[:10]]
    if len(rows) > 10:
        effects.append(f"and {len(rows) - 10} more measures go")
    return case, effects


def remove_case(store: Store, ref: str | int) -> dict[str, Any]:
    with store.write():
        case = get_case(store, ref)
        bury_rows(store, "measure", "nuisance_id = ?", (case["id"],))
        bury_rows(store, "nuisance", "id = ?", (case["id"],))
        store.execute("DELETE FROM nuisance WHERE id = ?", (case["id"],))  # its measures and moves cascade
        touch(store, None, nuisance=[case["id"]])
    return case


# -- reading -------------------------------------------------------------------------


def get_case(store: Store, ref: str | int) -> dict[str, Any]:
    row = resolve(store, "nuisance", ref)
    full = store.row(SELECT + " WHERE n.id = ?", (row["id"],))
    assert full is not None
    return case_dict(full)


def case_details(store: Store, ref: str | int) -> dict[str, Any]:
    """The case with its measures, each with its status history."""
    from verweefcli.domain.measures import measures_of

    case = get_case(store, ref)
    case["measures"] = measures_of(store, case["id"])
    return case


def list_cases(store: Store, filters: Filters | None = None) -> list[dict[str, Any]]:
    """Cases, newest first; ``--type`` finds a case among its types."""
    filters = filters or NuisanceFilters()
    query = Query()
    if filters.region:
        query.add("s.region_id = ?", resolve_id(store, "region", filters.region, "--region"))
    if filters.site:
        query.add("n.site_id = ?", resolve_id(store, "site", filters.site, "--site", extra="municipality"))
    if company := getattr(filters, "company", None):
        query.add("n.company_id = ?", resolve_id(store, "company", company, "--company", extra="enterprise_number"))
    if filters.kind:
        kind = vocab_value(store, "nuisance_types", "--type", filters.kind)
        query.add("EXISTS (SELECT 1 FROM json_each(n.types) WHERE json_each.value = ?)", kind)
    if filters.status:
        query.add(_state_clause(filters.status))
    add_period_filter(query, "n.reported_on", filters.period)
    sql = f"{SELECT}{query.sql()} ORDER BY n.reported_on DESC, n.id DESC{limit_sql(filters.limit)}"
    return [case_dict(r) for r in store.rows(sql, query.params)]


def _state_clause(state: str) -> str:
    if state not in (OPEN, CLOSED):
        raise FieldError("state", f"{state!r} is neither {OPEN} nor {CLOSED}")
    return "n.closed_on IS NULL" if state == OPEN else "n.closed_on IS NOT NULL"
