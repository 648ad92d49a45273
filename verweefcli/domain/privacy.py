"""Contacts are people: forgetting one, telling one what is held about them, reviewing who is still met.

- :func:`forget`: the person goes (their record, links and fields), a tombstone
  keeps a merge from bringing them back, and the notes of other records that
  mention their name are listed; with ``redact`` the name there becomes
  ``[verwijderd]``.
- :func:`subject_access`: everything held about one person, for a request under
  the GDPR's right of access.
- :func:`inactive`: the people not met since a day (a retention review).

A name is found in a text as people write it: its words in order, case and
accents ignored (``Peeters An`` is not ``An Peeters``). Candidates come from the
search index, so a million activities are not read one by one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from verweefcli.domain.derived import touch
from verweefcli.storage import Store
from verweefcli.textnorm import fold

REDACTED = "[verwijderd]"
#: per kind of record, its free-text fields where a person's name may be written
TEXT_FIELDS = {
    "site": ("notes",),
    "contact": ("notes",),
    "activity": ("title", "notes", "follow_up_note", "follow_up_done_notes"),
    "company": ("notes",),
    "request": ("notes",),
    "nuisance": ("notes",),
}
_WORD = re.compile(r"\w+")


@dataclass
class Mention:
    """A field of a record whose text holds the name: where, and the character ranges."""

    table: str
    id: int
    field: str
    spans: list[tuple[int, int]]
    text: str

    def as_dict(self) -> dict[str, Any]:
        return {"type": self.table, "id": self.id, "field": self.field, "text": self.text}


def spans_of(name: str, text: str) -> list[tuple[int, int]]:
    """Where the name's words stand in the text, one after the other (case and accents ignored)."""
    wanted = [fold(w) for w in _WORD.findall(name)]
    words = [(m.start(), m.end(), fold(m.group())) for m in _WORD.finditer(text)]
    found = []
    for i in range(len(words) - len(wanted) + 1):
        if wanted and all(words[i + k][2] == wanted[k] for k in range(len(wanted))):
            found.append((words[i][0], words[i + len(wanted) - 1][1]))
    return found


def mentions(store: Store, name: str, *, leave: tuple[str, int] | None = None) -> list[Mention]:
    """The fields of every record (but ``leave``) whose text names the person."""
    from verweefcli.domain.search import match_expression, matching
    from verweefcli.domain.search_index import ready

    ready(store)
    expression = match_expression(name)
    found = []
    for table, fields in TEXT_FIELDS.items():
        sql = f"SELECT id, {', '.join(fields)} FROM {table} WHERE id IN ({matching(table)}) ORDER BY id"
        for row in store.tuples(sql, (expression,)):
            if leave == (table, row[0]):
                continue
            for field, text in zip(fields, row[1:], strict=True):
                if text and (spans := spans_of(name, text)):
                    found.append(Mention(table, row[0], field, spans, text))
    return found


def redacted(text: str, spans: list[tuple[int, int]]) -> str:
    for start, end in reversed(spans):
        text = text[:start] + REDACTED + text[end:]
    return text


def forget(store: Store, ref: str | int, *, redact: bool = False) -> tuple[dict[str, Any], list[Mention]]:
    """Remove the person (a tombstone stays) and, with ``redact``, their name from other records' notes."""
    from verweefcli.domain.contacts import get_contact, remove_contact

    with store.write():
        contact = get_contact(store, ref)
        found = mentions(store, contact["name"], leave=("contact", contact["id"]))
        remove_contact(store, contact["id"])
        if redact:
            for mention in found:
                store.execute(
                    f"UPDATE {mention.table} SET {mention.field} = ? WHERE id = ?",
                    (redacted(mention.text, mention.spans), mention.id),
                )
            touch(store, None, **_by_table(found))
    return contact, found


def _by_table(found: list[Mention]) -> dict[str, list[int]]:
    tables: dict[str, list[int]] = {}
    for mention in found:
        tables.setdefault(mention.table, []).append(mention.id)
    return tables


def subject_access(store: Store, ref: str | int) -> dict[str, Any]:
    """Everything held about one person: their record, links, the activities with them, the cases they
    reported, and the notes that name them."""
    from verweefcli.domain.contacts import get_contact

    contact = get_contact(store, ref)
    cid = contact["id"]
    return {
        "contact": contact,
        "companies": [r[0] for r in store.tuples(
            "SELECT c.name FROM company_contact l CROSS JOIN company c ON c.id = l.company_id WHERE l.contact_id = ?",
            (cid,),
        )],
        "activities": [
            {"id": r[0], "date": r[1], "kind": r[2], "title": r[3], "notes": r[4]}
            for r in store.tuples(
                "SELECT a.id, a.date, a.kind, a.title, a.notes FROM activity_contact x "
                "CROSS JOIN activity a ON a.id = x.activity_id WHERE x.contact_id = ? ORDER BY a.date, a.id",
                (cid,),
            )
        ],
        "nuisance_reported": [
            {"id": r[0], "reported_on": r[1], "notes": r[2]}
            for r in store.tuples(
                "SELECT id, reported_on, notes FROM nuisance WHERE reported_by = ? ORDER BY id", (cid,)
            )
        ],
        "mentions": [m.as_dict() for m in mentions(store, contact["name"], leave=("contact", cid))],
    }  # fmt: skip


_AGO = re.compile(r"(\d+)\s*(d|w|m|y)", re.IGNORECASE)


def day_ago(text: str, today: dt.date) -> dt.date:
    """``2y``, ``18m``, ``6w``, ``90d`` back from today, or a date (``2024-01-31``, ``31/01/2024``)."""
    from verweefcli.dates import parse_date
    from verweefcli.relative import add_months

    found = _AGO.fullmatch(text.strip())
    if found is None:
        return parse_date(text, today)
    number, unit = int(found[1]), found[2].lower()
    if unit in ("m", "y"):
        return add_months(today, -number * (12 if unit == "y" else 1))
    return today - dt.timedelta(days=number * (7 if unit == "w" else 1))


def inactive(store: Store, since: dt.date) -> list[dict[str, Any]]:
    """The people not met since ``since``: their last activity before it, or none and recorded before it."""
    from verweefcli.domain.contacts import SELECT, contact_dicts

    rows = store.rows(
        f"{SELECT} WHERE coalesce((SELECT max(x.date) FROM activity_contact x WHERE x.contact_id = c.id), "
        "c.recorded_on) < ? ORDER BY c.name_key, c.id",
        (since.isoformat(),),
    )
    return contact_dicts(store, rows)
