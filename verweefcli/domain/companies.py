"""Companies: the firms a coach follows, with their enterprise number, site and people.

A company is on at most one site (``site_id``, where it is now) and has
the contacts who work there (``company_contact``). Its region is its site's,
else the one given. Requests and nuisance cases name a company.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from verweefcli.domain.common import (
    FieldError,
    Resolver,
    check_uuid,
    dump_list,
    given_id,
    insert_row,
    load_list,
    name_value,
    new_uuid,
    number_value,
    resolve,
    split_words,
    text_value,
    update_changed,
    vocab_value,
)
from verweefcli.domain.links import split_refs
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
SELECT = (
    "SELECT c.*, s.name AS site_name, r.name AS region_name FROM company c "
    "LEFT JOIN site s ON s.id = c.site_id LEFT JOIN region r ON r.id = coalesce(s.region_id, c.region_id)"
)


def company_dict(store: Store, row: sqlite3.Row) -> dict[str, Any]:
    people = store.tuples(
        "SELECT p.name FROM company_contact l CROSS JOIN contact p ON p.id = l.contact_id "
        "WHERE l.company_id = ? ORDER BY p.name_key",
        (row["id"],),
    )
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
        "contacts": [p[0] for p in people],
        "tags": load_list(row["tags"]),
        "notes": row["notes"],
    }


def _nace(value: Any) -> list[str]:
    """NACE-BEL codes: 2 to 5 digits, written with or without the point (``25.11`` or ``2511``)."""
    codes = []
    for word in split_words(value):
        plain = word.replace(".", "")
        if not plain.isdigit() or not 2 <= len(plain) <= 5:
            raise FieldError("nace", f"{word!r} is not a NACE code (2 to 5 digits, e.g. 25.11)")
        codes.append(plain[:2] + ("." + plain[2:] if len(plain) > 2 else ""))
    return codes


def prepare(store: Store, values: dict[str, Any], current: dict[str, Any] | None = None) -> dict[str, Any]:
    """Validate user values into table columns (only the keys given on edit)."""
    record: dict[str, Any] = {}
    resolver = Resolver(store)
    if current is None or "name" in values:
        name = name_value(values, "name", "company")
        record["name"], record["name_key"] = name, fold(name)
    if current is None or "enterprise_number" in values:
        number = text_value(values, "enterprise_number")
        try:
            record["enterprise_number"] = parse_enterprise_number(number) if number else None
        except InvalidValue as exc:
            raise FieldError("enterprise_number", str(exc)) from None
    if current is None or "nace" in values:
        record["nace"] = dump_list(_nace(values.get("nace")))
    if current is None or "sector" in values:
        record["sector"] = vocab_value(store, "company_sectors", "sector", values.get("sector"))
    if current is None or "staff" in values:
        staff = number_value("staff", values.get("staff"), low=0, high=1_000_000)
        if staff is not None and staff != int(staff):
            raise FieldError("staff", f"not a whole number: {values.get('staff')!r}")
        record["staff"] = None if staff is None else int(staff)
    for key in ("address", "notes"):
        if current is None or key in values:
            record[key] = text_value(values, key)
    if current is None or "site" in values:
        site = values.get("site")
        record["site_id"] = resolver.id("site", site, "site") if site not in (None, "") else None
    if current is None or "region" in values:
        region = values.get("region")
        record["region_id"] = resolver.id("region", region, "region") if region not in (None, "") else None
    if current is None or "tags" in values:
        record["tags"] = dump_list(split_words(values.get("tags")))
    return record


def _check_free(store: Store, number: str | None, own_id: int | None = None) -> None:
    if number is None:
        return
    row = store.row("SELECT id, name FROM company WHERE enterprise_number = ?", (number,))
    if row is not None and row["id"] != own_id:
        raise Conflict(f"enterprise number {number} is already {row['name']!r} (#{row['id']})")


def _link_contacts(store: Store, company_id: int, refs: Any) -> None:
    resolver = Resolver(store)
    for ref in split_refs(refs) if isinstance(refs, str) else refs or []:
        contact_id = resolver.id("contact", ref, "contacts")
        store.execute(
            "INSERT OR IGNORE INTO company_contact (company_id, contact_id) VALUES (?, ?)", (company_id, contact_id)
        )


def add_company(store: Store, values: dict[str, Any]) -> dict[str, Any]:
    record = prepare(store, values)
    if record["site_id"] is None and record["region_id"] is None:
        raise FieldError("region", "a company needs a site or a region")
    record["uuid"] = check_uuid(values.get("uuid")) or new_uuid()
    if (company_id := given_id(values)) is not None:
        record["id"] = company_id
    record["created_at"] = record["updated_at"] = now_stamp()
    with store.write():
        _check_free(store, record["enterprise_number"])
        company_id = insert_row(store, "company", record)
        _link_contacts(store, company_id, values.get("contacts"))
    return get_company(store, company_id)


def get_company(store: Store, ref: str | int) -> dict[str, Any]:
    row = resolve(store, "company", ref, extra="enterprise_number")
    full = store.row(SELECT + " WHERE c.id = ?", (row["id"],))
    assert full is not None
    return company_dict(store, full)


def edit_company(store: Store, ref: str | int, values: dict[str, Any]) -> dict[str, Any]:
    found = resolve(store, "company", ref, extra="enterprise_number")
    current = dict(found)
    record = prepare(store, values, current)
    with store.write():
        if "enterprise_number" in record:
            _check_free(store, record["enterprise_number"], current["id"])
        update_changed(store, "company", current, record)
        if "contacts" in values:
            _link_contacts(store, current["id"], values["contacts"])
    return get_company(store, current["id"])
