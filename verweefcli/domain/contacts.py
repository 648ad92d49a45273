"""Contacts: the people a coach works with, and the sites they are linked to.

Contacts are personal data: lists show what identifies a person's role, and
only ``contact show`` and explicit exports give e-mail and phone.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from verweefcli.domain.common import (
    FieldError,
    Filters,
    Query,
    Resolver,
    add_period_filter,
    add_search_filter,
    check_uuid,
    date_value,
    given_id,
    insert_row,
    limit_sql,
    name_value,
    new_uuid,
    resolve,
    resolve_id,
    text_value,
    update_changed,
    vocab_value,
)
from verweefcli.domain.derived import Touched, touch
from verweefcli.domain.links import parse_site_link, split_refs
from verweefcli.domain.tombstones import bury_rows
from verweefcli.errors import Conflict
from verweefcli.storage import Store, now_stamp
from verweefcli.textnorm import fold

FIELDS = ("id", "uuid", "name", "organisation", "role", "email", "phone", "region", "sites", "notes", "recorded_on")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")

SELECT = "SELECT c.*, r.name AS region_name FROM contact c LEFT JOIN region r ON r.id = c.region_id"


def _site_links(store: Store, contact_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    links: dict[int, list[dict[str, Any]]] = {cid: [] for cid in contact_ids}
    for start in range(0, len(contact_ids), 500):
        chunk = contact_ids[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        for r in store.rows(
            f"SELECT cs.contact_id, s.id, s.name, cs.role FROM contact_site cs "
            f"JOIN site s ON s.id = cs.site_id WHERE cs.contact_id IN ({marks}) "
            "ORDER BY s.name_key, s.id",
            chunk,
        ):
            links[r["contact_id"]].append({"id": r["id"], "name": r["name"], "role": r["role"]})
    return links


def contact_dicts(store: Store, rows: list[sqlite3.Row]) -> list[dict[str, Any]]:
    links = _site_links(store, [r["id"] for r in rows])
    return [
        {
            "id": r["id"],
            "uuid": r["uuid"],
            "name": r["name"],
            "organisation": r["organisation"],
            "role": r["role"],
            "email": r["email"],
            "phone": r["phone"],
            "region": r["region_name"],
            "sites": links[r["id"]],
            "notes": r["notes"],
            "recorded_on": r["recorded_on"],
        }
        for r in rows
    ]


def _email(value: Any) -> str | None:
    text = None if value is None else str(value).strip()
    if not text:
        return None
    if not _EMAIL.fullmatch(text):
        raise FieldError("email", f"not an e-mail address: {value!r}")
    return text


def prepare(
    store: Store, values: dict[str, Any], current: dict[str, Any] | None = None, resolver: Resolver | None = None
) -> dict[str, Any]:
    record: dict[str, Any] = {}
    if current is None or "name" in values:
        name = name_value(values, "name", "contact")
        record["name"], record["name_key"] = name, fold(name)
    if current is None or "organisation" in values:
        organisation = text_value(values, "organisation")
        record["organisation"] = organisation
        record["organisation_key"] = fold(organisation or "")
    if current is None or "role" in values:
        record["role"] = vocab_value(store, "contact_roles", "role", values.get("role"))
    if current is None or "email" in values:
        record["email"] = _email(values.get("email"))
    if current is None or "phone" in values:
        phone = text_value(values, "phone")
        record["phone"] = " ".join(phone.split()) if phone else None
    if current is None or "notes" in values:
        record["notes"] = text_value(values, "notes")
    if current is None or "region" in values:
        region = values.get("region")
        record["region_id"] = None
        if region is not None and str(region).strip():
            record["region_id"] = (resolver or Resolver(store)).id("region", region, "region")
    return record


def find_by_email(store: Store, email: str) -> sqlite3.Row | None:
    """The contact with this e-mail address (any case). The condition repeats the partial
    index's own (``email IS NOT NULL``): without it SQLite scans the table."""
    return store.row("SELECT id, name FROM contact WHERE lower(email) = lower(?) AND email IS NOT NULL", (email,))


def _check_free(store: Store, record: dict[str, Any], own_id: int | None = None) -> None:
    if record.get("email"):
        row = find_by_email(store, record["email"])
        if row is not None and row["id"] != own_id:
            raise Conflict(f"a contact with e-mail {record['email']} already exists (#{row['id']} {row['name']})")
    row = store.row(
        "SELECT id, name, organisation FROM contact WHERE name_key = ? AND organisation_key = ?",
        (record["name_key"], record["organisation_key"]),
    )
    if row is not None and row["id"] != own_id:
        org = f" of {row['organisation']}" if row["organisation"] else ""
        raise Conflict(f"a contact named {row['name']!r}{org} already exists (#{row['id']})")


def resolve_site_links(
    store: Store, refs: list[str] | str | None, field: str = "sites", resolver: Resolver | None = None
) -> list[tuple[int, str | None]]:
    """``["X (owner)", "Y"]`` -> ``[(site id, role), ...]``, each site once."""
    resolver = resolver or Resolver(store)
    links: dict[int, str | None] = {}
    for item in split_refs(refs):
        ref, role = parse_site_link(store, item)
        site_id = resolver.id("site", ref, field)
        links[site_id] = role or links.get(site_id)
    return list(links.items())


def link_sites(store: Store, contact_id: int, links: list[tuple[int, str | None]]) -> None:
    store.executemany(
        "INSERT INTO contact_site (contact_id, site_id, role) VALUES (?, ?, ?) "
        "ON CONFLICT (contact_id, site_id) DO UPDATE SET role = coalesce(excluded.role, role)",
        [(contact_id, site_id, role) for site_id, role in links],
    )


def add_contact(store: Store, values: dict[str, Any]) -> dict[str, Any]:
    with store.write():
        contact_id = insert_contact(store, values)
    return get_contact(store, contact_id)


def insert_contact(
    store: Store, values: dict[str, Any], resolver: Resolver | None = None, later: Touched | None = None
) -> int:
    """Validate and insert a contact with its site links, in the caller's transaction."""
    record = prepare(store, values, resolver=resolver)
    record["uuid"] = check_uuid(values.get("uuid")) or new_uuid()
    if (contact_id := given_id(values)) is not None:
        record["id"] = contact_id
    record["created_at"] = record["updated_at"] = now_stamp()
    record["recorded_on"] = date_value("recorded_on", values.get("recorded_on"), store.today) or store.today.isoformat()
    links = resolve_site_links(store, values.get("sites"), resolver=resolver)
    if record["region_id"] is None and links:
        record["region_id"] = store.value("SELECT region_id FROM site WHERE id = ?", (links[0][0],))
    _check_free(store, record)
    with store.write():
        contact_id = insert_row(store, "contact", record)
        link_sites(store, contact_id, links)
        touch(store, later, contact=[contact_id])
    return contact_id


def get_contact(store: Store, ref: str | int) -> dict[str, Any]:
    row = resolve(store, "contact", ref, extra="organisation")
    full = store.row(SELECT + " WHERE c.id = ?", (row["id"],))
    assert full is not None
    return contact_dicts(store, [full])[0]


def contact_details(store: Store, ref: str | int) -> dict[str, Any]:
    contact = get_contact(store, ref)
    contact["activities"] = [
        {"id": r["id"], "date": r["date"], "kind": r["kind"], "title": r["title"]}
        for r in store.rows(
            # the contact's links first (their copy of the date is in the index): a plan that does not
            # depend on the statistics, which could make SQLite walk every activity by date instead
            "SELECT a.id, a.date, a.kind, a.title FROM activity_contact x "
            "CROSS JOIN activity a ON a.id = x.activity_id WHERE x.contact_id = ? "
            "ORDER BY x.date DESC, a.id DESC",
            (contact["id"],),
        )
    ]
    return contact


def list_contacts(store: Store, filters: Filters | None = None) -> list[dict[str, Any]]:
    filters = filters or Filters()
    query = Query()
    if filters.region:
        query.add("c.region_id = ?", resolve_id(store, "region", filters.region, "--region"))
    role = filters.role or filters.kind
    if role:
        query.add("c.role = ?", vocab_value(store, "contact_roles", "--role", role))
    if filters.site:
        site_id = resolve_id(store, "site", filters.site, "--site", extra="municipality")
        query.add("c.id IN (SELECT contact_id FROM contact_site WHERE site_id = ?)", site_id)
    add_search_filter(store, query, "contact", "c", filters.search)
    # --since/--until/--quarter: the (local) day the contact was recorded
    add_period_filter(query, "c.recorded_on", filters.period)
    sql = f"{SELECT}{query.sql()} ORDER BY c.name_key, c.id{limit_sql(filters.limit)}"
    return contact_dicts(store, store.rows(sql, query.params))


def edit_contact(
    store: Store,
    ref: str | int,
    changes: dict[str, Any],
    *,
    add_sites: list[str] | None = None,
    remove_sites: list[str] | None = None,
    resolver: Resolver | None = None,
    later: Touched | None = None,
) -> dict[str, Any]:
    with store.write():
        row = resolve(store, "contact", ref, extra="organisation")
        current = dict(row)
        record = {**current, **prepare(store, changes, current, resolver)}
        _check_free(store, record, row["id"])
        update_changed(store, "contact", current, record)
        renamed = _activities_of(store, row["id"]) if record["name"] != current["name"] else []
        touch(store, later, contact=[row["id"]], activity=renamed)
        if add_sites:
            link_sites(store, row["id"], resolve_site_links(store, add_sites, "--site", resolver))
        for site_id, _ in resolve_site_links(store, remove_sites, "--remove-site"):
            store.execute("DELETE FROM contact_site WHERE contact_id = ? AND site_id = ?", (row["id"], site_id))
    return get_contact(store, row["id"])


def removal_plan(store: Store, ref: str | int) -> tuple[dict[str, Any], list[str]]:
    contact = get_contact(store, ref)
    cid = contact["id"]
    activities = store.value("SELECT count(*) FROM activity_contact WHERE contact_id = ?", (cid,))
    effects = []
    if activities:
        effects.append(
            f"{activities} {'activity no longer names' if activities == 1 else 'activities no longer name'}"
            " this contact"
        )
    if contact["sites"]:
        effects.append(f"{len(contact['sites'])} link(s) to sites go")
    return contact, effects


def remove_contact(store: Store, ref: str | int) -> dict[str, Any]:
    with store.write():
        contact, _ = removal_plan(store, ref)
        activity_ids = _activities_of(store, contact["id"])
        bury_rows(store, "contact", "id = ?", (contact["id"],))
        store.execute("DELETE FROM contact WHERE id = ?", (contact["id"],))
        touch(store, None, contact=[contact["id"]], activity=activity_ids)
    return contact


def _activities_of(store: Store, contact_id: int) -> list[int]:
    return [r[0] for r in store.rows("SELECT activity_id FROM activity_contact WHERE contact_id = ?", (contact_id,))]
