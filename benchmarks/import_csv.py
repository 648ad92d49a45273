"""CSV import speed and memory: ``verweef import activities`` against two references.

    python benchmarks/import_csv.py [--rows 1000000] [--runs 3]

One generated CSV file of activity rows (date, kind, title, region, minutes,
one site, one contact and notes, all linking to records that exist) is loaded
into copies of the same database (50,000 sites, 20,000 contacts) by:

- the floor: the sqlite3 shell, ``.import --csv`` into a new table (no
  validation, no links, no indexes);
- what a user would pick instead: ``sqlite-utils insert --csv`` into a new table;
- verweef: ``verweef import activities``, every row validated, its site,
  contact and region resolved, matched against existing activities, and
  written with its links and indexes in one transaction.

It prints the median times, the ratios, rows/s and verweef's peak memory.
Goals (issue 4): at most 3x the floor, at least 3x faster than sqlite-utils,
at most 120 MB.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import DATA, peak_rss_kib, precompile, run_timed, verweef_command
from generate import KINDS, generate

NOTES = ["Geurhinder besproken", "Vraag naar uitbreiding; zie nota", 'Buren vrezen "meer vrachtverkeer"', ""]


def make_csv(path: Path, db: Path, rows: int, seed: int = 11) -> None:
    """Activity rows that name sites and contacts of ``db`` (as a coach's spreadsheet would)."""
    import sqlite3

    conn = sqlite3.connect(db)
    sites = conn.execute(
        "SELECT s.name, r.name FROM site s JOIN region r ON r.id = s.region_id ORDER BY s.id"
    ).fetchall()
    contact_names = [r[0] for r in conn.execute("SELECT name FROM contact ORDER BY id")]
    conn.close()
    rnd = random.Random(seed)
    start = dt.date(2020, 1, 1)
    kinds = list(KINDS)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["date", "kind", "title", "region", "minutes", "sites", "contacts", "notes"])
        for i in range(1, rows + 1):
            day = start + dt.timedelta(days=i * 2500 // rows)
            site, region = rnd.choice(sites)  # an activity is in its site's region
            writer.writerow(
                [
                    day.isoformat(),
                    rnd.choice(kinds),
                    f"Activiteit {i}",
                    region,
                    rnd.choice([30, 45, 60, 90]),
                    site,
                    rnd.choice(contact_names),
                    rnd.choice(NOTES),
                ]
            )


def writes_only(base: Path, target: Path, source: Path) -> float:
    """The floor of our schema: the same rows written with their links and indexes, as the
    importer does (in batches, indexes rebuilt at the end), but with no parsing, checking
    or matching at all: the rows are built before the clock starts."""
    import sqlite3

    from verweefcli.domain.common import new_uuid

    shutil.copyfile(base, target)
    conn = sqlite3.connect(target, isolation_level=None)
    sites = dict(conn.execute("SELECT name, id FROM site").fetchall())
    contacts = dict(conn.execute("SELECT name, id FROM contact").fetchall())
    regions = dict(conn.execute("SELECT name, id FROM region").fetchall())
    activities, site_links, contact_links = [], [], []
    with source.open(encoding="utf-8", newline="") as stream:
        for i, row in enumerate(csv.DictReader(stream), start=1):
            activities.append(
                (
                    i,
                    new_uuid(),
                    row["date"],
                    row["kind"],
                    row["title"],
                    row["notes"] or None,
                    regions[row["region"]],
                    int(row["minutes"]),
                    None,
                    0,
                    "[]",
                    "t",
                    "t",
                )
            )
            site_links.append((i, sites[row["sites"]], 0, row["date"], row["kind"]))
            contact_links.append((i, contacts[row["contacts"]], 0, row["date"]))
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        "AND tbl_name IN ('activity', 'activity_site', 'activity_contact')"
    ).fetchall()
    start = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    for name, _ in indexes:
        conn.execute(f"DROP INDEX {name}")
    for at in range(0, len(activities), 5000):
        conn.executemany(
            "INSERT INTO activity (id, uuid, date, kind, title, notes, region_id, minutes, follow_up,"
            " highlight, tags, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            activities[at : at + 5000],
        )
        conn.executemany("INSERT INTO activity_site VALUES (?,?,?,?,?)", site_links[at : at + 5000])
        conn.executemany("INSERT INTO activity_contact VALUES (?,?,?,?)", contact_links[at : at + 5000])
    for _, sql in indexes:
        conn.execute(sql)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    for tool in ("sqlite3", "sqlite-utils"):
        if shutil.which(tool) is None and not Path(sys.executable).with_name(tool).exists():
            raise SystemExit(f"{tool} is needed as a reference")
    sqlite_utils = shutil.which("sqlite-utils") or str(Path(sys.executable).with_name("sqlite-utils"))
    precompile()
    base = DATA / "import-base.db"
    if not base.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        generate(base, 0, 50_000, 20_000)
    source = DATA / f"activities-{args.rows}.csv"
    if not source.exists():
        make_csv(source, base, args.rows)
    size_mb = source.stat().st_size / 1e6

    def fresh(tmp: Path, name: str, empty: bool) -> Path:
        target = tmp / name
        if empty:
            target.unlink(missing_ok=True)
        else:
            shutil.copyfile(base, target)
        return target

    times: dict[str, list[float]] = {"floor": [], "sqlite-utils": [], "verweef": []}
    with tempfile.TemporaryDirectory(dir=DATA) as folder:
        tmp = Path(folder)
        for _ in range(args.runs):
            target = fresh(tmp, "floor.db", empty=True)
            times["floor"].append(run_timed(["sqlite3", str(target), f".import --csv {source} activity_raw"])[0])
            target = fresh(tmp, "su.db", empty=True)
            times["sqlite-utils"].append(
                run_timed([sqlite_utils, "insert", str(target), "activity_raw", str(source), "--csv"])[0]
            )
            target = fresh(tmp, "verweef.db", empty=False)
            times["verweef"].append(
                run_timed([*verweef_command(), "--db", str(target), "import", "activities", str(source)])[0]
            )
        writes = writes_only(base, tmp / "writes.db", source)
        target = fresh(tmp, "verweef.db", empty=False)
        peak = peak_rss_kib([*verweef_command(), "--db", str(target), "import", "activities", str(source)])
        count = subprocess.run(
            ["sqlite3", str(target), "SELECT count(*) FROM activity"], capture_output=True, text=True
        ).stdout.strip()
    median = {name: statistics.median(values) for name, values in times.items()}
    floor, su, ours = median["floor"], median["sqlite-utils"], median["verweef"]
    print(
        f"{args.rows:,} activity rows, {size_mb:.0f} MB of CSV, median of {args.runs} runs; {count} activities imported"
    )
    print(f"floor         sqlite3 .import --csv       {floor:7.2f} s")
    print(
        f"schema floor  our writes alone (1 run)    {writes:7.2f} s   {writes / floor:4.2f}x the floor: the activity, "
        "its two links and their indexes, with nothing parsed or checked"
    )
    print(f"reference     sqlite-utils insert --csv   {su:7.2f} s")
    print(
        f"verweef       import activities           {ours:7.2f} s   {ours / floor:4.2f}x the floor (goal <= 3x), "
        f"{su / ours:4.2f}x faster than sqlite-utils (goal >= 3x), {args.rows / ours:,.0f} rows/s"
    )
    print(f"verweef peak memory {peak / 1024:.0f} MB (goal <= 120 MB)")


if __name__ == "__main__":
    main()
