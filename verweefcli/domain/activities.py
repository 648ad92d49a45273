"""Activities: what a coach did, when, where and with whom.

Recording a visit (kind ``visit``) moves an ``identified`` site to ``visited``
as of the visit's date; removing the visit undoes that.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from verweefcli.domain import sites as site_rules
from verweefcli.domain.common import (
    FieldError,
    Filters,
    Query,
    add_period_filter,
    add_tag_filter,
    bool_value,
    check_uuid,
    date_value,
    dump_list,
    given_id,
    insert_row,
    int_value,
    like_pattern,
    limit_sql,
    load_list,
    merge_words,
    new_uuid,
    required_date,
    resolve,
    resolve_id,
    split_words,
    text_value,
    update_changed,
    vocab_value,
)
from verweefcli.domain.links import split_refs
from verweefcli.storage import Store, now_stamp

FIELDS = (
    "id",
    "uuid",
    "date",
    "kind",
    "title",
    "notes",
    "region",
    "minutes",
    "sites",
    "contacts",
    "follow_up",
    "highlight",
    "tags",
)
VISIT = "visit"
MAX_MINUTES = 24 * 60

SELECT = "SELECT a.*, r.name AS region_name FROM activity a LEFT JOIN region r ON r.id = a.region_id"


def _names(store: Store, link_table: str, other: str, key: str, ids: list[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {i: [] for i in ids}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        for r in store.rows(
            f"SELECT x.activity_id, o.name FROM {link_table} x JOIN {other} o ON o.id = x.{key} "
            f"WHERE x.activity_id IN ({marks}) ORDER BY x.activity_id, x.position",
            chunk,
        ):
            names[r["activity_id"]].append(r["name"])
    return names


def activity_dicts(store: Store, rows: list[sqlite3.Row]) -> list[dict[str, Any]]:
    ids = [r["id"] for r in rows]
    sites = _names(store, "activity_site", "site", "site_id", ids)
    contacts = _names(store, "activity_contact", "contact", "contact_id", ids)
    return [
        {
            "id": r["id"],
            "uuid": r["uuid"],
            "date": r["date"],
            "kind": r["kind"],
            "title": r["title"],
            "notes": r["notes"],
            "region": r["region_name"],
            "minutes": r["minutes"],
            "sites": sites[r["id"]],
            "contacts": contacts[r["id"]],
            "follow_up": r["follow_up"],
            "highlight": bool(r["highlight"]),
            "tags": load_list(r["tags"]),
        }
        for r in rows
    ]


def _resolve_all(store: Store, table: str, refs: Any, field: str, extra: str) -> list[int]:
    out: list[int] = []
    for ref in split_refs(refs):
        record_id = resolve_id(store, table, ref, field, extra=extra)
        if record_id is not None and record_id not in out:
            out.append(record_id)
    return out


def _kind(store: Store, value: Any) -> str:
    kind = vocab_value(store, "activity_kinds", "kind", value)
    if kind is None:
        raise FieldError("kind", f"an activity needs a kind ({', '.join(store.vocab.activity_kinds)})")
    return kind


def _text(name: str) -> Callable[[Store, Any], str | None]:
    return lambda store, value: text_value({name: value}, name)


#: One rule per field: from a typed or user-typed value to the column's value.
#: ``prepare`` applies them; the CSV importer applies them one cell at a time.
RULES: dict[str, Callable[[Store, Any], Any]] = {
    "date": lambda store, value: required_date("date", value, store.today),
    "kind": _kind,
    "title": _text("title"),
    "notes": _text("notes"),
    "minutes": lambda store, value: int_value("minutes", value, high=MAX_MINUTES),
    "follow_up": lambda store, value: date_value("follow_up", value, store.today),
    "highlight": lambda store, value: int(bool_value("highlight", value)),
    "tags": lambda store, value: dump_list(split_words(value)),
}


def prepare(store: Store, values: dict[str, Any], current: dict[str, Any] | None = None) -> dict[str, Any]:
    """Validate user values into columns (on edit, only the fields given)."""
    record = {name: rule(store, values.get(name)) for name, rule in RULES.items() if current is None or name in values}
    if "region" in values and values.get("region") is not None:
        record["region_id"] = resolve_id(store, "region", values["region"], "region")
    return record


def _region_from_links(store: Store, site_ids: list[int], contact_ids: list[int]) -> int | None:
    for site_id in site_ids:
        region = store.value("SELECT region_id FROM site WHERE id = ?", (site_id,))
        if region is not None:
            return int(region)
    for contact_id in contact_ids:
        region = store.value("SELECT region_id FROM contact WHERE id = ?", (contact_id,))
        if region is not None:
            return int(region)
    return None


def _link_sites(store: Store, activity_id: int, site_ids: list[int]) -> None:
    start = store.value(
        "SELECT coalesce(max(position), -1) + 1 FROM activity_site WHERE activity_id = ?", (activity_id,)
    )
    store.executemany(
        "INSERT OR IGNORE INTO activity_site (activity_id, site_id, position) VALUES (?, ?, ?)",
        [(activity_id, site_id, start + i) for i, site_id in enumerate(site_ids)],
    )


def _link_contacts(store: Store, activity_id: int, contact_ids: list[int]) -> None:
    start = store.value(
        "SELECT coalesce(max(position), -1) + 1 FROM activity_contact WHERE activity_id = ?", (activity_id,)
    )
    store.executemany(
        "INSERT OR IGNORE INTO activity_contact (activity_id, contact_id, position, date) "
        "SELECT ?, ?, ?, date FROM activity WHERE id = ?",
        [(activity_id, contact_id, start + i, activity_id) for i, contact_id in enumerate(contact_ids)],
    )


def apply_site_rules(store: Store, activity_id: int) -> None:
    """Keep the sites of an activity in step with it.

    A site worked on at a date was known by then; a visit moves an
    ``identified`` site to ``visited`` as of the visit.
    """
    row = store.row("SELECT date, kind FROM activity WHERE id = ?", (activity_id,))
    assert row is not None
    for site_id in [
        r[0] for r in store.rows("SELECT site_id FROM activity_site WHERE activity_id = ?", (activity_id,))
    ]:
        site_rules.known_since(store, site_id, row["date"])
        if row["kind"] != VISIT:
            continue
        stage = store.value("SELECT stage FROM site WHERE id = ?", (site_id,))
        if stage == "identified":
            site_rules.record_stage(store, site_id, "visited", row["date"], activity_id)


def add_activity(store: Store, values: dict[str, Any], *, default_region: str | None = None) -> dict[str, Any]:
    """Add an activity; ``default_region`` is used when neither it nor its links give one."""
    record = prepare(store, values)
    with store.write():
        site_ids = _resolve_all(store, "site", values.get("sites"), "sites", "municipality")
        contact_ids = _resolve_all(store, "contact", values.get("contacts"), "contacts", "organisation")
        if record["kind"] == VISIT and not site_ids:
            raise FieldError("sites", "a site visit needs the site that was visited")
        if record.get("region_id") is None:
            record["region_id"] = _region_from_links(store, site_ids, contact_ids) or resolve_id(
                store, "region", default_region, "region"
            )
        if record["region_id"] is None:
            raise FieldError("region", "give the region (or a site or contact that has one)")
        record["uuid"] = check_uuid(values.get("uuid")) or new_uuid()
        if (given := given_id(values)) is not None:
            record["id"] = given
        record["created_at"] = record["updated_at"] = now_stamp()
        activity_id = insert_row(store, "activity", record)
        _link_sites(store, activity_id, site_ids)
        _link_contacts(store, activity_id, contact_ids)
        apply_site_rules(store, activity_id)
    return get_activity(store, activity_id)


def get_activity(store: Store, ref: str | int) -> dict[str, Any]:
    row = resolve(store, "activity", ref)
    full = store.row(SELECT + " WHERE a.id = ?", (row["id"],))
    assert full is not None
    return activity_dicts(store, [full])[0]


def list_activities(store: Store, filters: Filters | None = None) -> list[dict[str, Any]]:
    filters = filters or Filters()
    query = Query()
    if filters.region:
        query.add("a.region_id = ?", resolve_id(store, "region", filters.region, "--region"))
    if filters.kind:
        query.add("a.kind = ?", vocab_value(store, "activity_kinds", "--kind", filters.kind))
    if filters.category:
        category = vocab_value(store, "activity_categories", "--category", filters.category)
        kinds = [k for k in store.vocab.activity_kinds if store.vocab.category_of(k) == category]
        query.add(f"a.kind IN ({', '.join('?' for _ in kinds)})", *kinds)
    if filters.site:
        site_id = resolve_id(store, "site", filters.site, "--site", extra="municipality")
        query.add("a.id IN (SELECT activity_id FROM activity_site WHERE site_id = ?)", site_id)
    if filters.contact:
        contact_id = resolve_id(store, "contact", filters.contact, "--contact", extra="organisation")
        query.add("a.id IN (SELECT activity_id FROM activity_contact WHERE contact_id = ?)", contact_id)
    add_tag_filter(query, "a", filters.tag)
    if filters.search:
        query.add(
            "verweef_fold(coalesce(a.title, '') || ' ' || coalesce(a.notes, '') || ' ' || a.tags) LIKE ? ESCAPE '\\'",
            like_pattern(filters.search),
        )
    if filters.highlight is not None:
        query.add("a.highlight = ?", int(filters.highlight))
    add_period_filter(query, "a.date", filters.period)
    if filters.follow_up is not None:
        query.add("a.follow_up IS NOT NULL")
        add_period_filter(query, "a.follow_up", filters.follow_up)
    sql = f"{SELECT}{query.sql()} ORDER BY a.date DESC, a.id DESC{limit_sql(filters.limit)}"
    return activity_dicts(store, store.rows(sql, query.params))


def edit_activity(
    store: Store,
    ref: str | int,
    changes: dict[str, Any],
    *,
    add_sites: list[str] | None = None,
    remove_sites: list[str] | None = None,
    add_contacts: list[str] | None = None,
    remove_contacts: list[str] | None = None,
    add_tags: list[str] | None = None,
    remove_tags: list[str] | None = None,
) -> dict[str, Any]:
    with store.write():
        row = resolve(store, "activity", ref)
        current = dict(row)
        record = {**current, **prepare(store, changes, current)}
        if add_tags or remove_tags:
            record["tags"] = dump_list(merge_words(load_list(record["tags"]), add_tags or [], remove_tags or []))
        update_changed(store, "activity", current, record)
        activity_id = row["id"]
        _link_sites(store, activity_id, _resolve_all(store, "site", add_sites, "--site", "municipality"))
        _link_contacts(store, activity_id, _resolve_all(store, "contact", add_contacts, "--contact", "organisation"))
        dropped_sites = _resolve_all(store, "site", remove_sites, "--remove-site", "municipality")
        for site_id in dropped_sites:
            store.execute("DELETE FROM activity_site WHERE activity_id = ? AND site_id = ?", (activity_id, site_id))
        for contact_id in _resolve_all(store, "contact", remove_contacts, "--remove-contact", "organisation"):
            store.execute(
                "DELETE FROM activity_contact WHERE activity_id = ? AND contact_id = ?",
                (activity_id, contact_id),
            )
        # a visit's effect on its sites follows its current date, kind and sites
        _undo_visit_stages(store, activity_id)
        if record["kind"] == VISIT and not store.value(
            "SELECT count(*) FROM activity_site WHERE activity_id = ?", (activity_id,)
        ):
            raise FieldError("sites", "a site visit needs the site that was visited")
        apply_site_rules(store, activity_id)
    return get_activity(store, row["id"])


def _undo_visit_stages(store: Store, activity_id: int) -> None:
    site_ids = [
        r[0] for r in store.rows("SELECT DISTINCT site_id FROM site_stage WHERE activity_id = ?", (activity_id,))
    ]
    store.execute("DELETE FROM site_stage WHERE activity_id = ?", (activity_id,))
    for site_id in site_ids:
        site_rules.refresh_stage(store, site_id)


def removal_plan(store: Store, ref: str | int) -> tuple[dict[str, Any], list[str]]:
    activity = get_activity(store, ref)
    effects = []
    if activity["sites"] or activity["contacts"]:
        effects.append(f"its links to {len(activity['sites'])} site(s) and {len(activity['contacts'])} contact(s) go")
    moved = store.value("SELECT count(*) FROM site_stage WHERE activity_id = ?", (activity["id"],))
    if moved:
        effects.append(f"{moved} site(s) it moved to 'visited' go back to their previous stage")
    return activity, effects


def remove_activity(store: Store, ref: str | int) -> dict[str, Any]:
    with store.write():
        activity, _ = removal_plan(store, ref)
        _undo_visit_stages(store, activity["id"])
        store.execute("DELETE FROM activity WHERE id = ?", (activity["id"],))
    return activity
