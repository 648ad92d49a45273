"""Activities: what a coach did, when, where and with whom.

User values become a :class:`Draft` in one place (:data:`RULES` per field, then
:func:`complete` for the rules between fields: a visit needs its site, a
follow-up comes after the activity, the region follows the sites). Commands
resolve references one at a time; the importer passes a :class:`Resolver` that
keeps what it found. :func:`insert`, :class:`~verweefcli.domain.activity_bulk.BulkInsert`,
:func:`edit_activity` and :func:`remove_activity` write drafts, then let
:func:`~verweefcli.domain.stages.refresh_stages` recompute the sites they touched.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from verweefcli.domain.common import (
    FieldError,
    Filters,
    Query,
    Resolver,
    add_period_filter,
    add_search_filter,
    bool_value,
    check_uuid,
    date_value,
    dump_list,
    given_id,
    insert_row,
    int_value,
    limit_sql,
    load_list,
    merge_words,
    new_uuid,
    required_date,
    resolve,
    resolve_id,
    split_words,
    tag_keys,
    text_value,
    update_changed,
    vocab_value,
)
from verweefcli.domain.derived import touch
from verweefcli.domain.links import split_refs
from verweefcli.domain.stages import stage_effects
from verweefcli.domain.tombstones import bury_rows
from verweefcli.storage import Store, now_stamp
from verweefcli.textnorm import fold

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
    "follow_up_note",
    "follow_up_done",
    "follow_up_done_notes",
    "request",
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


def link_names(store: Store, ids: list[int]) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """The names of these activities' sites and of their contacts, in order."""
    return (
        _names(store, "activity_site", "site", "site_id", ids),
        _names(store, "activity_contact", "contact", "contact_id", ids),
    )


def activity_dicts(store: Store, rows: list[sqlite3.Row]) -> list[dict[str, Any]]:
    sites, contacts = link_names(store, [r["id"] for r in rows])
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
            "follow_up_note": r["follow_up_note"],
            "follow_up_done": r["follow_up_done"],
            "follow_up_done_notes": r["follow_up_done_notes"],
            "request": r["request_id"],
        }
        for r in rows
    ]


# -- from user values to a draft ---------------------------------------------------


def _kind(store: Store, value: Any) -> str:
    kind = vocab_value(store, "activity_kinds", "kind", value)
    if kind is None:
        raise FieldError("kind", f"an activity needs a kind ({', '.join(store.vocab.activity_kinds)})")
    return kind


def _text(name: str) -> Callable[[Store, Any], str | None]:
    return lambda _store, value: text_value({name: value}, name)


#: One rule per field: from a typed or user-typed value to the column's value.
#: :func:`parse` applies them; the CSV importer applies them once per distinct cell.
RULES: dict[str, Callable[[Store, Any], Any]] = {
    "date": lambda store, value: required_date("date", value, store.today),
    "kind": _kind,
    "title": _text("title"),
    "notes": _text("notes"),
    "minutes": lambda _store, value: int_value("minutes", value, high=MAX_MINUTES),
    "follow_up": lambda store, value: date_value("follow_up", value, store.today),
    "highlight": lambda _store, value: int(bool_value("highlight", value)),
    "tags": lambda _store, value: dump_list(split_words(value)),
    "follow_up_note": _text("follow_up_note"),
    "follow_up_done": lambda store, value: date_value("follow_up_done", value, store.today),
    "follow_up_done_notes": _text("follow_up_done_notes"),
}
COLUMNS = tuple(RULES)


@dataclass(slots=True)
class Draft:
    """An activity as it will be written: checked values, and its links as ids in order."""

    date: str
    kind: str
    title: str | None
    notes: str | None
    minutes: int | None
    follow_up: str | None
    highlight: int
    tags: str
    follow_up_note: str | None
    follow_up_done: str | None
    follow_up_done_notes: str | None
    region_id: int
    site_ids: tuple[int, ...] = ()
    contact_ids: tuple[int, ...] = ()
    uuid: str | None = None
    id: int | None = None
    request_id: int | None = None  # the request it is work on

    def content(self) -> tuple[Any, ...]:
        """What makes two activities the same record when a row has no id or uuid (imports)."""
        return (
            self.date,
            self.kind,
            self.title or "",
            self.notes or "",
            self.minutes,
            self.region_id,
            self.site_ids,
            self.contact_ids,
            self.follow_up,
            self.tags,
            self.follow_up_note or "",
            self.follow_up_done,
            self.follow_up_done_notes or "",
        )  # not the request it is work on: a link made later must not make a row of a file a new activity

    def columns(self) -> dict[str, Any]:
        return {
            **{name: getattr(self, name) for name in COLUMNS},
            "region_id": self.region_id,
            "request_id": self.request_id,
        }


def request_value(store: Store, value: Any) -> int | None:
    """The request an activity is work on: its id (``12``, ``#12``) or uuid; empty: none."""
    if value is None or not str(value).strip():
        return None
    return resolve_id(store, "request", str(value), "request")


def link_ids(resolver: Resolver, table: str, refs: Any, field: str) -> tuple[int, ...]:
    """``"A; B"`` or ``["A", "#3"]`` -> ids, each once, in order."""
    return tuple(dict.fromkeys(resolver.id(table, ref, field) for ref in split_refs(refs)))


def _quoted_sites(resolver: Resolver, site_ids: Sequence[int], regions: dict[int, int | None]) -> str:
    return ", ".join(
        f"{resolver.name_of('site', s)!r} in {resolver.name_of('region', r)}"
        for s in site_ids
        if (r := regions.get(s)) is not None
    )


def choose_region(
    resolver: Resolver,
    given: int | None,
    site_ids: Sequence[int],
    contact_ids: Sequence[int] = (),
    default: str | None = None,
) -> int:
    """An activity's region: the region of its sites (one of them if they are in several).

    A given region that is not one of its sites' is an error naming both. With
    no sites, the given region, else a contact's, else the default.
    """
    if len(site_ids) == 1:  # the usual case, made short: imports ask a million times
        region = resolver.region_of("site", site_ids[0])
        if region is not None and given in (None, region):
            return region
    of_site = {s: resolver.region_of("site", s) for s in site_ids}
    regions = list(dict.fromkeys(r for r in of_site.values() if r is not None))
    if regions:
        if given is None and len(regions) == 1:
            return regions[0]
        if given in regions:
            return given
        if given is None:
            raise FieldError(
                "region", f"its sites are in several regions ({_quoted_sites(resolver, site_ids, of_site)}): give one"
            )
        raise FieldError(
            "region",
            f"{resolver.name_of('region', given)} is not the region of its site"
            f"{'s' if len(site_ids) > 1 else ''} ({_quoted_sites(resolver, site_ids, of_site)})",
        )
    if given is not None:
        return given
    for contact_id in contact_ids:
        if (region := resolver.region_of("contact", contact_id)) is not None:
            return region
    if default:
        return resolver.id("region", default, "region")
    raise FieldError("region", "give the region (or a site or contact that has one)")


def check(draft: Draft) -> Draft:
    """The rules between fields that every write path applies."""
    if draft.kind == VISIT and not draft.site_ids:
        raise FieldError("sites", "a site visit needs the site that was visited")
    if draft.follow_up is not None and draft.follow_up < draft.date:
        raise FieldError("follow_up", f"the follow-up ({draft.follow_up}) is before the activity ({draft.date})")
    if draft.follow_up is None and (draft.follow_up_done or draft.follow_up_note or draft.follow_up_done_notes):
        field = "follow_up_note" if draft.follow_up_note else "follow_up_done"
        raise FieldError(field, "give the follow-up's date too (--follow-up DATE)")
    if draft.follow_up_done_notes and draft.follow_up_done is None:
        raise FieldError("follow_up_done_notes", "notes on how a follow-up was done need the day it was done")
    if draft.follow_up_done is not None and draft.follow_up_done < draft.date:
        raise FieldError(
            "follow_up_done", f"the follow-up was done ({draft.follow_up_done}) before the activity ({draft.date})"
        )
    return draft


def complete(draft: Draft, given_region: int | None, resolver: Resolver, default_region: str | None = None) -> Draft:
    """A draft made of checked field values and resolved links, its region chosen and the rules
    between its fields checked (``draft.region_id`` is not read)."""
    draft.region_id = choose_region(resolver, given_region, draft.site_ids, draft.contact_ids, default_region)
    return check(draft)


def parse(
    store: Store, values: dict[str, Any], resolver: Resolver | None = None, default_region: str | None = None
) -> Draft:
    """User values (field -> text or typed value) -> a checked draft."""
    resolver = resolver or Resolver(store)
    record = {name: rule(store, values.get(name)) for name, rule in RULES.items()}
    sites = link_ids(resolver, "site", values.get("sites"), "sites")
    contacts = link_ids(resolver, "contact", values.get("contacts"), "contacts")
    region = values.get("region")
    given = resolver.optional_id("region", None if region is None else str(region), "region")
    request_id = request_value(store, values.get("request"))
    if given is None and not sites and request_id is not None:  # work on a request, nowhere else: its region
        from verweefcli.domain.request_rules import region_of

        given = region_of(store, request_id)
    draft = complete(
        Draft(**record, region_id=0, site_ids=sites, contact_ids=contacts), given, resolver, default_region
    )
    draft.uuid = check_uuid(values.get("uuid"))
    draft.id = given_id(values)
    draft.request_id = request_id
    return draft


# -- writing ------------------------------------------------------------------------


def write_tags(store: Store, activity_id: int, tags: str) -> None:
    """The activity's tags in the tag index (``activity list --tag``)."""
    store.execute("DELETE FROM activity_tag WHERE activity_id = ?", (activity_id,))
    store.executemany(
        "INSERT INTO activity_tag (activity_id, tag) VALUES (?, ?)", [(activity_id, tag) for tag in tag_keys(tags)]
    )


def _write_links(store: Store, activity_id: int, draft: Draft) -> None:
    store.execute("DELETE FROM activity_site WHERE activity_id = ?", (activity_id,))
    store.execute("DELETE FROM activity_contact WHERE activity_id = ?", (activity_id,))
    store.executemany(
        "INSERT INTO activity_site (activity_id, site_id, position, date, kind) VALUES (?, ?, ?, ?, ?)",
        [(activity_id, site_id, i, draft.date, draft.kind) for i, site_id in enumerate(draft.site_ids)],
    )
    store.executemany(
        "INSERT INTO activity_contact (activity_id, contact_id, position, date) VALUES (?, ?, ?, ?)",
        [(activity_id, contact_id, i, draft.date) for i, contact_id in enumerate(draft.contact_ids)],
    )


def insert(store: Store, draft: Draft) -> int:
    """Write one new activity and what follows from it for its sites."""
    with store.write():
        record = draft.columns()
        record["uuid"] = draft.uuid or new_uuid()
        if draft.id is not None:
            record["id"] = draft.id
        record["created_at"] = record["updated_at"] = now_stamp()
        activity_id = insert_row(store, "activity", record)
        _write_links(store, activity_id, draft)
        write_tags(store, activity_id, draft.tags)
        touch(store, None, stages=draft.site_ids, activity=[activity_id])
    return activity_id


def add_activity(store: Store, values: dict[str, Any], *, default_region: str | None = None) -> dict[str, Any]:
    """Add an activity; ``default_region`` is used when neither it nor its links give one."""
    with store.write():
        activity_id = insert(store, parse(store, values, default_region=default_region))
    return get_activity(store, activity_id)


def load_draft(store: Store, activity_id: int) -> Draft:
    """An activity as stored, as a draft (for edits and comparisons)."""
    row = store.row("SELECT * FROM activity WHERE id = ?", (activity_id,))
    assert row is not None
    links = {
        table: tuple(
            r[0]
            for r in store.rows(
                f"SELECT {table}_id FROM activity_{table} WHERE activity_id = ? ORDER BY position", (activity_id,)
            )
        )
        for table in ("site", "contact")
    }
    return Draft(
        **{name: row[name] for name in COLUMNS},
        region_id=row["region_id"],
        site_ids=links["site"],
        contact_ids=links["contact"],
        uuid=row["uuid"],
        id=activity_id,
        request_id=row["request_id"],
    )


def equal_records(store: Store, draft: Draft, before_id: int) -> list[int]:
    """Ids (below ``before_id``, in order) of the activities equal to ``draft`` in every field."""
    candidates = store.rows(
        "SELECT id FROM activity INDEXED BY activity_report "
        "WHERE date = ? AND region_id = ? AND kind = ? AND coalesce(title, '') = ? AND id < ? ORDER BY id",
        (draft.date, draft.region_id, draft.kind, draft.title or "", before_id),
    )
    wanted = draft.content()
    return [r[0] for r in candidates if load_draft(store, r[0]).content() == wanted]


def get_activity(store: Store, ref: str | int) -> dict[str, Any]:
    row = resolve(store, "activity", ref)
    full = store.row(SELECT + " WHERE a.id = ?", (row["id"],))
    assert full is not None
    return activity_dicts(store, [full])[0]


def list_activities(
    store: Store, filters: Filters | None = None, *, request: str | None = None
) -> list[dict[str, Any]]:
    """Activities, newest first (``request``: only the work on that request)."""
    filters = filters or Filters()
    query = Query()
    if request:
        query.add("a.request_id = ?", resolve_id(store, "request", request, "--request"))
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
    for tag in split_words(filters.tag):  # through the tag index, not a look into every activity
        query.add("a.id IN (SELECT activity_id FROM activity_tag WHERE tag = ?)", fold(tag))
    add_search_filter(store, query, "activity", "a", filters.search)
    if filters.highlight is not None:
        query.add("a.highlight = ?", int(filters.highlight))
    add_period_filter(query, "a.date", filters.period)
    if filters.follow_up is not None:
        query.add("a.follow_up IS NOT NULL")
        add_period_filter(query, "a.follow_up", filters.follow_up)
    order = "a.date DESC, a.id DESC"
    if filters.due:
        from verweefcli.domain.follow_ups import add_due_filter

        add_due_filter(query, filters.due, store.today)
        order = "a.follow_up, a.id"  # what is due first
    sql = f"{SELECT}{query.sql()} ORDER BY {order}{limit_sql(filters.limit)}"
    return activity_dicts(store, store.rows(sql, query.params))


@dataclass
class LinkChanges:
    """Links and tags an edit adds or removes (references as people type them)."""

    add_sites: list[str] | None = None
    remove_sites: list[str] | None = None
    add_contacts: list[str] | None = None
    remove_contacts: list[str] | None = None
    add_tags: list[str] | None = None
    remove_tags: list[str] | None = None


def _relinked(resolver: Resolver, table: str, current: tuple[int, ...], add: Any, remove: Any) -> tuple[int, ...]:
    field = "--site" if table == "site" else "--contact"
    gone = set(link_ids(resolver, table, remove, f"--remove-{field[2:]}"))
    return tuple(i for i in dict.fromkeys([*current, *link_ids(resolver, table, add, field)]) if i not in gone)


def edited(store: Store, before: Draft, changes: dict[str, Any], links: LinkChanges, resolver: Resolver) -> Draft:
    """``before`` with the changes applied and checked, as it would be written."""
    values = {name: rule(store, changes[name]) for name, rule in RULES.items() if name in changes}
    after = replace(before, **values)
    if links.add_tags or links.remove_tags:
        after.tags = dump_list(merge_words(load_list(after.tags), links.add_tags or [], links.remove_tags or []))
    after.site_ids = _relinked(resolver, "site", before.site_ids, links.add_sites, links.remove_sites)
    after.contact_ids = _relinked(resolver, "contact", before.contact_ids, links.add_contacts, links.remove_contacts)
    if "request" in changes:  # None: on no request
        after.request_id = request_value(store, changes["request"])
    region = changes.get("region")
    if region is not None and str(region).strip():
        after.region_id = choose_region(resolver, resolver.id("region", str(region), "--region"), after.site_ids)
    elif after.site_ids != before.site_ids:
        # keeps its region while that is still one of its sites'
        kept = before.region_id if before.region_id in {resolver.region_of("site", s) for s in after.site_ids} else None
        after.region_id = choose_region(resolver, kept, after.site_ids) if after.site_ids else before.region_id
    return check(after)


def edit_activity(
    store: Store, ref: str | int, changes: dict[str, Any], links: LinkChanges | None = None
) -> dict[str, Any]:
    """Change the given fields and links; the sites before and after are recomputed."""
    with store.write():
        activity_id = resolve(store, "activity", ref)["id"]
        before = load_draft(store, activity_id)
        after = edited(store, before, changes, links or LinkChanges(), Resolver(store))
        update(store, before, after)
    return get_activity(store, activity_id)


def update(store: Store, before: Draft, after: Draft) -> bool:
    """Write ``after`` over the stored ``before`` (same id); say whether anything changed."""
    assert before.id is not None and after.id == before.id
    if after == before:
        return False
    with store.write():
        current = dict(store.row("SELECT * FROM activity WHERE id = ?", (before.id,)) or {})
        update_changed(store, "activity", current, {**current, **after.columns()})
        if (after.site_ids, after.contact_ids) != (before.site_ids, before.contact_ids):
            _write_links(store, before.id, after)
        if after.tags != before.tags:
            write_tags(store, before.id, after.tags)
        touch(store, None, stages={*before.site_ids, *after.site_ids}, activity=[before.id])
    return True


def removal_plan(store: Store, ref: str | int) -> tuple[dict[str, Any], list[str]]:
    activity = get_activity(store, ref)
    effects = []
    if activity["sites"] or activity["contacts"]:
        effects.append(f"its links to {len(activity['sites'])} site(s) and {len(activity['contacts'])} contact(s) go")
    sites = load_draft(store, activity["id"]).site_ids
    effects += stage_effects(store, sites, lambda: _delete(store, activity["id"], sites))
    return activity, effects


def _delete(store: Store, activity_id: int, site_ids: Sequence[int]) -> None:
    bury_rows(store, "activity", "id = ?", (activity_id,))
    store.execute("DELETE FROM activity WHERE id = ?", (activity_id,))
    touch(store, None, stages=site_ids, activity=[activity_id])


def remove_activity(store: Store, ref: str | int) -> dict[str, Any]:
    with store.write():
        activity = get_activity(store, ref)
        _delete(store, activity["id"], load_draft(store, activity["id"]).site_ids)
    return activity


# -- an activity's region follows its sites -------------------------------------------

_MISPLACED = """
    SELECT a.id, a.region_id,
           (SELECT s.region_id FROM activity_site x JOIN site s ON s.id = x.site_id
            WHERE x.activity_id = a.id ORDER BY x.position LIMIT 1) AS expected
    FROM activity a
    WHERE EXISTS (SELECT 1 FROM activity_site x WHERE x.activity_id = a.id)
      AND NOT EXISTS (SELECT 1 FROM activity_site x JOIN site s ON s.id = x.site_id
                      WHERE x.activity_id = a.id AND s.region_id IS a.region_id)
"""
_ONLY = " AND a.id IN (SELECT value FROM json_each(?))"


def misplaced(store: Store, activity_ids: Sequence[int] | None = None) -> list[tuple[int, int | None, int | None]]:
    """Activities (these; None: all) whose region is none of their sites' regions:
    (id, stored region, the first site's region)."""
    if activity_ids is None:
        rows = store.rows(_MISPLACED + " ORDER BY a.id")
    else:
        rows = store.rows(_MISPLACED + _ONLY + " ORDER BY a.id", (json.dumps(list(activity_ids)),))
    return [(r[0], r[1], r[2]) for r in rows]


def follow_sites(store: Store, activity_ids: Sequence[int] | None) -> int:
    """These activities (None: all), if their region is no longer one of their sites', take their
    first site's region (a site moved to another region, or a link went). Returns how many moved."""
    moved = misplaced(store, activity_ids)
    if moved:
        stamp = now_stamp()
        with store.write():
            store.executemany(
                "UPDATE activity SET region_id = ?, updated_at = ? WHERE id = ?",
                [(expected, stamp, activity_id) for activity_id, _, expected in moved],
            )
    return len(moved)
