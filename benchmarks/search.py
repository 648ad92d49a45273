"""Full-text search on the 1,000,000-activity databases: speed, query plans, cost to writes, size.

Its SQL against the old scan, the whole command, its query plans, what the index
costs a write, and its size.

    python benchmarks/search.py [--quick] [--runs 5] [--command-runs 15]

On the two databases of 1,000,000 activities, 50,000 sites and 20,000 contacts the
other benchmarks use (see datasets.py: one imported with ``verweef import``, one
written by generate.py; ``--quick``: 100,000 activities), each on a copy:

1. **Search speed**, for query shapes chosen at start from the data itself (printed):
   (a) a site's full name (the site with the most words among the first 1,000),
   (b) a word of that site's name (its municipality, when the name holds it) and a
   word of activities' notes (``geurhinder``, where the data has it; else the
   longest word of the title of one of the site's activities), (c) a contact's name
   (the first one with activities), (d) one very common word prefix (``plaats``:
   "Plaatsbezoek" starts a fifth of the titles; on data without it, the first six
   letters of the first activity's title), the worst case for ranking, (e) a word
   found nowhere, and (f) shape (b) within the site's region (``--region``). For each:

   - SQL: the statements :func:`verweefcli.domain.search.search` runs (per table a
     count and the bm25-ranked first 10, then the rows and labels the snippets are
     cut from), recorded once by wrapping the Store's reading methods during a real
     search, then run again with the same parameters on a plain sqlite3 connection
     opened for each run (the file in the OS's cache, SQLite's own cache empty, as a
     new process finds it; the schema is read before the clock starts). Goal: at most
     100 ms, for every shape but the common prefix (reported, and warned about);
   - ``search()``: the whole call in-process (SQL and Python: terms, snippets);
   - the reference: what ``activity list --search`` did before the index, a scan
     folding every activity's text, ``SELECT count(*) FROM activity WHERE
     verweef_fold(coalesce(title, '') || ' ' || coalesce(notes, '') || ' ' || tags)
     LIKE ?`` with the old ``%word%`` pattern for each word (all of them; for (f), with
     the old region filter, ``region_id = ?``, first), and how many times faster the SQL is;
   - the whole process ``verweef --db DB search -f json [--region ID] -- WORDS``
     (start-up included), against the minimal Typer app startup.py builds, running its command
     that prints a 20-row table (the reference of every one-record command there).

   Medians of several runs, the shapes and the reference taking turns (the scan, at
   seconds a run, at most 3 runs). A shape whose SQL takes more than a second is
   measured once, and any search is stopped after 10 s (shown as ``> 10 s``).
2. **Query plans**: EXPLAIN QUERY PLAN of every statement: each MATCH must be
   answered by the FTS5 table, and no statement may SCAN a record table.
3. **Writes**: ``verweef visit add SITE --date 2026-03-01`` and ``verweef site edit
   ID --name NEW`` (a rename re-indexes the site's activities) on copies of the
   imported database, as real processes, against the same commands with the index
   write switched off: both run through the same small wrapper, which for the latter
   replaces ``search_index.refresh`` with a no-op. Goal: adding a record at most
   1.10x; the rename is reported.
4. **Index size**: the pages of the FTS5 shadow tables (dbstat) against the whole file.

A missed goal prints a line starting with ``SEARCH GOAL FAILED`` and the script
exits with status 1.
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import datasets
import startup
from _common import DATA, Run, Series, copy_db, interleave, machine_line, mark, measure, ms, precompile
from _common import verweef_command as verweef
from datasets import Scale, env
from report import scans

from verweefcli.domain.common import like_pattern
from verweefcli.domain.search import Found, search
from verweefcli.storage import Store, _sql_fold, open_store

SQL_GOAL_S = 0.100
ADD_GOAL = 1.10
SLOW_S = 1.0  # a shape slower than this is measured once
DEADLINE_S = 10.0  # and stopped after this
SCAN_RUNS = 3
ADD_DATE = "2026-03-01"
NOTE_WORD, COMMON_PREFIX, NOWHERE = "geurhinder", "plaats", "zeppelinwerf"
TABLES = ("site", "contact", "activity")

#: what ``activity list --search`` did before the index (verweefcli/domain/activities.py, schema 4)
OLD_FILTER = "verweef_fold(coalesce(title, '') || ' ' || coalesce(notes, '') || ' ' || tags) LIKE ? ESCAPE '\\'"

#: verweef, with or without the search index write (the same file: only SWITCH differs)
WRAPPER = """
import sys
from verweefcli.domain import search_index
SWITCH
from verweefcli.cli.app import main
sys.argv[0] = "verweef"
main()
"""
INDEX_OFF = "search_index.refresh = lambda store, table, ids: None  # the index write, switched off"


@dataclass
class Shape:
    key: str
    what: str
    text: str
    region_id: int | None = None
    worst_case: bool = False  # reported, warned about, not judged
    statements: list[tuple[str, Any]] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    sql: Series = field(default_factory=Series)
    call: Series = field(default_factory=Series)
    scan: Series = field(default_factory=Series)
    parts: dict[str, list[float]] = field(default_factory=dict)  # seconds per statement label, per run
    scan_count: int = 0
    timed_out: bool = False  # stopped after DEADLINE_S
    process: Series = field(default_factory=Series)

    @property
    def label(self) -> str:
        return f"({self.key}) {self.what}"

    @property
    def found(self) -> str:
        if self.timed_out and not self.totals:
            return "(stopped)"
        return " / ".join(f"{self.totals.get(t, 0):,}" for t in TABLES)

    @property
    def sql_s(self) -> float:
        return DEADLINE_S if self.timed_out else self.sql.median

    @property
    def within(self) -> bool:  # judged as printed: whole milliseconds
        return not self.timed_out and round(self.sql.median * 1000) <= SQL_GOAL_S * 1000

    @property
    def ok(self) -> bool:
        return self.worst_case or self.within

    def sql_text(self) -> str:
        return f"> {DEADLINE_S:.0f} s (stopped)" if self.timed_out else ms(self.sql.median)


@dataclass
class Write:
    label: str
    ours: Series
    without: Series
    goal: float | None  # None: reported only

    @property
    def ratio(self) -> float:
        return self.ours.median / self.without.median

    @property
    def ok(self) -> bool:
        return self.goal is None or round(self.ratio, 2) <= self.goal


@dataclass
class Database:
    name: str
    source: Path  # the data file, kept in benchmarks/data
    path: Path = Path()  # the copy measured
    shapes: list[Shape] = field(default_factory=list)
    plans: dict[str, list[str]] = field(default_factory=dict)
    table_scans: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)  # MATCH statements not answered by their FTS5 table
    reference: Series = field(default_factory=Series)  # the minimal Typer app's table command
    sizes: dict[str, int] = field(default_factory=dict)  # bytes per FTS5 shadow table
    file_bytes: int = 0
    writes: list[Write] = field(default_factory=list)


@dataclass
class Outcome:
    lines: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# -- choosing the queries from the data ------------------------------------------------------


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def choose_shapes(db: Path) -> list[Shape]:
    conn = sqlite3.connect(db)
    site_id, name, municipality, region_id = conn.execute(
        "SELECT id, name, municipality, region_id FROM site WHERE id <= 1000 "
        "ORDER BY length(name) - length(replace(name, ' ', '')) DESC, id LIMIT 1"
    ).fetchone()
    site_word = municipality if municipality and municipality in name else max(_words(name), key=len)
    if conn.execute("SELECT 1 FROM activity_fts WHERE activity_fts MATCH ? LIMIT 1", (NOTE_WORD,)).fetchone():
        note_word = NOTE_WORD
    else:
        title = conn.execute(
            "SELECT a.title FROM activity_site l JOIN activity a ON a.id = l.activity_id "
            "WHERE l.site_id = ? AND a.title IS NOT NULL ORDER BY a.id LIMIT 1",
            (site_id,),
        ).fetchone()[0]
        note_word = max((w for w in _words(title) if w.isalpha() and w not in name), key=len)
    contact = conn.execute(
        "SELECT name FROM contact c WHERE EXISTS (SELECT 1 FROM activity_contact l WHERE l.contact_id = c.id) "
        "ORDER BY id LIMIT 1"
    ).fetchone()[0]
    prefix = COMMON_PREFIX
    if not conn.execute("SELECT 1 FROM activity_fts WHERE activity_fts MATCH ? LIMIT 1", (f"{prefix}*",)).fetchone():
        first_title = conn.execute("SELECT title FROM activity WHERE title IS NOT NULL ORDER BY id LIMIT 1").fetchone()
        prefix = _words(first_title[0])[0][:6].lower()
    conn.close()
    two = f"{site_word} {note_word}"
    return [
        Shape("a", "a site's full name", name),
        Shape("b", "site word + notes word", two),
        Shape("c", "a contact's name", contact),
        Shape("d", "a very common prefix", prefix, worst_case=True),
        Shape("e", "a word found nowhere", NOWHERE),
        Shape("f", "(b) within its region", two, region_id=region_id),
    ]


# -- the SQL a search runs ---------------------------------------------------------------------


@contextmanager
def deadline(conn: sqlite3.Connection, seconds: float = DEADLINE_S) -> Iterator[None]:
    """Stop the statements of this block after ``seconds`` (sqlite3.OperationalError: interrupted)."""
    end = time.perf_counter() + seconds
    conn.set_progress_handler(lambda: int(time.perf_counter() > end), 10_000)
    try:
        yield
    finally:
        conn.set_progress_handler(None, 0)


_READERS = ("value", "tuples", "rows", "row", "execute")


def record(store: Store, shape: Shape, *, dry: bool = False) -> tuple[Found, list[tuple[str, Any]]]:
    """The statements one search runs, with their parameters. ``dry``: only recorded, the searches
    answering nothing (for the plans of a search too slow to run)."""
    seen: list[tuple[str, Any]] = []
    originals = {name: getattr(Store, name) for name in _READERS}

    def wrap(method: Callable[..., Any]) -> Callable[..., Any]:
        def recorded(self: Store, sql: str, params: Any = ()) -> Any:
            seen.append((sql, params))
            if dry:
                return 0 if "count(*)" in sql else []
            return method(self, sql, params)

        return recorded

    for name, method in originals.items():
        setattr(Store, name, wrap(method))
    try:
        found = search(store, shape.text, region_id=shape.region_id)
    finally:
        for name, method in originals.items():
            setattr(Store, name, method)
    return found, seen


def statement_labels(statements: list[tuple[str, Any]]) -> list[str]:
    """``activity count``, ``activity ranked``, then ``activity rows`` and ``activity labels`` (the
    statements after a table's MATCH read that table's records, for the snippets)."""
    labels, table = [], "?"
    for sql, _ in statements:
        if "MATCH" in sql:
            found = re.search(r"FROM (\w+)_fts", sql)
            table = found.group(1) if found else "?"
            labels.append(f"{table} {'count' if 'count(*)' in sql else 'ranked'}")
        else:
            labels.append(f"{table} {'labels' if 'uuid' in sql else 'rows'}")
    return labels


def replay(db: Path, statements: list[tuple[str, Any]]) -> dict[str, float] | None:
    """Run the statements on a new connection: seconds per label (None: stopped at the deadline)."""
    conn = sqlite3.connect(db)
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the schema, read before the clock
    times: dict[str, float] = {}
    try:
        with deadline(conn):
            for label, (sql, params) in zip(statement_labels(statements), statements, strict=True):
                start = time.perf_counter()
                conn.execute(sql, params).fetchall()
                times[label] = times.get(label, 0.0) + time.perf_counter() - start
    except sqlite3.OperationalError as exc:
        if "interrupted" not in str(exc):
            raise
        return None
    finally:
        conn.close()
    return times


def call(db: Path, shape: Shape) -> float | None:
    """search() in-process on a newly opened store (None: stopped at the deadline)."""
    store = open_store(db, create=False)
    try:
        with deadline(store.conn):
            start = time.perf_counter()
            search(store, shape.text, region_id=shape.region_id)
            return time.perf_counter() - start
    except sqlite3.OperationalError as exc:
        if "interrupted" not in str(exc):
            raise
        return None
    finally:
        store.close()


def old_scan(conn: sqlite3.Connection, text: str, region_id: int | None) -> tuple[float, int]:
    """The old filter, word by word (and with a region, as the old list filtered it: the region first)."""
    words = text.split()
    where = ["region_id = ?"] if region_id is not None else []
    sql = "SELECT count(*) FROM activity WHERE " + " AND ".join(where + [OLD_FILTER for _ in words])
    params = ([region_id] if region_id is not None else []) + [like_pattern(w) for w in words]
    start = time.perf_counter()
    count = conn.execute(sql, params).fetchone()[0]
    return time.perf_counter() - start, count


def prepare(db: Path, shapes: list[Shape]) -> None:
    """Record each shape's statements (a real search, within the deadline) and check what it finds."""
    store = open_store(db, create=False)
    for shape in shapes:
        try:
            with deadline(store.conn):
                found, shape.statements = record(store, shape)
            shape.totals = found.totals
        except sqlite3.OperationalError as exc:
            if "interrupted" not in str(exc):
                raise
            shape.timed_out = True
            _, shape.statements = record(store, shape, dry=True)
    store.close()
    for shape in shapes:
        anything = any(shape.totals.values())
        if shape.key == "e" and anything:
            raise SystemExit(f"{NOWHERE!r} is found in {db.name}: choose another word for shape (e)")
        if shape.key != "e" and not anything and not shape.timed_out:
            raise SystemExit(f"shape {shape.label}: {shape.text!r} finds nothing in {db.name}")


def measure_sql(db: Path, shapes: list[Shape], runs: int) -> None:
    """The shapes taking turns: SQL, search() and (in the first rounds) the old scan. Round 0 warms
    up, except for a shape slower than SLOW_S: it is measured there, once."""
    conn = sqlite3.connect(db)
    conn.create_function("verweef_fold", 1, _sql_fold, deterministic=True)
    old_scan(conn, NOWHERE, None)  # warm-up: the whole activity table read once
    once: set[str] = set()
    for round_ in range(runs + 1):
        for shape in shapes:
            if not shape.timed_out and shape.key not in once:
                _sql_and_call(db, shape, round_, once)
            if 1 <= round_ <= SCAN_RUNS:
                seconds, shape.scan_count = old_scan(conn, shape.text, shape.region_id)
                shape.scan.values.append(seconds)
    conn.close()


def _sql_and_call(db: Path, shape: Shape, round_: int, once: set[str]) -> None:
    times = replay(db, shape.statements)
    if times is None:
        shape.timed_out = True
        return
    total = sum(times.values())
    if total > SLOW_S:
        once.add(shape.key)
    if round_ == 0 and total <= SLOW_S:
        call(db, shape)  # warm-up
        return
    shape.sql.values.append(total)
    for label, seconds in times.items():
        shape.parts.setdefault(label, []).append(seconds)
    seconds = call(db, shape)
    if seconds is not None:
        shape.call.values.append(seconds)


# -- plans ----------------------------------------------------------------------------------------


def query_plans(db: Database) -> None:
    conn = sqlite3.connect(db.path)
    for shape in db.shapes:
        for label, (sql, params) in zip(statement_labels(shape.statements), shape.statements, strict=True):
            name = label + (" (--region)" if shape.region_id is not None else "")
            if name not in db.plans:
                db.plans[name] = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, params)]
                if "MATCH" in sql:
                    table = name.split()[0]
                    if not any(step.startswith(f"SCAN {table}_fts VIRTUAL TABLE") for step in db.plans[name]):
                        db.unmatched.append(name)
    conn.close()
    db.table_scans, _ = scans(db.plans)


# -- index size --------------------------------------------------------------------------------------


def index_size(db: Database) -> None:
    conn = sqlite3.connect(db.path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    db.file_bytes = conn.execute("PRAGMA page_count").fetchone()[0] * page_size
    rows = conn.execute("SELECT name, pgsize FROM dbstat WHERE aggregate = TRUE AND name GLOB '*_fts_*'")
    db.sizes = {name: size for name, size in rows}
    conn.close()


# -- writes -------------------------------------------------------------------------------------------


def measure_writes(db: Database, tmp: Path, runs: int, home: Path) -> list[str]:
    """visit add and site edit --name, with and without the index write, on copies; returns checks."""
    wrappers = {}
    for which, switch in (("with index", ""), ("without", INDEX_OFF)):
        path = tmp / f"verweef-{which.replace(' ', '-')}.py"
        path.write_text(WRAPPER.replace("SWITCH", switch), encoding="utf-8")
        wrappers[which] = path
    copies = {which: copy_db(db.source, tmp / f"write-{which.replace(' ', '-')}.db") for which in wrappers}
    conn = sqlite3.connect(db.source)
    site = conn.execute("SELECT name FROM site ORDER BY id LIMIT 1").fetchone()[0]  # a visit to the first site
    site_id = conn.execute("SELECT id FROM site ORDER BY id LIMIT 1 OFFSET 1").fetchone()[0]  # the second renamed
    linked = conn.execute("SELECT count(*) FROM activity_site WHERE site_id = ?", (site_id,)).fetchone()[0]
    conn.close()
    names = itertools.count(1)

    def command(which: str, *args: str) -> list[str]:
        return [sys.executable, str(wrappers[which]), "--db", str(copies[which]), *args]

    steps: dict[str, Callable[[], Run]] = {}
    for which in wrappers:
        add = command(which, "visit", "add", site, "--date", ADD_DATE)
        steps[f"visit add {which}"] = lambda argv=add: measure(argv, env=env(home))
    for which in wrappers:

        def edit(which: str = which) -> Run:
            new = f"{site} (benchmark {next(names)})"
            return measure(command(which, "site", "edit", str(site_id), "--name", new), env=env(home))

        steps[f"site edit {which}"] = edit
    series = interleave(steps, runs)
    db.writes = [
        Write("visit add SITE", series["visit add with index"], series["visit add without"], ADD_GOAL),
        Write(
            f"site edit --name ({linked} activities re-indexed)",
            series["site edit with index"],
            series["site edit without"],
            None,
        ),
    ]
    return _write_checks(copies)


def _write_checks(copies: dict[str, Path]) -> list[str]:
    """Whether the wrapper did switch the index write off: the newest activity's index row."""
    checks = []
    for which, path in copies.items():
        conn = sqlite3.connect(path)
        newest = conn.execute("SELECT max(id) FROM activity").fetchone()[0]
        indexed = conn.execute("SELECT count(*) FROM activity_fts WHERE rowid = ?", (newest,)).fetchone()[0]
        conn.close()
        expected = which == "with index"
        checks.append(
            f"{mark(bool(indexed) == expected)} {which}: the newest activity {'has' if indexed else 'has no'} index row"
        )
    return checks


# -- one database -------------------------------------------------------------------------------------


def bench_database(db: Database, tmp: Path, runs: int, command_runs: int, reference: list[str], home: Path) -> None:
    copy = db.path = copy_db(db.source, tmp / f"{db.name}.db")
    db.shapes = choose_shapes(copy)
    prepare(copy, db.shapes)
    measure_sql(copy, db.shapes, runs)
    query_plans(db)
    index_size(db)
    quick = [s for s in db.shapes if not s.timed_out and s.sql.median <= SLOW_S]
    repeated = {s.key for s in quick}

    def ours(shape: Shape) -> list[str]:
        region = ["--region", str(shape.region_id)] if shape.region_id is not None else []
        return [*verweef(), "--db", str(copy), "search", "-f", "json", *region, "--", *shape.text.split()]

    steps: dict[str, Callable[[], Run]] = {"reference": lambda: measure(reference, env=env(home))}
    for shape in quick:
        steps[shape.key] = lambda shape=shape: measure(ours(shape), env=env(home))
    series = interleave(steps, command_runs)
    db.reference = series["reference"]
    for shape in quick:
        shape.process = series[shape.key]
    for shape in db.shapes:
        if shape.key not in repeated and not shape.timed_out:  # once, stopped at the deadline
            try:
                start = time.perf_counter()
                environment = {**os.environ, **env(home)}
                subprocess.run(ours(shape), env=environment, capture_output=True, timeout=DEADLINE_S + 2, check=True)
                shape.process.values.append(time.perf_counter() - start)
            except subprocess.TimeoutExpired:
                pass


def print_database(db: Database, runs: int, command_runs: int) -> None:
    queries = "; ".join(f"({s.key}) {s.text!r}" for s in db.shapes)
    print(f"\n-- {db.name}: the queries, chosen from its data: {queries}")
    print(
        f"   SQL: median of {runs} runs, a new connection each; search(): in-process; old scan: median of "
        f"{SCAN_RUNS}; found: sites / contacts / activities"
    )
    print(
        f"   {'shape':<28} {'found':>22} {'SQL':>9} {'search()':>9} {'old scan':>9} {'faster':>7}"
        f"  noise SQL / call / scan  goal <= {ms(SQL_GOAL_S)}"
    )
    for s in db.shapes:
        faster = f"{_times(s.scan.median / s.sql.median):>7}" if s.sql.values and not s.timed_out else f"{'':>7}"
        call_text = ms(s.call.median) if s.call.values else "stopped"
        goal = mark(s.within) + (" (worst case: warned only)" if s.worst_case and not s.within else "")
        once = " (1 run)" if len(s.sql.values) == 1 else ""
        print(
            f"   {s.label:<28} {s.found:>22} {s.sql_text():>9} {call_text:>9} {s.scan.median:8.2f}s {faster}"
            f"  {_noise(s.sql)} / {_noise(s.call)} / {_noise(s.scan)}     {goal}{once}"
        )
    print("   the SQL by statement (median ms; rows = the records the snippets are cut from):")
    for s in db.shapes:
        parts = ", ".join(f"{label} {statistics.median(v) * 1000:.1f}" for label, v in s.parts.items())
        found = f"{s.scan_count:,} activit{'y' if s.scan_count == 1 else 'ies'}"
        print(f"     ({s.key}) {parts or 'stopped at the deadline'}; the old scan found {found}")
    ref = db.reference
    print(
        f"   whole process, verweef --db DB search -f json -- WORDS: median of {command_runs} runs, taking turns "
        f"with the reference (startup.py's minimal Typer app printing a 20-row table: {ms(ref.median)}, "
        f"noise {ref.spread:.0%})"
    )
    for s in db.shapes:
        if not s.process.values:
            print(f"   {s.label:<28} {'stopped':>9}: over {DEADLINE_S:.0f} s")
            continue
        times = "(1 run)" if len(s.process.values) == 1 else f"noise {s.process.spread:4.0%}"
        peak = f"peak {s.process.peak_mb:4.1f} MB" if s.process.peaks else ""
        print(
            f"   {s.label:<28} {ms(s.process.median):>9}  {s.process.median / ref.median:5.2f}x the reference  "
            f"{peak}  {times}"
        )
    print("   query plans (EXPLAIN QUERY PLAN; each MATCH answered by its FTS5 table, no SCAN of a record table):")
    for name, steps in db.plans.items():
        bad = any(found.startswith(f"{name}: ") for found in db.table_scans) or name in db.unmatched
        print(f"   {mark(not bad)} {name:<28} {' | '.join(steps)}")
    total = sum(db.sizes.values())
    print(
        f"   index size (dbstat): {total / 1e6:,.1f} MB of a {db.file_bytes / 1e6:,.1f} MB file "
        f"({total / db.file_bytes:.0%})"
    )
    for table in TABLES:
        parts = {n.removeprefix(f"{table}_fts_"): b for n, b in db.sizes.items() if n.startswith(f"{table}_fts_")}
        detail = ", ".join(f"{part} {size / 1e6:,.1f}" for part, size in sorted(parts.items(), key=lambda p: -p[1]))
        print(f"     {table}_fts {sum(parts.values()) / 1e6:8,.1f} MB ({detail})")


def _times(ratio: float) -> str:
    return f"{ratio:,.0f}x" if ratio >= 10 else f"{ratio:.2f}x"


def _faster(ratio: float) -> str:
    return f"{_times(ratio)} faster" if ratio >= 1 else f"{_times(1 / ratio)} slower"


def _noise(series: Series) -> str:
    return f"{series.spread:4.0%}" if len(series.values) > 1 else "   -"


def print_writes(db: Database, runs: int, checks: list[str]) -> None:
    print(
        f"\n-- writes on copies of {db.name}, real processes through the same wrapper, with the index write and "
        f"without (search_index.refresh a no-op); median of {runs} runs, taking turns"
    )
    for w in db.writes:
        goal = f"goal <= {w.goal:.2f}x {mark(w.ok)}" if w.goal is not None else "reported"
        print(
            f"   {w.label:<44} {ms(w.ours.median):>7}  without the index write {ms(w.without.median):>7}  "
            f"{w.ratio:4.2f}x  noise {w.ours.spread:4.0%} / {w.without.spread:4.0%}  {goal}"
        )
    for check in checks:
        print(f"   {check}")


def summarise(databases: list[Database], outcome: Outcome) -> None:
    for db in databases:
        for s in db.shapes:
            process = f", process {ms(s.process.median)}" if s.process.values else ""
            faster = f" ({_faster(s.scan.median / s.sql.median)})" if not s.timed_out else ""
            line = (
                f"search {db.name:<9} {s.label:<28} SQL {s.sql_text():>8} vs old scan {s.scan.median:5.2f} s"
                f"{faster}{process} {mark(s.within)} <= {ms(SQL_GOAL_S)}"
            )
            outcome.lines.append(line + (" (worst case, warned only)" if s.worst_case and not s.within else ""))
            if not s.within:
                text = f"{db.name} {s.label} {s.text!r}: SQL {s.sql_text()} (goal <= {ms(SQL_GOAL_S)})"
                (outcome.warnings if s.worst_case else outcome.missed).append(text)
        bad = len(db.table_scans) + len(db.unmatched)
        outcome.lines.append(
            f"search {db.name:<9} plans: {len(db.plans)} statements, SCAN of a record table or MATCH not answered "
            f"by FTS5: {bad} {mark(not bad)}"
        )
        if bad:
            outcome.missed.append(f"{db.name} plans: {'; '.join(db.table_scans + db.unmatched)}")
        total = sum(db.sizes.values())
        outcome.lines.append(
            f"search {db.name:<9} index {total / 1e6:,.0f} MB of {db.file_bytes / 1e6:,.0f} MB "
            f"({total / db.file_bytes:.0%} of the file)"
        )
        for w in db.writes:
            goal = f"{mark(w.ok)} <= {w.goal:.2f}x" if w.goal is not None else "(reported)"
            outcome.lines.append(
                f"search {db.name:<9} {w.label:<44} {ms(w.ours.median):>7} vs {ms(w.without.median):>7} without "
                f"the index write: {w.ratio:4.2f}x {goal}"
            )
            if not w.ok:
                outcome.missed.append(f"{db.name} {w.label}: {w.ratio:.2f}x (goal <= {w.goal:.2f}x)")


def run(scale: Scale, runs: int = 5, command_runs: int = 15) -> Outcome:
    precompile()
    sources = {"imported": datasets.ensure_imported_db(scale), "generated": datasets.generated_db(scale)}
    print(f"\n== full-text search, {scale.activities:,} activities ({'quick' if scale.quick else 'full'} sizes)")
    print(f"   {machine_line()}")
    databases = [Database(name, path) for name, path in sources.items()]
    outcome = Outcome()
    with tempfile.TemporaryDirectory(dir=DATA, prefix="search-") as folder:
        tmp = Path(folder)
        home = tmp / "home"
        home.mkdir()
        reference_app = tmp / "reference.py"
        reference_app.write_text(startup.reference_source(startup.command_tree()), encoding="utf-8")
        reference = [sys.executable, str(reference_app), "site", "list"]
        for db in databases:
            bench_database(db, tmp, runs, command_runs, reference, home)
            print_database(db, runs, command_runs)
            if db.name == "imported":
                checks = measure_writes(db, tmp, command_runs, home)
                print_writes(db, command_runs, checks)
                outcome.missed += [f"{db.name} writes: {c}" for c in checks if c.startswith("✘")]
    summarise(databases, outcome)
    print(f"   after: {machine_line().split(';')[0]}")
    return outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="databases of 100,000 activities instead of 1,000,000")
    parser.add_argument("--runs", type=int, default=5, help="runs of each search's SQL and search() (default 5)")
    parser.add_argument("--command-runs", type=int, default=15, help="runs of each real process (default 15)")
    args = parser.parse_args()
    outcome = run(Scale(10 if args.quick else 1), args.runs, args.command_runs)
    print("\n== search summary")
    print("\n".join(outcome.lines))
    for line in outcome.warnings:
        print(f"warning: over the goal, as the worst case may be: {line}")
    for line in outcome.missed:
        print(f"SEARCH GOAL FAILED: {line}")
    if outcome.missed:
        sys.exit(1)
    print("search goals met")


if __name__ == "__main__":
    main()
