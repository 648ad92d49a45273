"""Quarterly report speed in every shape of data: ``verweef report quarterly`` against plain SQL.

    python benchmarks/report.py [--quick] [--runs 5] [--quarter 2024Q2]

Two databases of 1,000,000 activities, 50,000 sites and 20,000 contacts (see
datasets.py), made on first use and kept:

- imported: regions, sites, contacts and activities imported from CSV files with
  ``verweef import``, as users build it;
- generated: written directly by generate.py.

Each is measured in four shapes, on a copy: with its follow-ups and without them
(``UPDATE activity SET follow_up = NULL``), each without SQLite's statistics
(``DROP TABLE IF EXISTS sqlite_stat1``) and with them (``ANALYZE``). For each
shape, as the median of several runs of real processes, the two taking turns:

- the reference: the sqlite3 shell running the report's own SQL statements
  (verweefcli/report/queries.py, with the same parameters) on the same file;
- verweef: the whole ``verweef report quarterly -q QUARTER -f markdown`` process,
  start-up, Python, queries and rendering included.

It prints both, their ratio, the in-process time of the computation alone, and
marks each shape against the goal: at most 1 s. It also prints each statement's
query plan where it is not an index search: a ``SCAN`` of a table (a whole-table
read, marked ✘) or a walk of a whole index, and whether the plans are the same in
every shape (they should not depend on statistics or on follow-ups).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import datasets
from _common import DATA, copy_db, interleave, machine_line, mark, measure, ms, precompile, verweef_command
from datasets import Scale, env

from verweefcli.dates import Period, parse_quarter
from verweefcli.report import queries

GOAL_S = 1.0
# a SCAN step, leaving out the table-valued json_each (the list of regions) and subqueries
_SCAN = re.compile(r"^SCAN (?!json_each|CONSTANT ROW|\()(?!.*VIRTUAL TABLE)(\S+)")


def _literal(value: object) -> str:
    """A value for ``.parameter set``: the shell evaluates it as SQL, after removing one level of quotes."""
    if value is None:
        return "NULL"
    if isinstance(value, int):
        return str(value)
    return "\"'" + str(value).replace("'", "''") + "'\""


def report_parameters(db_path: Path, period: Period, ref: dt.date) -> tuple[list[int], dict[str, object]]:
    conn = sqlite3.connect(db_path)
    region_ids = [r[0] for r in conn.execute("SELECT id FROM region ORDER BY name_key")]
    conn.close()
    previous = period.previous()
    following = Period.of_quarter(period.quarter.next()) if period.quarter else period
    params = queries.parameters(
        region_ids,
        period.start,
        period.end,
        (previous.start, previous.end),
        (following.start, following.end),
        ref,
    )
    return region_ids, params


def shell_script(db_path: Path, period: Period, ref: dt.date) -> str:
    """The report's statements as a sqlite3 shell script, parameters bound with .parameter."""
    region_ids, params = report_parameters(db_path, period, ref)
    lines = [".parameter init"]
    lines += [f".parameter set :{name} {_literal(value)}" for name, value in params.items() if name != "region"]
    statements = [*queries.PROGRAMME.values(), queries.CONTACTS_FIRST_MET]
    lines += [sql.strip() + ";" for sql in statements]  # as written: they may hold -- comments
    for region_id in region_ids:
        lines.append(f".parameter set :region {region_id}")
        lines += [sql.strip() + ";" for sql in queries.PER_REGION.values()]
    return "\n".join(lines) + "\n"


def query_plans(db_path: Path, period: Period, ref: dt.date) -> dict[str, list[str]]:
    """EXPLAIN QUERY PLAN of every statement of the report, with the report's parameters."""
    region_ids, params = report_parameters(db_path, period, ref)
    conn = sqlite3.connect(db_path)
    statements = {f"programme {name}": sql for name, sql in queries.PROGRAMME.items()}
    statements["contacts first met"] = queries.CONTACTS_FIRST_MET
    statements.update({f"per region {name}": sql for name, sql in queries.PER_REGION.items()})
    region = {"region": region_ids[0] if region_ids else 1}
    plans = {
        name: [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, {**params, **region})]
        for name, sql in statements.items()
    }
    conn.close()
    return plans


def scans(plans: dict[str, list[str]]) -> tuple[list[str], list[str]]:
    """(whole-table scans, whole-index walks) as ``statement: step``."""
    tables, indexes = [], []
    for name, steps in plans.items():
        for step in steps:
            if _SCAN.match(step):
                (indexes if " INDEX " in step else tables).append(f"{name}: {step}")
    return tables, indexes


@dataclass
class Shape:
    source: str
    follow_ups: int
    stats: bool
    reference: float = 0.0
    ours: float = 0.0
    compute: float = 0.0
    spread: tuple[float, float] = (0.0, 0.0)
    peak_mb: float = 0.0
    table_scans: list[str] = field(default_factory=list)
    index_walks: list[str] = field(default_factory=list)
    plans: dict[str, list[str]] = field(default_factory=dict)

    @property
    def label(self) -> str:
        fu = f"{self.follow_ups:,} follow-ups" if self.follow_ups else "no follow-ups"
        return f"{self.source}, {fu}, {'ANALYZE' if self.stats else 'no sqlite_stat1'}"

    @property
    def ok(self) -> bool:
        return self.ours <= GOAL_S


def _set_stats(db: Path, stats: bool) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    if stats:
        conn.execute("ANALYZE")
    else:
        conn.execute("DROP TABLE IF EXISTS sqlite_stat1")
        conn.execute("DROP TABLE IF EXISTS sqlite_stat4")
    conn.close()


def _drop_follow_ups(db: Path) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("UPDATE activity SET follow_up = NULL WHERE follow_up IS NOT NULL")
    conn.close()


def measure_shape(shape: Shape, db: Path, quarter: str, runs: int, tmp: Path) -> Shape:
    period = Period.of_quarter(parse_quarter(quarter))
    as_of = parse_quarter(quarter).next().start  # a report made just after the quarter
    script = tmp / "report.sql"
    script.write_text(shell_script(db, period, period.end), encoding="utf-8")
    shape.plans = query_plans(db, period, period.end)
    shape.table_scans, shape.index_walks = scans(shape.plans)
    home = tmp / "home"
    home.mkdir(exist_ok=True)
    ours = [*verweef_command(), "--db", str(db), "report", "quarterly", "-q", quarter, "-f", "markdown"]
    ours += ["--as-of", as_of.isoformat()]
    series = interleave(
        {
            "reference": lambda: measure(["sqlite3", "-readonly", str(db), f".read {script}"]),
            "verweef": lambda: measure(ours, env=env(home)),
        },
        runs,
    )
    shape.reference, shape.ours = series["reference"].median, series["verweef"].median
    shape.spread = (series["reference"].spread, series["verweef"].spread)
    shape.peak_mb = series["verweef"].peak_mb
    from verweefcli.report.build import build_report
    from verweefcli.storage import open_store

    store = open_store(db, create=False)
    computations = []
    for _ in range(3):
        start = time.perf_counter()
        build_report(store, period, as_of=as_of)
        computations.append(time.perf_counter() - start)
    store.close()
    shape.compute = statistics.median(computations)
    return shape


def run(scale: Scale, runs: int = 5, quarter: str = "2024Q2") -> list[Shape]:
    if shutil.which("sqlite3") is None:
        raise SystemExit("the sqlite3 shell is needed as the reference (apt install sqlite3)")
    precompile()
    sources = {"imported": datasets.ensure_imported_db(scale), "generated": datasets.generated_db(scale)}
    print(f"\n== report quarterly -q {quarter} -f markdown, {scale.activities:,} activities, every shape of data")
    print(f"   {machine_line()}")
    print(f"   median of {runs} runs, reference and verweef taking turns; goal: at most {ms(GOAL_S)} end to end")
    print(
        f"   {'shape':<46} {'sqlite3 shell':>13} {'verweef':>9} {'ratio':>6} {'compute':>8} {'peak':>6}"
        f"  noise ref / verweef  goal"
    )
    shapes: list[Shape] = []
    with tempfile.TemporaryDirectory(dir=DATA, prefix="report-") as folder:
        tmp = Path(folder)
        for source, path in sources.items():
            db = copy_db(path, tmp / "shape.db")
            conn = sqlite3.connect(db)
            follow_ups = conn.execute("SELECT count(*) FROM activity WHERE follow_up IS NOT NULL").fetchone()[0]
            conn.close()
            for with_follow_ups in (True, False):
                if not with_follow_ups:
                    _drop_follow_ups(db)
                for stats in (False, True):
                    _set_stats(db, stats)
                    shape = Shape(source, follow_ups if with_follow_ups else 0, stats)
                    measure_shape(shape, db, quarter, runs, tmp)
                    shapes.append(shape)
                    print(
                        f"   {shape.label:<46} {ms(shape.reference):>13} {ms(shape.ours):>9} "
                        f"{shape.ours / shape.reference:5.2f}x {ms(shape.compute):>8} {shape.peak_mb:4.0f} MB"
                        f"  {shape.spread[0]:4.0%} / {shape.spread[1]:4.0%}       {mark(shape.ok)}"
                    )
    print("   query plans (EXPLAIN QUERY PLAN of the report's statements, with its parameters):")
    for shape in shapes:
        found = "; ".join(shape.table_scans) or "none"
        walks = f"; whole-index walks: {'; '.join(shape.index_walks)}" if shape.index_walks else ""
        print(f"   {mark(not shape.table_scans)} {shape.label:<46} SCAN of a table: {found}{walks}")
    first = shapes[0].plans
    differing = [s.label for s in shapes if s.plans != first]
    same = not differing
    print(
        f"   {mark(same)} the plans are the same in all {len(shapes)} shapes"
        + ("" if same else f" (except: {', '.join(differing)})")
    )
    return shapes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="databases of 100,000 activities instead of 1,000,000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quarter", default="2024Q2")
    args = parser.parse_args()
    shapes = run(Scale(10 if args.quick else 1), args.runs, args.quarter)
    slow = [s for s in shapes if not s.ok or s.table_scans]
    print("goals met" if not slow else f"GOALS NOT MET in {len(slow)} shape(s)")


if __name__ == "__main__":
    main()
