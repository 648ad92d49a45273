"""Importing CSV rows as regions, sites, contacts or activities: the CSV work.

This module reads the rows, turns cells into field values (mapping profile,
decimal mark, date format), counts, keeps line numbers and hands bad rows to
the rejects file. What a row means is the domain's business: the handlers in
:mod:`verweefcli.transfer.records` and :mod:`verweefcli.transfer.activity_rows`
match rows to records and write them through the domain's functions, with the
same rules as the commands.

Another format comes in as rows too: the cards of a vCard file become cells
under a contacts header (:mod:`verweefcli.transfer.vcard`), counted as cards,
not lines, and go through the same rules.

By default the whole file is one transaction: one bad row and nothing is
written, and every problem is reported as ``FILE:LINE: column: what``. With
``skip_invalid`` the good rows are written and the bad ones go to the rejects.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from verweefcli.domain.common import FieldError
from verweefcli.errors import VerweefError
from verweefcli.numbers import Number, detect_decimal, parse_number
from verweefcli.render.serialize import restore
from verweefcli.storage import Store
from verweefcli.textnorm import fold
from verweefcli.transfer.profile import Columns, NounProfile, map_header
from verweefcli.transfer.source import CsvProblem, Source, records

ACTIONS = ("insert", "update", "skip", "reject")
_NUMERIC = {"floor_area_m2", "minutes", "x", "y"}
_COORDINATES = {"lat", "lon"}
_DATES = {
    "date", "follow_up", "follow_up_done", "appointed_on", "ends_on", "recorded_on", "received_on", "reported_on",
    "closed_on", "due",
}  # fmt: skip
_TIME_PART = re.compile(r"^(\S+)[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")


@dataclass
class Options:
    on_conflict: str = "skip"  # skip, update or fail
    dry_run: bool = False
    skip_invalid: bool = False
    create_missing: bool = False
    default_region: str | None = None
    decimal: str | None = None
    date_format: str | None = None
    max_errors: int = 50
    #: with ``skip_invalid``: called with the cells of each bad row and what is wrong with it
    rejects: Callable[[list[str], str], None] | None = None


@dataclass
class Summary:
    source: str
    noun: str
    rows: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ACTIONS, 0))
    examples: dict[str, list[tuple[int, str]]] = field(default_factory=lambda: {a: [] for a in ACTIONS})
    errors: list[str] = field(default_factory=list)
    error_count: int = 0
    #: values kept because the file's were damaged (``?`` where its encoding had no character)
    warnings: list[str] = field(default_factory=list)
    warning_count: int = 0
    seconds: float = 0.0
    written: bool = False
    created: list[str] = field(default_factory=list)
    #: what a record's position counts: the ``line`` it starts on (CSV), or the ``card`` (vCard)
    unit: str = "line"
    #: new records whose search index rows the first search writes (a bulk import of activities)
    search_deferred: int = 0

    def at(self, position: int) -> str:
        """Where a record is, for messages: ``FILE:LINE``, or ``FILE: card N``."""
        return f"{self.source}:{position}" if self.unit == "line" else f"{self.source}: {self.unit} {position}"

    def warn(self, message: str, limit: int) -> None:
        self.warning_count += 1
        if len(self.warnings) < limit:
            self.warnings.append(message)


class RowProblem(VerweefError):
    """A problem with one row, already phrased as ``column: what``."""


class _Rollback(Exception):
    pass


def import_rows(
    store: Store,
    noun: str,
    source: Source,
    profile: NounProfile,
    options: Options,
    progress: Callable[[int], None] | None = None,
    *,
    rows: Iterator[Record] | None = None,
    unit: str = "line",
) -> Summary:
    """Import every row of ``source`` as ``noun`` in one transaction (see the module's doc).

    ``rows``: the records of another format, header first, each with its position in the file
    (``unit``: what that counts); by default the CSV records of ``source``, by line.
    """
    from verweefcli.transfer.activity_rows import ActivityRows
    from verweefcli.transfer.case_records import case_handler
    from verweefcli.transfer.records import HANDLERS

    summary = Summary(source=source.name, noun=noun, unit=unit)
    rows = records(source) if rows is None else rows
    try:
        _, header = next(rows)
    except StopIteration:
        raise CsvProblem(f"{source.name}: the file is empty (no header row)") from None
    source.header = header
    columns = map_header(noun, header, profile, source.name)
    buffered, rows = _peek(rows, 200)
    converter = Converter(columns, profile, _decimal(options, source, columns, buffered), options, noun)
    kind = ActivityRows if noun == "activities" else HANDLERS.get(noun) or case_handler(noun)
    started = time.perf_counter()
    if kind.checks_its_links:  # see ActivityRows: SQLite's own check costs half the import
        store.execute("PRAGMA foreign_keys = OFF")  # outside a transaction, or it does nothing
    if kind.cache_mib:
        store.execute(f"PRAGMA cache_size = -{kind.cache_mib * 1024:d}")
    if kind.bulk:  # see ActivityRows: the commit's own fsync cost a million rows 0.75 s
        store.execute("PRAGMA synchronous = NORMAL")
    try:
        with store.write():
            handler = kind(store, options, summary)
            handler.expect(_expected_rows(source, buffered))
            for count, (line, cells) in enumerate(rows, start=1):
                summary.rows += 1
                if progress is not None and count % 2000 == 0:
                    progress(source.stream.count)
                _one_row(handler, converter, summary, options, line, cells)
            handler.finish()
            if progress is not None:
                progress(source.stream.count)
            if options.dry_run or (summary.error_count and not options.skip_invalid):
                raise _Rollback
        summary.written = True
        if summary.counts["insert"] or summary.counts["update"]:
            store.optimize()
    except _Rollback:
        pass
    finally:
        summary.seconds = time.perf_counter() - started
        store.execute("PRAGMA foreign_keys = ON")
        store.execute("PRAGMA cache_size = -2000")  # SQLite's default
        store.execute("PRAGMA synchronous = FULL")  # Python's sqlite3 default
    return summary


def _one_row(
    handler: Any, converter: Converter, summary: Summary, options: Options, line: int, cells: list[str]
) -> None:
    handler.line = line
    try:
        action = handler.process_row(cells, converter)
    except VerweefError as exc:
        message = converter.phrase(exc)
        summary.counts["reject"] += 1
        if options.skip_invalid:
            if options.rejects is not None:
                options.rejects(cells, message)
        else:
            summary.error_count += 1
            if len(summary.errors) < options.max_errors:
                summary.errors.append(f"{summary.at(line)}: {message}")
        return
    summary.counts[action] += 1
    if len(summary.examples[action]) < 5:
        summary.examples[action].append((line, handler.label(converter.values(cells))))


def _decimal(options: Options, source: Source, columns: Columns, buffered: list[Record]) -> str:
    """The file's decimal mark: forced, else from the numbers of the first rows."""
    decimal = options.decimal or source.dialect.decimal
    if decimal is not None:
        return decimal
    numeric = [i for i, f in enumerate(columns.fields) if f in _NUMERIC | _COORDINATES]
    return detect_decimal(
        (cells[i] for _, cells in buffered for i in numeric if i < len(cells)), source.dialect.delimiter
    )


def _expected_rows(source: Source, buffered: list[Record]) -> int:
    """About how many rows the file holds, from its size and the first rows (0: unknown)."""
    if not source.size or not buffered:
        return 0
    sample = sum(len(",".join(cells)) + 2 for _, cells in buffered)
    return int(source.size / (sample / len(buffered)))


Record = tuple[int, list[str]]


def _peek(rows: Iterator[Record], n: int) -> tuple[list[Record], Iterator[Record]]:
    """The first ``n`` records, and an iterator that still yields all of them."""
    buffered = []
    for row in rows:
        buffered.append(row)
        if len(buffered) >= n:
            break

    def chained() -> Iterator[Record]:
        yield from buffered
        yield from rows

    return buffered, chained()


class Converter:
    """From the cells of one row to field values, as the profile and dialect say."""

    def __init__(self, columns: Columns, profile: NounProfile, decimal: str, options: Options, noun: str):
        self.plan = [(i, f) for i, f in enumerate(columns.fields) if f is not None]
        self.width = len(columns.fields)
        self.names = columns.names
        self.constants = profile.constants
        self.value_maps = profile.values
        self.decimal = decimal
        self.date_format = options.date_format
        self.noun = noun

    def phrase(self, exc: Exception) -> str:
        """A row's problem as ``column: what``, with the column named as in the file."""
        if isinstance(exc, FieldError):
            return f"{self.names.get(exc.field, exc.field)}: {exc.reason}"
        return str(exc)

    def check_width(self, cells: list[str]) -> None:
        if len(cells) > self.width and any(c.strip() for c in cells[self.width :]):
            raise RowProblem(f"the row has {len(cells)} cells but the header only {self.width} columns")

    def values(self, cells: list[str]) -> dict[str, Any]:
        """The row as field -> value, ready for the domain's rules (empty cells left out)."""
        self.check_width(cells)
        values: dict[str, Any] = {}
        for index, name in self.plan:
            text = cells[index].strip() if index < len(cells) else ""
            if text:
                values[name] = self.cell(name, text)
        for name, constant in self.constants.items():
            values.setdefault(name, constant)
        return values

    def cell(self, name: str, text: str) -> Any:
        """One non-empty, stripped cell: undo formula quoting, map values, read numbers and dates."""
        text = restore(text)
        mapping = self.value_maps.get(name)
        if mapping is not None:
            text = mapping.get(fold(text), text)
        if name in _NUMERIC or name in _COORDINATES:
            return self._number(name, text)
        if name in _DATES:
            return self._date(name, text)
        return text

    def _number(self, name: str, text: str) -> Number:
        try:
            return parse_number(text, self.decimal, grouping=name not in _COORDINATES)
        except VerweefError as exc:
            raise FieldError(name, str(exc)) from None

    def _date(self, name: str, text: str) -> str:
        if self.date_format:
            try:
                return dt.datetime.strptime(text, self.date_format).date().isoformat()
            except ValueError:
                raise FieldError(name, f"{text!r} does not match the date format {self.date_format!r}") from None
        m = _TIME_PART.match(text)
        if m:
            return m[1]
        from verweefcli.relative import relative_date

        if relative_date(text, dt.date.today()) is not None:  # "morgen" in a file: which day was meant?
            raise FieldError(name, f"{text!r} is a day counted from today: a file needs the date (DD/MM/YYYY)")
        return text
