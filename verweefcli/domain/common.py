"""Pieces every record type shares: references, field values, filters."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from verweefcli.dates import Period, parse_optional_date
from verweefcli.errors import Ambiguous, InvalidValue, NotFound
from verweefcli.numbers import parse_number, shown
from verweefcli.storage import Store
from verweefcli.textnorm import clean, fold

_UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_ID_RE = re.compile(r"#?(\d{1,18})")


class FieldError(InvalidValue):
    """A bad value for one named field; the CLI and the importer say where."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def uuid7_text(ms: int, random: int) -> str:
    """A version 7 uuid (RFC 9562) from a Unix time in ms and 74 random bits."""
    value = (ms & 0xFFFFFFFFFFFF) << 80 | 0x7 << 76 | (random >> 62 & 0xFFF) << 64 | 0b10 << 62
    value |= random & 0x3FFFFFFFFFFFFFFF
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def new_uuid() -> str:
    """A new record's uuid: version 7, time-ordered, so it lands at the end of the uuid index."""
    return uuid7_text(time.time_ns() // 1_000_000, int.from_bytes(os.urandom(10), "big"))


def insert_row(store: Store, table: str, record: dict[str, Any]) -> int:
    """Insert one row (the caller holds the transaction) and return its id."""
    columns = ", ".join(record)
    marks = ", ".join("?" for _ in record)
    cursor = store.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(record.values()))
    return int(cursor.lastrowid or 0)


def update_changed(store: Store, table: str, current: dict[str, Any], record: dict[str, Any]) -> bool:
    """Write the columns of ``record`` that differ from ``current``; say whether any did."""
    from verweefcli.storage import now_stamp

    changed = {k: v for k, v in record.items() if k != "updated_at" and current.get(k) != v}
    if not changed:
        return False
    changed["updated_at"] = now_stamp()
    sets = ", ".join(f"{k} = ?" for k in changed)
    store.execute(f"UPDATE {table} SET {sets} WHERE id = ?", [*changed.values(), current["id"]])
    return True


def given_id(values: dict[str, Any]) -> int | None:
    """An explicit ``id`` to keep (imports of exported files), if one was given."""
    return int_value("id", values.get("id"), low=1)


def check_uuid(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    text = value.strip().lower()
    if not _UUID_RE.fullmatch(text):
        raise FieldError("uuid", f"not a uuid: {value!r}")
    return text


# -- field values ------------------------------------------------------------


def text_value(values: dict[str, Any], name: str) -> str | None:
    value = values.get(name)
    if value is None:
        return None
    return clean(str(value))


MAX_NAME = 200
_NAME_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def name_value(values: dict[str, Any], field: str, noun: str) -> str:
    """A record's name: required, at most 200 characters, no control characters,
    and not something that reads as a reference (``12``, ``#3``, a uuid), since
    it could never be referred to by name."""
    name = text_value(values, field)
    if name is None:
        raise FieldError(field, f"a {noun} needs a name")
    if len(name) > MAX_NAME:
        raise FieldError(field, f"a name has at most {MAX_NAME} characters (this one has {len(name)})")
    if m := _NAME_CONTROL.search(name):
        raise FieldError(field, f"a name cannot hold control characters ({m[0]!r})")
    if re.fullmatch(r"#?\d+", name) or _UUID_RE.fullmatch(name.lower()):
        raise FieldError(field, f"{name!r} reads as an id or a uuid, not a name; choose another name")
    return name


def date_value(name: str, value: Any, today: dt.date) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        day = parse_optional_date(str(value), today)
    except InvalidValue as exc:
        raise FieldError(name, str(exc)) from None
    return day.isoformat() if day else None


def required_date(name: str, value: Any, today: dt.date) -> str:
    day = date_value(name, value, today)
    if day is None:
        raise FieldError(name, "a date is required")
    return day


def number_value(
    name: str, value: Any, *, low: float | None = None, high: float | None = None, grouping: bool = True
) -> float | None:
    """A number typed by a person (``1200``, ``1.200,5``, ``1,200.5``) or already read from a file.

    ``grouping=False`` (coordinates) allows no thousands separator.
    """
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    else:
        if not str(value).strip():
            return None
        try:
            number = parse_number(str(value), grouping=grouping)
        except InvalidValue as exc:
            raise FieldError(name, str(exc)) from None
    if number != number or number in (float("inf"), float("-inf")):
        raise FieldError(name, f"not a number: {shown(value)}")
    if low is not None and number < low:
        raise FieldError(name, f"{shown(value)} is below {low:g}")
    if high is not None and number > high:
        raise FieldError(name, f"{shown(value)} is above {high:g}")
    return number


def int_value(name: str, value: Any, *, low: int = 0, high: int | None = None) -> int | None:
    number = number_value(name, value)
    if number is None:
        return None
    if number != int(number):
        raise FieldError(name, f"not a whole number: {shown(value)}")
    if number < low:
        raise FieldError(name, f"{shown(value)} is below {low}")
    if high is not None and number > high:
        raise FieldError(name, f"{shown(value)} is above {high}")
    return int(number)


_TRUE = {"1", "true", "yes", "y", "ja", "j", "x", "waar", "*"}
_FALSE = {"0", "false", "no", "n", "nee", "", "onwaar"}


def bool_value(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise FieldError(name, f"not yes or no: {value!r}")


def vocab_value(store: Store, vocabulary: str, name: str, value: Any) -> str | None:
    text = clean(None if value is None else str(value))
    if text is None:
        return None
    try:
        return store.vocab.resolve(vocabulary, text)
    except InvalidValue as exc:
        raise FieldError(name, str(exc)) from None


def split_terms(value: Any) -> list[str]:
    """Terms given repeated, or in one text separated by commas or semicolons (a CSV cell: ``25.11; 25.62``)."""
    texts = [value] if isinstance(value, str) else list(value or [])
    return split_words([str(text).replace(";", ",") for text in texts])


def split_words(values: Iterable[str] | str | None) -> list[str]:
    """Tags and municipalities: split on commas, strip, drop empties and repeats."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    out: list[str] = []
    seen: set[str] = set()
    for value in values:
        for part in str(value).split(","):
            word = " ".join(part.split())
            if word and fold(word) not in seen:
                seen.add(fold(word))
                out.append(word)
    return out


def load_list(text: str | None) -> list[str]:
    if not text:
        return []
    value = json.loads(text)
    return [str(v) for v in value] if isinstance(value, list) else []


def dump_list(values: Sequence[str]) -> str:
    return json.dumps(list(values), ensure_ascii=False) if values else "[]"


def merge_words(current: list[str], add: Iterable[str] = (), remove: Iterable[str] = ()) -> list[str]:
    """Add, then remove (so removing wins when a word is in both)."""
    gone = {fold(w) for w in split_words(list(remove))}
    return [w for w in split_words([*current, *add]) if fold(w) not in gone]


# -- references ---------------------------------------------------------------

_TABLE_NOUN = {
    "region": "region",
    "site": "site",
    "contact": "contact",
    "activity": "activity",
    "company": "company",
    "request": "request",
    "nuisance": "nuisance case",
    "measure": "measure",
}
#: records referred to by id or uuid only (they have no name)
BY_ID_ONLY = frozenset({"activity", "request", "nuisance", "measure"})


def describe_candidates(rows: Sequence[sqlite3.Row], extra: str | None = None) -> str:
    parts = []
    for row in rows[:8]:
        detail = f" ({row[extra]})" if extra and row[extra] else ""
        parts.append(f"#{row['id']} {row['name']}{detail}")
    more = f", and {len(rows) - 8} more" if len(rows) > 8 else ""
    return ", ".join(parts) + more


def resolve(store: Store, table: str, ref: str | int, *, extra: str | None = None, suggest: bool = True) -> sqlite3.Row:
    """Find one record by id (``12`` or ``#12``), uuid, or name.

    Names match ignoring case and accents; a name shared by several records is
    an error that lists them. ``extra`` names a column shown to tell them apart.
    """
    noun = _TABLE_NOUN[table]
    text = str(ref).strip()
    if not text:
        raise InvalidValue(f"empty {noun} reference")
    if m := _ID_RE.fullmatch(text):
        row = store.row(f"SELECT * FROM {table} WHERE id = ?", (int(m[1]),))
        if row is not None:
            return row
        if text.startswith("#") or table in BY_ID_ONLY:
            raise NotFound(f"no {noun} with id {m[1]}")
    if _UUID_RE.fullmatch(text.lower()):
        row = store.row(f"SELECT * FROM {table} WHERE uuid = ?", (text.lower(),))
        if row is not None:
            return row
        raise NotFound(f"no {noun} with uuid {text}")
    if table in BY_ID_ONLY:
        raise InvalidValue(f"refer to a {noun} by its id, not {text!r}")
    if table == "company" and (row := _by_enterprise_number(store, text)) is not None:
        return row
    rows = store.rows(f"SELECT * FROM {table} WHERE name_key = ? ORDER BY id", (fold(text),))
    if len(rows) == 1:
        return rows[0]
    if len(rows) > 1:
        raise Ambiguous(
            f"{noun} name {text!r} matches {len(rows)} {noun}s: {describe_candidates(rows, extra)}; use the id"
        )
    hint = _suggest(store, table, text) if suggest else ""
    raise NotFound(f"no {noun} named {text!r}" + (f" (did you mean {hint}?)" if hint else ""))


def _by_enterprise_number(store: Store, text: str) -> sqlite3.Row | None:
    """A company named by its enterprise number, in any of its spellings (``BE0403170701``)."""
    from verweefcli.kbo import parse_enterprise_number

    try:
        number = parse_enterprise_number(text)
    except InvalidValue:
        return None
    return store.row("SELECT * FROM company WHERE enterprise_number = ?", (number,))


def _suggest(store: Store, table: str, text: str) -> str:
    if len(fold(text)) < 3:
        return ""
    pattern = like_pattern(text)
    rows = store.rows(
        f"SELECT name FROM {table} WHERE name_key LIKE ? ESCAPE '\\' ORDER BY length(name) LIMIT 3",
        (pattern,),
    )
    return " or ".join(repr(r["name"]) for r in rows)


def resolve_id(store: Store, table: str, ref: str | int | None, field: str, *, extra: str | None = None) -> int | None:
    if ref is None or not str(ref).strip():
        return None
    try:
        row = resolve(store, table, ref, extra=extra)
    except (NotFound, Ambiguous, InvalidValue) as exc:
        raise FieldError(field, str(exc)) from None
    row_id: int = row["id"]
    return row_id


_EXTRA = {"site": "municipality", "contact": "organisation", "company": "enterprise_number"}


class Resolver:
    """How references typed by people become ids, and what the records they name hold.

    This one asks the database each time (one command, a few references); the
    importer passes its own, which keeps what it found for the whole file.
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    def id(self, table: str, ref: str | int, field: str) -> int:
        """The id of the record ``ref`` names (an id as a number is taken as it is)."""
        if isinstance(ref, int):
            return ref
        found = resolve_id(self.store, table, ref, field, extra=_EXTRA.get(table))
        if found is None:
            raise FieldError(field, f"empty {_TABLE_NOUN[table]} reference")
        return found

    def optional_id(self, table: str, ref: Any, field: str) -> int | None:
        """A reference that may be left empty (None, or blank text): its id, or None."""
        return None if ref is None or not str(ref).strip() else self.id(table, ref, field)

    def region_of(self, table: str, record_id: int) -> int | None:
        region: int | None = self.store.value(f"SELECT region_id FROM {table} WHERE id = ?", (record_id,))
        return region

    def name_of(self, table: str, record_id: int) -> str:
        return str(self.store.value(f"SELECT name FROM {table} WHERE id = ?", (record_id,)))


# -- filters --------------------------------------------------------------------


@dataclass
class Filters:
    """What ``list`` commands can narrow down on; each noun uses what fits it."""

    region: str | None = None
    kind: str | None = None
    status: str | None = None
    tag: list[str] = field(default_factory=list)
    search: str | None = None
    period: Period | None = None
    limit: int | None = None
    site: str | None = None
    contact: str | None = None
    category: str | None = None
    role: str | None = None
    municipality: str | None = None
    highlight: bool | None = None
    follow_up: Period | None = None
    due: str | None = None  # open follow-ups: overdue, today, week, or due by a date


class Query:
    """A small builder for ``WHERE`` clauses with parameters."""

    def __init__(self) -> None:
        self.where: list[str] = []
        self.params: list[Any] = []

    def add(self, clause: str, *params: Any) -> None:
        self.where.append(clause)
        self.params.extend(params)

    def sql(self) -> str:
        return (" WHERE " + " AND ".join(self.where)) if self.where else ""


def like_pattern(text: str) -> str:
    key = fold(text)
    return "%" + key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def tag_keys(tags: str) -> list[str]:
    """The folded tags of a record's ``tags`` column (what the tag index holds), each once."""
    return list(dict.fromkeys(fold(tag) for tag in load_list(tags))) if tags != "[]" else []


def add_tag_filter(query: Query, alias: str, tags: Sequence[str]) -> None:
    for tag in split_words(list(tags)):
        query.add(
            f"EXISTS (SELECT 1 FROM json_each({alias}.tags) WHERE verweef_fold(json_each.value) = ?)",
            fold(tag),
        )


def add_search_filter(store: Store, query: Query, table: str, alias: str, words: str | None) -> None:
    """Records whose full-text index row holds every word, as ``verweef search`` reads them."""
    if words:
        from verweefcli.domain import search, search_index  # the search modules only when a list searches

        search_index.ready(store)
        query.add(f"{alias}.id IN ({search.matching(table)})", search.match_expression(words))


def add_period_filter(query: Query, column: str, period: Period | None) -> None:
    if period is None:
        return
    if period.start != dt.date.min:
        query.add(f"{column} >= ?", period.start.isoformat())
    if period.end != dt.date.max:
        query.add(f"{column} <= ?", period.end.isoformat())


def limit_sql(limit: int | None) -> str:
    if limit is None:
        return ""
    if limit < 0:
        raise InvalidValue("--limit must be 0 or more")
    return f" LIMIT {int(limit)}"
