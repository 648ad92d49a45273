"""The full-text index: the text people search, derived from the records by one owner.

Each record table has an FTS5 table (``site_fts``, ``contact_fts``,
``activity_fts``) whose rowid is the record's id. What a row holds is defined
once, here, by :data:`SOURCES` (an SQL query over the records: an activity's row
also holds the names of its sites and contacts, in their order), plus ``also``:
the words that hold letters SQLite's tokenizer does not fold (``ø``, ``ł``,
``œ``, ``æ``, ``ß``...), spelt the way people type them without (``Søren`` ->
``soren``), so that those are found either way.

Every write path calls :func:`refresh` for the records it touched (an activity
when it changes, the activities of a site or contact whose name changed or that
went) in the same transaction; ``db check`` compares the index with
:func:`differences` and ``--repair`` rewrites what differs. Case, accents and
the style of apostrophes are the tokenizer's work (``unicode61
remove_diacritics 2``: ``’`` and ``'`` both separate words).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from verweefcli.storage import Store
from verweefcli.textnorm import fold

TABLES = ("site", "contact", "activity")


def _tags(column: str) -> str:
    return f"CASE {column} WHEN '[]' THEN NULL ELSE (SELECT group_concat(value, ', ') FROM json_each({column})) END"


def _names(link: str, other: str) -> str:
    return (
        f"(SELECT group_concat(name, '; ') FROM (SELECT o.name FROM activity_{link} l JOIN {other} o "
        f"ON o.id = l.{link}_id WHERE l.activity_id = a.id ORDER BY l.position))"
    )


#: Per table: the FTS columns (but ``also``) and the query that derives them, ``{where}`` to fill.
COLUMNS = {
    "site": ("name", "municipality", "address", "owner", "zoning", "rup", "kind", "notes", "tags"),
    "contact": ("name", "organisation", "role", "email", "notes"),
    "activity": ("title", "notes", "follow_up_note", "follow_up_done_notes", "tags", "sites", "contacts"),
}
SOURCES = {
    "site": f"SELECT s.id, s.name, s.municipality, s.address, s.owner, s.zoning, s.rup, s.kind, s.notes, "
    f"{_tags('s.tags')} AS tags FROM site s{{where}}",
    "contact": "SELECT c.id, c.name, c.organisation, c.role, c.email, c.notes FROM contact c{where}",
    "activity": f"SELECT a.id, a.title, a.notes, a.follow_up_note, a.follow_up_done_notes, {_tags('a.tags')} AS tags, "
    f"{_names('site', 'site')} AS sites, {_names('contact', 'contact')} AS contacts FROM activity a{{where}}",
}
_ALIAS = {"site": "s", "contact": "c", "activity": "a"}

# -- letters the tokenizer keeps -----------------------------------------------------

_SPELLING = str.maketrans(
    {"ø": "o", "ł": "l", "œ": "oe", "æ": "ae", "ß": "ss", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ħ": "h", "ŧ": "t"}
)
_WORD = re.compile(r"\w+")


def spelt(word: str) -> str:
    """A folded word as typed on a plain keyboard: ``søren`` -> ``soren`` (other words unchanged)."""
    return word.translate(_SPELLING)


def also(*texts: str | None) -> str | None:
    """The words of ``texts`` whose plain spelling differs, in that spelling (None: there are none)."""
    if all(text is None or text.isascii() for text in texts):
        return None
    found: dict[str, None] = {}
    for text in texts:
        if text is None or text.isascii():
            continue
        for word in _WORD.findall(fold(text)):
            if not word.isascii() and (plain := spelt(word)) != word:
                found[plain] = None
    return " ".join(found) or None


# -- keeping the index ---------------------------------------------------------------


def _insert(table: str, where: str) -> str:
    columns = COLUMNS[table]
    listed = ", ".join(columns)
    return (
        f"INSERT INTO {table}_fts (rowid, {listed}, also) "
        f"SELECT id, {listed}, verweef_also({listed}) FROM ({SOURCES[table].format(where=where)})"
    )


def refresh(store: Store, table: str, ids: Iterable[int] | None) -> None:
    """Rewrite the index rows of these records (None: all): records that are gone lose theirs."""
    if ids is None:
        with store.write():
            store.execute(f"DELETE FROM {table}_fts")
            store.execute(_insert(table, ""))
        return
    chosen = sorted(set(ids))
    if not chosen:
        return
    alias = _ALIAS[table]
    with store.write():
        for start in range(0, len(chosen), 5000):
            params = (json.dumps(chosen[start : start + 5000]),)
            store.execute(f"DELETE FROM {table}_fts WHERE rowid IN (SELECT value FROM json_each(?))", params)
            store.execute(_insert(table, f" WHERE {alias}.id IN (SELECT value FROM json_each(?))"), params)


def refresh_from(store: Store, table: str, first_id: int) -> None:
    """Index the records from ``first_id`` on (a bulk import's new rows), in one statement."""
    alias = _ALIAS[table]
    with store.write():
        store.execute(f"DELETE FROM {table}_fts WHERE rowid >= ?", (first_id,))
        store.execute(_insert(table, f" WHERE {alias}.id >= ?"), (first_id,))


def activities_naming(store: Store, table: str, ids: Iterable[int]) -> list[int]:
    """The activities whose index row holds the name of one of these sites (or contacts)."""
    return [
        r[0]
        for r in store.tuples(
            f"SELECT DISTINCT activity_id FROM activity_{table} WHERE {table}_id IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(set(ids))),),
        )
    ]


def differences(store: Store, table: str) -> list[int]:
    """Ids whose index row is not what their record gives (missing, different, or left behind)."""
    columns = ", ".join(COLUMNS[table])
    expected = f"SELECT id, {columns}, verweef_also({columns}) FROM ({SOURCES[table].format(where='')})"
    stored = f"SELECT rowid AS id, {columns}, also FROM {table}_fts"
    sql = f"SELECT id FROM ({expected} EXCEPT {stored}) UNION SELECT id FROM ({stored} EXCEPT {expected}) ORDER BY 1"
    return [r[0] for r in store.tuples(sql)]


def repair(store: Store) -> int:
    """Rewrite every index row that differs from its record; return how many."""
    fixed = 0
    for table in TABLES:
        wrong = differences(store, table)
        refresh(store, table, wrong)
        fixed += len(wrong)
    return fixed
