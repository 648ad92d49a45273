"""Quarterly report speed: ``verweef report quarterly`` against plain SQL in the sqlite3 shell.

    python benchmarks/report.py [--runs 5] [--quarter 2024Q2]

On a generated database of 1,000,000 activities, 50,000 sites and 20,000
contacts (benchmarks/data/big.db, made on first use), this times, as the median
of several runs of real processes:

- the reference: the sqlite3 shell running the report's own SQL statements
  (verweefcli/report/queries.py, with the same parameters) on the same file;
- verweef: the whole ``verweef report quarterly --format markdown`` command,
  start-up, Python, queries and rendering included.

It prints both, their ratio, and the in-process time of the computation alone.
Goals (issue 3): at most 1 s, and at most 3x the reference.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import DATA, ensure_big_db, median_time, precompile, verweef_command

from verweefcli.dates import Period, parse_quarter
from verweefcli.report import queries


def _literal(value: object) -> str:
    """A value for ``.parameter set``: the shell evaluates it as SQL, after removing one level of quotes."""
    if value is None:
        return "NULL"
    if isinstance(value, int):
        return str(value)
    return "\"'" + str(value).replace("'", "''") + "'\""


def shell_script(db_path: Path, period: Period, ref: dt.date) -> str:
    """The report's statements as a sqlite3 shell script, parameters bound with .parameter."""
    import sqlite3

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
    lines = [".parameter init"]
    lines += [f".parameter set :{name} {_literal(value)}" for name, value in params.items() if name != "region"]
    statements = [*queries.PROGRAMME.values(), queries.CONTACTS_FIRST_MET]
    lines += [" ".join(sql.split()) + ";" for sql in statements]
    for region_id in region_ids:
        lines.append(f".parameter set :region {region_id}")
        lines += [" ".join(sql.split()) + ";" for sql in queries.PER_REGION.values()]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quarter", default="2024Q2")
    parser.add_argument("--db", type=Path, default=DATA / "big.db")
    args = parser.parse_args()
    if shutil.which("sqlite3") is None:
        raise SystemExit("the sqlite3 shell is needed as the reference (apt install sqlite3)")
    db = ensure_big_db(args.db, 1_000_000, 50_000, 20_000)
    precompile()
    quarter = parse_quarter(args.quarter)
    period = Period.of_quarter(quarter)
    as_of = quarter.next().start  # a report made just after the quarter
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as script:
        script.write(shell_script(db, period, period.end))
    reference = median_time(["sqlite3", "-readonly", str(db), f".read {script.name}"], args.runs)
    ours = median_time(
        [
            *verweef_command(),
            "--db",
            str(db),
            "report",
            "quarterly",
            "-q",
            args.quarter,
            "-f",
            "markdown",
            "--as-of",
            as_of.isoformat(),
        ],
        args.runs,
    )
    from verweefcli.report.build import build_report
    from verweefcli.storage import open_store

    store = open_store(db, create=False)
    computations = []
    for _ in range(args.runs):
        start = time.perf_counter()
        build_report(store, period, as_of=as_of)
        computations.append(time.perf_counter() - start)
    store.close()
    compute = statistics.median(computations)
    print(f"database: {db} ({db.stat().st_size / 1e6:.0f} MB), quarter {args.quarter}, median of {args.runs} runs")
    print(f"reference  sqlite3 shell, same statements     {reference * 1000:7.0f} ms")
    print(
        f"verweef    report quarterly --format markdown {ours * 1000:7.0f} ms   {ours / reference:4.2f}x reference "
        f"(goal <= 3x, <= 1000 ms)"
    )
    print(f"           of which the computation (in process) {compute * 1000:5.0f} ms")
    ok = ours <= 1.0 and ours / reference <= 3.0
    print("goals met" if ok else "GOALS NOT MET")


if __name__ == "__main__":
    main()
