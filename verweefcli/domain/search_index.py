"""The full-text index: the text people search, derived from the records by one owner.

Each record table has an FTS5 table (``site_fts``, ``contact_fts``,
``activity_fts``) whose rowid is the record's id. What a row holds is defined
once, here, by :data:`SOURCES`, an SQL query over the records:

- names (a site's, a contact's, an organisation, a municipality, and in an
  activity's row the names of its sites and contacts) as their keys:
  folded by :func:`verweefcli.textnorm.fold`, as the words people search are, so
  that ``lukasz`` finds ``Łukasz`` whatever SQLite's tokenizer makes of ``Ł``;
- free text (notes, titles, addresses, tags) as written: SQLite's tokenizer
  takes case and accents off (``unicode61 remove_diacritics 2``; ``’`` and ``'``
  both separate words), and ``also`` holds the text again with the letters it
  keeps (``ø``, ``ł``, ``œ``, ``æ``, ``ß``...) spelt plainly, for the rows that
  have any (:func:`also_sql`, the spelling of :data:`verweefcli.textnorm.SPELLING`).

Snippets are cut from the records' own text (:data:`DISPLAY`: the same query with
the names as written). Every write path calls :func:`refresh` for the records
it touched (an activity when it changes, the activities of a site or contact
whose name changed or that went) in the same transaction; ``db check``
compares the index with :func:`differences` and ``--repair`` rewrites what
differs. The query is SQL only: an import indexes a million rows in one statement.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from verweefcli.storage import Store
from verweefcli.textnorm import SPELLING, fold
from verweefcli.vocab import COMPANY_SECTORS, NUISANCE_TYPES, REQUEST_OUTCOMES, REQUEST_TYPES, Term

TABLES = ("site", "contact", "activity", "company", "request", "nuisance")


def _tags(column: str) -> str:
    return f"CASE {column} WHEN '[]' THEN NULL ELSE (SELECT group_concat(value, ', ') FROM json_each({column})) END"


def _names(link: str, other: str, column: str, ordered: bool) -> str:
    """SQL: the names (or keys) of an activity's sites or contacts; ``ordered`` as the activity lists
    them, else in the links' own order (no sort per activity: a million activities 0.8 s faster)."""
    if not ordered:
        return (
            f"(SELECT group_concat(o.{column}, '; ') FROM activity_{link} l JOIN {other} o ON o.id = l.{link}_id "
            "WHERE l.activity_id = a.id)"
        )
    return (
        f"(SELECT group_concat({column}, '; ') FROM (SELECT o.{column} FROM activity_{link} l JOIN {other} o "
        f"ON o.id = l.{link}_id WHERE l.activity_id = a.id ORDER BY l.position))"
    )


def _letters() -> dict[str, str]:
    """The letters the tokenizer keeps, both cases, and their plain spelling."""
    pairs = {**SPELLING, "ß": "ss", "ẞ": "ss"}
    for letter, plain in SPELLING.items():
        upper = letter.upper()
        if len(upper) == 1 and upper != letter and not upper.isascii():
            pairs[upper] = plain
    return pairs


def also_sql(columns: Sequence[str]) -> str:
    """SQL: the free text of these columns with the letters the tokenizer keeps spelt plainly,
    for a row that has any of them (else NULL)."""
    letters = _letters()
    # a column that is not plain ASCII (character and byte lengths differ), then one of the letters:
    # a million activities in 1 s, where one pattern over all the text took 4.4 s
    found = " OR ".join(
        f"(length({column}) != length(CAST({column} AS BLOB)) AND {column} GLOB '*[{''.join(letters)}]*')"
        for column in columns
    )
    spelt = " || ' ' || ".join(f"coalesce({column}, '')" for column in columns)
    for letter, plain in letters.items():
        spelt = f"replace({spelt}, '{letter}', '{plain}')"
    return f"CASE WHEN {found} THEN {spelt} END"


#: a nuisance case's measures, as text: what each is and who carries it out
_MEASURES = (
    "(SELECT group_concat(coalesce(m.notes, '') || ' ' || coalesce(m.owner, ''), '; ') "
    "FROM measure m WHERE m.nuisance_id = n.id)"
)


def _name(table: str, column: str, ref: str) -> str:
    return f"(SELECT o.{column} FROM {table} o WHERE o.id = {ref})"


# Per table: the indexed columns (but ``also``), the free-text ones among them, and how a record gives them.
COLUMNS = {
    "site": ("name", "municipality", "address", "owner", "zoning", "rup", "kind", "notes", "tags"),
    "contact": ("name", "organisation", "role", "email", "notes"),
    "activity": ("title", "notes", "follow_up_note", "follow_up_done_notes", "tags", "sites", "contacts"),
    "company": ("name", "enterprise_number", "sector", "nace", "address", "notes", "tags"),
    "request": ("company", "type", "site", "notes", "outcome"),
    "nuisance": ("site", "company", "types", "notes", "measures"),
}
_FREE = {
    "site": ("s.address", "s.owner", "s.zoning", "s.rup", "s.notes", "s.tags"),
    "contact": ("c.role", "c.notes"),
    "activity": ("a.title", "a.notes", "a.follow_up_note", "a.follow_up_done_notes", "a.tags"),
    "company": ("c.address", "c.notes", "c.tags"),
    "request": ("r.notes",),
    "nuisance": ("n.notes",),  # (its measures: not spelt again, SQLite parses so deep a statement no more)
}


def _source(table: str, keys: bool) -> str:
    """The query giving a record's indexed columns (``keys``: names as their keys, and ``also``)."""
    name, municipality, organisation = ("name_key", "municipality_key", "organisation_key") if keys else (
        "name", "municipality", "organisation"
    )  # fmt: skip
    if table == "site":
        columns = f"s.{name} AS name, s.{municipality} AS municipality, s.address, s.owner, s.zoning, s.rup, s.kind, "
        columns += f"s.notes, {_tags('s.tags')} AS tags"
    elif table == "contact":
        columns = f"c.{name} AS name, c.{organisation} AS organisation, c.role, c.email, c.notes"
    elif table == "activity":
        columns = (
            f"a.title, a.notes, a.follow_up_note, a.follow_up_done_notes, {_tags('a.tags')} AS tags, "
            f"{_names('site', 'site', name, not keys)} AS sites, "
            f"{_names('contact', 'contact', name, not keys)} AS contacts"
        )
    else:
        columns = _case_columns(table, name)
    alias = _ALIAS[table]
    extra = f", {also_sql(_FREE[table])} AS also" if keys else ""
    return f"SELECT {alias}.id, {columns}{extra} FROM {{rows}}"


def _labelled(value: str, vocabulary: dict[str, Term]) -> str:
    """SQL: a vocabulary key with its Dutch and English labels, so that ``geur`` finds ``smell``."""

    def quoted(text: str) -> str:
        return "'" + text.replace("'", "''") + "'"

    cases = " ".join(f"WHEN {quoted(key)} THEN {quoted(f'{key} {t.nl} {t.en}')}" for key, t in vocabulary.items())
    return f"CASE {value} {cases} ELSE {value} END"


def _case_columns(table: str, name: str) -> str:
    """A company's, a request's or a nuisance case's indexed columns; its names as ``name`` gives them."""
    if table == "company":
        return (
            f"c.{name} AS name, c.enterprise_number || ' ' || replace(c.enterprise_number, '.', '') "
            f"AS enterprise_number, {_labelled('c.sector', COMPANY_SECTORS)} AS sector, {_tags('c.nace')} AS nace, "
            f"c.address, c.notes, {_tags('c.tags')} AS tags"
        )
    if table == "request":
        return (
            f"{_name('company', name, 'r.company_id')} AS company, {_labelled('r.type', REQUEST_TYPES)} AS type, "
            f"{_name('site', name, 'r.site_id')} AS site, r.notes, "
            f"{_labelled('r.outcome', REQUEST_OUTCOMES)} AS outcome"
        )
    return (
        f"{_name('site', name, 'n.site_id')} AS site, {_name('company', name, 'n.company_id')} AS company, "
        f"(SELECT group_concat({_labelled('value', NUISANCE_TYPES)}, ', ') FROM json_each(n.types)) AS types, "
        f"n.notes, {_MEASURES} AS measures"
    )


def _rows(table: str, which: str) -> str:
    """The records a query reads: ``all``, the ``ids`` of the parameter ``:ids`` (found by id, whatever
    SQLite's statistics say), those ``from`` the id ``:first`` on, or those ``between`` ``:first`` and
    ``:last``."""
    alias = _ALIAS[table]
    if which == "ids":
        return f"json_each(:ids) AS wanted CROSS JOIN {table} {alias} ON {alias}.id = wanted.value"
    if which == "from":
        return f"{table} {alias} WHERE {alias}.id >= :first"
    if which == "between":
        return f"{table} {alias} WHERE {alias}.id BETWEEN :first AND :last"
    return f"{table} {alias}"


_ALIAS = {"site": "s", "contact": "c", "activity": "a", "company": "c", "request": "r", "nuisance": "n"}
#: what each record gives its index row (``{rows}``: which records, see :func:`_rows`): the rule's one owner
SOURCES = {table: _source(table, keys=True) for table in TABLES}
#: the same columns as people wrote them: what snippets are cut from
DISPLAY = {table: _source(table, keys=False) for table in TABLES}
_WORD = re.compile(r"\w+")


def plain_tokens(text: str) -> list[str]:
    """The words of a text as a search compares them: folded (``Søren's`` -> ``soren``, ``s``)."""
    return [token for token in _WORD.findall(fold(text)) if token != "_"]


def display_rows(store: Store, table: str, ids: Sequence[int]) -> dict[int, tuple[Any, ...]]:
    """The text of these records, column by column as :data:`COLUMNS` lists them, as written."""
    sql = DISPLAY[table].format(rows=_rows(table, "ids"))
    return {r[0]: tuple(r[1:]) for r in store.tuples(sql, {"ids": json.dumps(list(ids))})}


# -- keeping the index ---------------------------------------------------------------


def _insert(table: str, which: str) -> str:
    listed = ", ".join(COLUMNS[table])
    return f"INSERT INTO {table}_fts (rowid, {listed}, also) {SOURCES[table].format(rows=_rows(table, which))}"


def refresh(store: Store, table: str, ids: Iterable[int] | None) -> None:
    """Bring the index rows of these records (None: all) in line with them: a row that differs is
    written again, the row of a record that is gone goes, an unchanged row is left as it is."""
    if ids is None:
        with store.write():
            store.execute(f"DELETE FROM {table}_fts")
            store.execute(_insert(table, "all"))
        return
    chosen = sorted(set(ids))
    with store.write():
        for start in range(0, len(chosen), 5000):
            wrong = {"ids": json.dumps(differences(store, table, chosen[start : start + 5000]))}
            store.execute(f"DELETE FROM {table}_fts WHERE rowid IN (SELECT value FROM json_each(:ids))", wrong)
            store.execute(_insert(table, "ids"), wrong)


def refresh_from(store: Store, table: str, first_id: int) -> None:
    """Index the records from ``first_id`` on (a bulk import's new rows), in one statement."""
    with store.write():
        store.execute(f"DELETE FROM {table}_fts WHERE rowid >= :first", {"first": first_id})
        store.execute(_insert(table, "from"), {"first": first_id})


def differences(store: Store, table: str, ids: Sequence[int] | None = None) -> list[int]:
    """Ids (of these records; None: all but those a bulk import left for later, see :func:`waiting`)
    whose index row is not what their record gives: missing, different, or left behind by a record
    that is gone."""
    columns = ", ".join(COLUMNS[table])
    expected = SOURCES[table].format(rows=_rows(table, "all" if ids is None else "ids"))
    stored = f"SELECT rowid AS id, {columns}, also FROM {table}_fts"
    if ids is not None:
        stored += " WHERE rowid IN (SELECT value FROM json_each(:ids))"
    sql = f"SELECT id FROM ({expected} EXCEPT {stored}) UNION SELECT id FROM ({stored} EXCEPT {expected})"
    if ids is None and _backlog(store, table):
        sql = f"SELECT id FROM ({sql}) WHERE NOT EXISTS ({_WAITING} AND id BETWEEN b.first_id AND b.last_id)"
    return [r[0] for r in store.tuples(f"{sql} ORDER BY 1", {"ids": json.dumps(list(ids or [])), "table": table})]


def repair(store: Store) -> int:
    """Write what bulk imports left for later, and rewrite every index row that differs from its
    record; return how many rows were wrong (those left for later are not)."""
    catch_up(store)
    fixed = 0
    for table in TABLES:
        wrong = differences(store, table)
        refresh(store, table, wrong)
        fixed += len(wrong)
    return fixed


# -- what a bulk import leaves for later ------------------------------------------------
#
# Indexing a big import's new records costs as much as the rest of the import. A bulk import
# (:class:`verweefcli.domain.activity_bulk.BulkInsert`) records the ids it wrote instead, in its
# own transaction; every search calls :func:`ready` first, which writes them, with the same
# query (:data:`SOURCES`), so that no search misses a record.

_WAITING = "SELECT 1 FROM search_backlog b WHERE b.tbl = :table"


def defer(store: Store, table: str, first_id: int, last_id: int) -> None:
    """Leave the index rows of the records ``first_id``..``last_id`` for the next search."""
    if last_id >= first_id:
        store.execute(
            "INSERT OR REPLACE INTO search_backlog (tbl, first_id, last_id) VALUES (?, ?, ?)",
            (table, first_id, last_id),
        )


def _backlog(store: Store, table: str | None = None) -> list[tuple[str, int, int]]:
    """What waits (of one table, or all), found through the table's key: every search asks."""
    tables = ", ".join(f"'{t}'" for t in ((table,) if table else TABLES))
    return store.tuples(
        f"SELECT tbl, first_id, last_id FROM search_backlog WHERE tbl IN ({tables}) ORDER BY tbl, first_id"
    )


def waiting(store: Store) -> dict[str, int]:
    """Per table, how many records wait for their index rows (none: an empty dict)."""
    found: dict[str, int] = {}
    for table, first, last in _backlog(store):
        count = int(store.value(f"SELECT count(*) FROM {table} WHERE id BETWEEN ? AND ?", (first, last)))
        if count:
            found[table] = found.get(table, 0) + count
    return found


def catch_up(store: Store) -> int:
    """Write the index rows bulk imports left for later, in one transaction; return how many."""
    if not _backlog(store):
        return 0
    written = 0
    with store.write():
        for table, first, last in _backlog(store):  # read again under the lock: another search may have been first
            params = {"first": first, "last": last}
            store.execute(f"DELETE FROM {table}_fts WHERE rowid BETWEEN :first AND :last", params)
            written += store.execute(_insert(table, "between"), params).rowcount
            store.execute("DELETE FROM search_backlog WHERE tbl = ? AND first_id = ?", (table, first))
    return written


class IncompleteIndex(UserWarning):
    """A search on a file this process cannot write, whose bulk-imported records are not indexed yet."""


def described(counts: dict[str, int]) -> str:
    """What :func:`waiting` found, in words: ``200,000 activity record(s)``."""
    return ", ".join(f"{n:,} {table} record(s)" for table, n in counts.items())


def ready(store: Store, announce: Callable[[dict[str, int]], None] | None = None) -> None:
    """Make the index whole before a search reads it (``announce``: told what waits, before it is
    written). A file opened read-only cannot be written: the search goes on without the waiting
    records, and a warning says so."""
    if not _backlog(store):  # what every search finds: one lookup by key
        return
    counts = waiting(store) if store.readonly or announce is not None else {}
    if store.readonly:
        if counts:
            with warnings.catch_warnings():
                warnings.simplefilter("always", IncompleteIndex)  # every search says it, not the first only
                warnings.warn(
                    IncompleteIndex(
                        f"{described(counts)} imported in bulk are not in the search index yet and were not "
                        "searched: the file is read-only (`verweef db check --repair` on a writable copy indexes them)"
                    ),
                    stacklevel=2,
                )
        return
    if counts and announce is not None:
        announce(counts)
    catch_up(store)
