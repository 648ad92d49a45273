"""Companies: the firms a coach follows, with their enterprise number, site and people.

A company is on at most one site (``site_id``: where it is now) and has the
contacts who work there (``company_contact``). Its region is its site's, else
the one given (:data:`REGION`, the one rule, read where it is needed: nothing
derived is stored). Requests and nuisance cases name a company.

A contact's ``organisation`` stays text. Where it names exactly one company
(its key equals the company's), :func:`link_by_organisation` links the
contact to it: adding or renaming a company does so for it, and ``company
link-contacts`` for all of them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from verweefcli.domain.common import (
    FieldError,
    Filters,
    Query,
    Resolver,
    add_search_filter,
    add_tag_filter,
    check_uuid,
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
    split_terms,
    split_words,
    text_value,
    update_changed,
    vocab_value,
)
from verweefcli.domain.derived import touch
from verweefcli.domain.tombstones import bury_rows
from verweefcli.errors import Conflict, InvalidValue
from verweefcli.kbo import parse_enterprise_number
from verweefcli.storage import Store, now_stamp
from verweefcli.textnorm import fold

FIELDS = (
    "id",
    "uuid",
    "name",
    "enterprise_number",
    "nace",
    "sector",
    "staff",
    "site",
    "address",
    "region",
    "contacts",
    "tags",
    "notes",
)
#: SQL: a company's region (``c``: the company): its site's, else the one given
REGION = "coalesce((SELECT s.region_id FROM site s WHERE s.id = c.site_id), c.region_id)"
SELECT = (
    "SELECT c.*, s.name AS site_name, r.name AS region_name FROM company c "
    f"LEFT JOIN site s ON s.id = c.site_id LEFT JOIN region r ON r.id = {REGION}"
)


def company_dicts(store: Store, rows: Sequence[sqlite3.Row]) -> list[dict[str, Any]]:
    people = _people(store, [r["id"] for r in rows])
    return [_company_dict(r, people.get(r["id"], [])) for r in rows]


def _people(store: Store, ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    if ids:
        marks = ", ".join("?" for _ in ids)
        for company_id, name in store.tuples(
            f"SELECT l.company_id, p.name FROM company_contact l CROSS JOIN contact p ON p.id = l.contact_id "
            f"WHERE l.company_id IN ({marks}) ORDER BY p.name_key, p.id",
            ids,
        ):
            found.setdefault(company_id, []).append(name)
    return found


def _company_dict(row: sqlite3.Row, people: list[str]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "uuid": row["uuid"],
        "name": row["name"],
        "enterprise_number": row["enterprise_number"],
        "nace": load_list(row["nace"]),
        "sector": row["sector"],
        "staff": row["staff"],
        "site": row["site_name"],
        "address": row["address"],
        "region": row["region_name"],
        "contacts": people,
        "tags": load_list(row["tags"]),
        "notes": row["notes"],
    }


# -- values ------------------------------------------------------------------------


def nace_codes(value: Any) -> list[str]:
    """NACE-BEL codes: 2 to 5 digits, with or without the point (``25.11``, ``2511``); as ``25.11``."""
    codes = []
    for word in split_terms(value):
        plain = word.replace(".", "")
        if not plain.isdigit() or not 2 <= len(plain) <= 5:
            raise FieldError("nace", f"{word!r} is not a NACE code (2 to 5 digits, e.g. 25.11)")
        codes.append(plain[:2] + ("." + plain[2:] if len(plain) > 2 else ""))
    return list(dict.fromkeys(codes))


def enterprise_number(value: Any) -> str | None:
    text = None if value is None else str(value).strip()
    if not text:
        return None
    try:
        return parse_enterprise_number(text)
    except InvalidValue as exc:
        raise FieldError("enterprise_number", str(exc)) from None


def staff_value(value: Any) -> int | None:
    staff = number_value("staff", value, low=0, high=1_000_000)
    if staff is not None and staff != int(staff):
        raise FieldError("staff", f"not a whole number of people: {value!r}")
    return None if staff is None else int(staff)


def prepare(
    store: Store, values: dict[str, Any], current: dict[str, Any] | None = None, resolver: Resolver | None = None
) -> dict[str, Any]:
    """Validate user values into table columns (only the keys given on edit)."""
    record: dict[str, Any] = {}
    if current is None or "name" in values:
        name = name_value(values, "name", "company")
        record["name"], record["name_key"] = name, fold(name)
    converters: dict[str, Callable[[Any], Any]] = {
        "enterprise_number": enterprise_number,
        "nace": lambda value: dump_list(nace_codes(value)),
        "sector": lambda value: vocab_value(store, "company_sectors", "sector", value),
        "staff": staff_value,
        "tags": lambda value: dump_list(split_words(value)),
        "address": lambda value: text_value({"address": value}, "address"),
        "notes": lambda value: text_value({"notes": value}, "notes"),
    }
    for key, convert in converters.items():
        if current is None or key in values:
            record[key] = convert(values.get(key))
    resolver = resolver or Resolver(store)
    for key, table in (("site_id", "site"), ("region_id", "region")):
        if current is None or table in values:
            record[key] = resolver.optional_id(table, values.get(table), table)
    return record


def _check_record(store: Store, record: dict[str, Any], own_id: int | None = None) -> None:
    if record.get("site_id") is None and record.get("region_id") is None:
        raise FieldError("region", "a company needs a site or a region")
    number = record.get("enterprise_number")
    if number is None:
        return
    row = store.row("SELECT id, name FROM company WHERE enterprise_number = ?", (number,))
    if row is not None and row["id"] != own_id:
        raise Conflict(f"enterprise number {number} is already {row['name']!r} (#{row['id']})")


# -- writing -------------------------------------------------------------------------


def add_company(store: Store, values: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Add a company; also the contacts whose organisation names it (their names are returned)."""
    with store.write():
        company_id = insert_company(store, values)
        linked = link_by_organisation(store, [company_id])
    return get_company(store, company_id), linked


def insert_company(store: Store, values: dict[str, Any], *, resolver: Resolver | None = None) -> int:
    """Validate and insert a company with its contacts, in the caller's transaction."""
    resolver = resolver or Resolver(store)
    record = prepare(store, values, resolver=resolver)
    record["uuid"] = check_uuid(values.get("uuid")) or new_uuid()
    if (company_id := given_id(values)) is not None:
        record["id"] = company_id
    record["created_at"] = record["updated_at"] = now_stamp()
    with store.write():
        _check_record(store, record)
        company_id = insert_row(store, "company", record)
        set_contacts(store, company_id, add=contact_refs(values.get("contacts")), resolver=resolver)
        touch(store, None, company=[company_id])
    return company_id


def contact_refs(value: Any) -> list[str]:
    """Contacts named in one text (``An Peeters; Jo Smet``) or a list."""
    from verweefcli.domain.links import split_refs

    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else split_refs(str(value))


def set_contacts(
    store: Store,
    company_id: int,
    *,
    add: Iterable[Any] = (),
    remove: Iterable[Any] = (),
    resolver: Resolver | None = None,
) -> None:
    resolver = resolver or Resolver(store)
    for ref in add:
        contact_id = resolver.id("contact", ref, "contacts")
        store.execute(
            "INSERT OR IGNORE INTO company_contact (company_id, contact_id) VALUES (?, ?)", (company_id, contact_id)
        )
    for ref in remove:
        contact_id = resolver.id("contact", ref, "contacts")
        store.execute("DELETE FROM company_contact WHERE company_id = ? AND contact_id = ?", (company_id, contact_id))


def edit_company(
    store: Store,
    ref: str | int,
    changes: dict[str, Any],
    *,
    add_tags: Sequence[str] = (),
    remove_tags: Sequence[str] = (),
    add_contacts: Sequence[str] = (),
    remove_contacts: Sequence[str] = (),
) -> tuple[dict[str, Any], list[str]]:
    """Change fields and links; a new name links the contacts whose organisation names it."""
    with store.write():
        row = resolve(store, "company", ref, extra="enterprise_number")
        current = dict(row)
        record = {**current, **prepare(store, changes, current)}
        if add_tags or remove_tags:
            record["tags"] = dump_list(merge_words(load_list(record["tags"]), add_tags, remove_tags))
        _check_record(store, record, row["id"])
        update_changed(store, "company", current, record)
        set_contacts(store, row["id"], add=add_contacts, remove=remove_contacts)
        renamed = record["name"] != current["name"]  # its requests' and cases' rows name it
        touch(store, None, company=[row["id"]], **(_naming(store, row["id"]) if renamed else {}))
        linked = link_by_organisation(store, [row["id"]]) if record["name_key"] != current["name_key"] else []
    return get_company(store, row["id"]), linked


_BY_ORGANISATION = """
    SELECT c.id AS company_id, p.id AS contact_id, p.name FROM company c
    CROSS JOIN contact p INDEXED BY contact_organisation ON p.organisation_key = c.name_key
    WHERE c.id IN ({ids})
      AND (SELECT count(*) FROM company o WHERE o.name_key = c.name_key) = 1
      AND NOT EXISTS (SELECT 1 FROM company_contact l WHERE l.company_id = c.id AND l.contact_id = p.id)
    ORDER BY p.name_key, p.id
"""


def proposed_links(store: Store, company_ids: Sequence[int] | None = None) -> list[tuple[int, int, str]]:
    """(company, contact, contact's name) for each contact whose organisation names exactly one company
    (by key: case and accents do not count) and that is not linked to it yet."""
    ids = "SELECT id FROM company" if company_ids is None else ", ".join(str(int(i)) for i in company_ids) or "NULL"
    return [(r[0], r[1], r[2]) for r in store.tuples(_BY_ORGANISATION.format(ids=ids))]


def link_by_organisation(store: Store, company_ids: Sequence[int] | None = None) -> list[str]:
    """Link the contacts :func:`proposed_links` finds; return their names."""
    proposals = proposed_links(store, company_ids)
    with store.write():
        store.executemany(
            "INSERT OR IGNORE INTO company_contact (company_id, contact_id) VALUES (?, ?)",
            [(company, contact) for company, contact, _ in proposals],
        )
    return [name for _, _, name in proposals]


def removal_plan(store: Store, ref: str | int) -> tuple[dict[str, Any], list[str]]:
    company = get_company(store, ref)
    cid = company["id"]
    requests = store.value("SELECT count(*) FROM request WHERE company_id = ?", (cid,))
    cases = store.value("SELECT count(*) FROM nuisance WHERE company_id = ?", (cid,))
    effects = []
    if requests:
        effects.append(f"its {requests} request(s) go, with their history (their activities stay)")
    if cases:
        effects.append(f"{cases} nuisance case(s) no longer name a company")
    if company["contacts"]:
        effects.append(f"{len(company['contacts'])} contact link(s) go (the contacts stay)")
    return company, effects


def remove_company(store: Store, ref: str | int) -> dict[str, Any]:
    with store.write():
        company, _ = removal_plan(store, ref)
        naming = _naming(store, company["id"])
        from verweefcli.domain.requests import remove_request  # its moves and activities' links too

        for request_id in naming["request"]:
            remove_request(store, request_id)
        store.execute("UPDATE nuisance SET company_id = NULL WHERE company_id = ?", (company["id"],))
        bury_rows(store, "company", "id = ?", (company["id"],))
        store.execute("DELETE FROM company WHERE id = ?", (company["id"],))
        touch(store, None, company=[company["id"]], **naming)
    return company


def _naming(store: Store, company_id: int) -> dict[str, list[int]]:
    """The requests and nuisance cases whose search rows hold this company's name."""
    return {
        table: [r[0] for r in store.tuples(f"SELECT id FROM {table} WHERE company_id = ?", (company_id,))]
        for table in ("request", "nuisance")
    }


# -- reading -------------------------------------------------------------------------


def get_company(store: Store, ref: str | int) -> dict[str, Any]:
    row = resolve(store, "company", ref, extra="enterprise_number")
    full = store.row(SELECT + " WHERE c.id = ?", (row["id"],))
    assert full is not None
    return company_dicts(store, [full])[0]


def list_companies(store: Store, filters: Filters | None = None) -> list[dict[str, Any]]:
    filters = filters or Filters()
    query = Query()
    if filters.region:
        query.add(f"{REGION} = ?", resolve_id(store, "region", filters.region, "--region"))
    if filters.kind:
        query.add("c.sector = ?", vocab_value(store, "company_sectors", "--sector", filters.kind))
    if filters.site:
        query.add("c.site_id = ?", resolve_id(store, "site", filters.site, "--site", extra="municipality"))
    add_search_filter(store, query, "company", "c", filters.search)
    add_tag_filter(query, "c", filters.tag)
    sql = f"{SELECT}{query.sql()} ORDER BY c.name_key, c.id{limit_sql(filters.limit)}"
    return company_dicts(store, store.rows(sql, query.params))


def company_details(store: Store, ref: str | int) -> dict[str, Any]:
    """The company with its people and one timeline: its requests, nuisance cases and activities."""
    company = get_company(store, ref)
    cid = company["id"]
    company["people"] = [
        {"id": r["id"], "name": r["name"], "role": r["role"]}
        for r in store.rows(
            "SELECT p.id, p.name, p.role FROM company_contact l CROSS JOIN contact p ON p.id = l.contact_id "
            "WHERE l.company_id = ? ORDER BY p.name_key",
            (cid,),
        )
    ]
    company["timeline"] = timeline(store, cid)
    return company


_TIMELINE = """
    SELECT received_on AS date, 'request' AS what, id, type AS kind,
           stage || coalesce(' (' || outcome || ')', '') AS summary FROM request WHERE company_id = :id
    UNION ALL
    SELECT reported_on, 'nuisance', id, types,
           CASE WHEN closed_on IS NULL THEN 'open' ELSE 'closed: ' || result END FROM nuisance WHERE company_id = :id
    UNION ALL
    SELECT a.date, 'activity', a.id, a.kind, coalesce(a.title, substr(a.notes, 1, 80)) FROM activity a
    WHERE a.id IN (SELECT x.activity_id FROM company c CROSS JOIN activity_site x ON x.site_id = c.site_id
                   WHERE c.id = :id)
       OR a.request_id IN (SELECT r.id FROM request r WHERE r.company_id = :id)
    ORDER BY 1 DESC, 2, 3 DESC
"""


def timeline(store: Store, company_id: int) -> list[dict[str, Any]]:
    """Newest first: requests, nuisance cases, and the activities at its site or on its requests."""
    rows = store.rows(_TIMELINE, {"id": company_id})
    out = []
    for r in rows:
        kind = r["kind"]
        if r["what"] == "nuisance":
            kind = ", ".join(load_list(kind))
        out.append({"date": r["date"], "what": r["what"], "id": r["id"], "kind": kind, "summary": r["summary"]})
    return out
