"""CSV import of every noun at two sizes: speed against ``sqlite3 .import``, memory, growth.

    python benchmarks/imports.py [--quick] [--runs N] [--nouns regions,sites,contacts,activities,...]

For every noun (regions, sites, contacts, activities, companies, requests,
nuisance, measures), generated CSV files of n and 4n rows (see datasets.py and
csvdata.py: Dutch and French names and accents, Flemish municipalities, Belgian
``;`` files for sites, contacts, companies and nuisance cases, every contact with
an e-mail address, every activity naming an existing site, its region and an
existing contact, every company a valid enterprise number and existing sites and
contacts, requests and cases existing companies, measures existing cases, moves
in date order) are imported with ``verweef import NOUN FILE`` into the database a
user would have at that point (regions: a new one; sites and contacts: one with
the regions imported; activities and companies: one with the regions, 50,000
sites and 20,000 contacts imported; requests and nuisance cases: that one with
10,000 companies imported too; measures: that one with 10,000 nuisance cases too).
Activities are measured twice: into the database issue 10 measured its goal on
(5,000 sites, 20,000 contacts), where the goal is judged, and into the one with
50,000 sites, for comparison (a bulk import recomputes the stage history of every
site it touches: 49,000 there, 5,000 here).

The reference, the floor, is the sqlite3 shell loading the very same file into a
new table of a new database (``.import --csv``; ``.mode csv`` + ``.separator ;``
for the ``;`` files): no checks, no links, no indexes. Each size is run several
times, verweef and the floor taking turns, and the medians are compared; peak
memory is GNU time's ``%M`` (the largest of the runs).

**Growth check.** Time must not grow more than 4.5x for 4x the rows. The time
compared is what the import costs beyond its fixed part (start-up, opening or
creating the database): the median wall time minus that of importing the file's
first row alone. When that is under half a second at n rows (regions), noise
would decide, so the import's own time as it reports it (``--summary json``:
``seconds``) is compared instead. A failed check prints a line starting with
``GROWTH CHECK FAILED`` and the script exits with status 1.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import statistics
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import datasets
from _common import DATA, Run, Series, copy_db, interleave, machine_line, mark, measure, precompile, verweef_command
from datasets import FORMATS, HOME, Scale, env

NOUNS = ("regions", "sites", "contacts", "activities", "companies", "requests", "nuisance", "measures")
GROWTH_LIMIT = 4.5
#: below this, the wall time beyond start-up is too small to compare (noise decides)
WALL_JUDGED_FROM = 0.5
#: the issue's goals for activities
ACTIVITY_RATIO_GOAL, ACTIVITY_RATIO_BAR, ACTIVITY_PEAK_GOAL_MB = 9.0, 10.0, 64.0
RUNS = {
    "regions": 7,
    "sites": 5,
    "contacts": 5,
    "activities": 3,
    "companies": 5,
    "requests": 5,
    "nuisance": 5,
    "measures": 5,
}
# verweef with a larger SQLite page cache on its connections: a diagnosis (--sqlite-cache-mib), not a setting
CACHE_WRAPPER = """
import sys
from verweefcli import storage
_connect = storage._connect
def _cached(target, *, uri=False):
    conn = _connect(target, uri=uri)
    conn.execute("PRAGMA cache_size = -KIB")
    return conn
storage._connect = _cached
from verweefcli.cli.app import main
sys.argv[0] = "verweef"
main()
"""


@dataclass
class Size:
    rows: int
    file: Path
    floor: Series = field(default_factory=Series)
    ours: Series = field(default_factory=Series)
    own: list[float] = field(default_factory=list)  # the import's own seconds (--summary json)

    @property
    def own_median(self) -> float:
        return statistics.median(self.own)


@dataclass
class Outcome:
    """What one suite found: lines for the summary, and whether a growth check failed."""

    lines: list[str] = field(default_factory=list)
    growth_failures: list[str] = field(default_factory=list)
    goals_missed: list[str] = field(default_factory=list)


def floor_argv(db: Path, source: Path, delimiter: str) -> list[str]:
    if delimiter == ",":
        return ["sqlite3", str(db), f'.import --csv "{source}" raw']
    return ["sqlite3", str(db), ".mode csv", f".separator {delimiter}", f'.import "{source}" raw']


def target_template(noun: str, scale: Scale) -> Path | None:
    """The database the file goes into, as a user has it at that point (None: a new one)."""
    if noun == "regions":
        return None
    if noun in ("sites", "contacts"):
        return datasets.base_regions_db()
    if noun in datasets.NAMING:
        return datasets.NAMING[noun][0](scale)
    return datasets.base_db(scale)


class NounBench:
    """One noun at its sizes: the runs, the table of figures, the growth check and the goals."""

    def __init__(
        self,
        noun: str,
        scale: Scale,
        tmp: Path,
        *,
        drop_index: str | None = None,
        cache_mib: int | None = None,
        goal_shape: bool = False,
    ) -> None:
        self.noun, self.scale, self.tmp, self.drop_index, self.cache_mib = noun, scale, tmp, drop_index, cache_mib
        #: activities into issue 10's shape (5,000 sites), where their goal is judged
        self.goal_shape = goal_shape
        _, self.delimiter, self.described = FORMATS[noun]
        self.small, self.large = scale.sizes(noun)
        rows = sorted({self.small, self.large, *scale.extra(noun)})
        self.template = datasets.goal_base_db(scale) if goal_shape else target_template(noun, scale)
        base = self.template if goal_shape else None
        self.sizes = {n: Size(n, datasets.noun_file(noun, n, scale, base)) for n in rows}
        first = datasets.first_row_file(noun, self.sizes[self.small].file, tmp / f"{noun}-first-row.csv")
        self.one = Size(1, first)
        self.home = tmp / "home"
        self.home.mkdir(exist_ok=True)

    def floor_step(self, size: Size) -> Callable[[], Run]:
        def step() -> Run:
            db = self.tmp / "floor.db"
            db.unlink(missing_ok=True)
            return measure(floor_argv(db, size.file, self.delimiter))

        return step

    def our_step(self, size: Size) -> Callable[[], Run]:
        def step() -> Run:
            target = self.fresh_target()
            argv = [*self.command(), "--db", str(target), "import", self.noun, str(size.file), "--summary", "json"]
            run = measure(argv, env=env(self.home))
            summary = json.loads(run.stdout)
            if summary["inserted"] != size.rows or summary["rejected"]:
                raise SystemExit(f"FAILED: {self.noun} {size.file.name}: {summary['inserted']} of {size.rows} inserted")
            size.own.append(float(summary["seconds"]))
            if self.noun == "activities" and size.rows == self.scale.activities and not self.goal_shape:
                datasets.keep_as(target, datasets.imported_db(self.scale))  # the report's database
            return run

        return step

    def command(self) -> list[str]:
        """verweef, or (a diagnosis) verweef whose connections get a SQLite page cache of ``cache_mib``."""
        if self.cache_mib is None:
            return verweef_command()
        wrapper = self.tmp / "verweef_cache.py"
        wrapper.write_text(CACHE_WRAPPER.replace("KIB", str(self.cache_mib * 1024)), encoding="utf-8")
        return [sys.executable, str(wrapper)]

    def fresh_target(self) -> Path:
        """A copy of the database the file goes into (outside the clock)."""
        target = self.tmp / "target.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        if self.template is not None:
            copy_db(self.template, target)
        if self.drop_index is not None:
            conn = sqlite3.connect(target)
            conn.execute(f"DROP INDEX {self.drop_index}")
            conn.close()
        return target

    def run(self, runs: int) -> None:
        everything = (self.one, *self.sizes.values())
        steps: dict[str, Callable[[], Run]] = {}
        for size in everything:
            steps[f"floor {size.rows}"] = self.floor_step(size)
            steps[f"ours {size.rows}"] = self.our_step(size)
        steps["floor 1"]()  # warm up: caches, .pyc files, the first process of its kind
        steps["ours 1"]()
        self.one.own.clear()
        series = interleave(steps, runs, warmup=0)
        for size in everything:
            size.floor, size.ours = series[f"floor {size.rows}"], series[f"ours {size.rows}"]
        self.print_table(runs)

    def where(self) -> str:
        if self.template is None:
            where = "a new database"
        elif self.noun in ("sites", "contacts"):
            where = "a database with 12 regions imported"
        else:
            sites = self.scale.goal_sites if self.goal_shape else self.scale.base_sites
            where = f"a database with 12 regions, {sites:,} sites, {self.scale.base_contacts:,} contacts imported"
            if self.noun == "activities":
                where += " (issue 10's shape: the goal)" if self.goal_shape else " (10x the sites: for comparison)"
            if self.noun in ("requests", "nuisance", "measures"):
                where = where.removesuffix(" imported") + f", {self.scale.base_companies:,} companies imported"
            if self.noun == "measures":
                where = where.removesuffix(" imported") + f", {self.scale.base_cases:,} nuisance cases imported"
        if self.drop_index is not None:
            where += f" WITHOUT ITS INDEX {self.drop_index} (regression drill)"
        if self.cache_mib is not None:
            where += f"; DIAGNOSIS: verweef run with a SQLite page cache of {self.cache_mib} MiB"
        return where

    def print_table(self, runs: int) -> None:
        plural = "s" if runs > 1 else ""
        print(f"\n{self.noun}: {self.described}; into {self.where()}; median of {runs} run{plural}, interleaved")
        print(
            f"  {'rows':>9}  {'CSV':>7}  {'sqlite3 .import':>15}  {'verweef import':>14}  {'ratio':>6}  "
            f"{'rows/s':>8}  {'own time':>8}  {'peak':>8}  noise floor / verweef"
        )
        for size in (self.one, *self.sizes.values()):
            f, o = size.floor, size.ours
            rate = f"{size.rows / o.median:8,.0f}" if size.rows > 1 else f"{'':>8}"
            label = f"{size.rows:>9,}" if size.rows > 1 else f"{'1st row':>9}"
            print(
                f"  {label}  {size.file.stat().st_size / 1e6:5.1f} MB  {f.median:13.3f} s  {o.median:12.3f} s  "
                f"{o.median / f.median:5.1f}x  {rate}  {size.own_median:6.3f} s  {o.peak_mb:5.1f} MB  "
                f"{f.spread:4.0%} / {o.spread:4.0%}"
            )

    def check_growth(self, outcome: Outcome) -> None:
        first, last, fixed = self.sizes[self.small], self.sizes[self.large], self.one.ours.median
        factor = self.large // self.small
        wall = last.ours.median / first.ours.median
        net_small, net_large = first.ours.median - fixed, last.ours.median - fixed
        net = net_large / net_small if net_small > 0 else float("inf")
        own = last.own_median / first.own_median
        judged, by = (net, "wall time beyond start-up") if net_small >= WALL_JUDGED_FROM else (own, "own time")
        ok = judged <= GROWTH_LIMIT
        beyond = f"{net:.2f}x" if net_small >= WALL_JUDGED_FROM else f"too small to judge ({net_small:.3f} s at n)"
        print(
            f"  growth for {factor}x the rows: wall {wall:.2f}x, beyond start-up ({fixed:.2f} s) {beyond}, "
            f"own time {own:.2f}x; judged on {by}: {judged:.2f}x {mark(ok)} (limit {GROWTH_LIMIT}x)"
        )
        outcome.lines.append(
            f"import {self.noun:<10} {self.small:>9,} / {self.large:>9,} rows: "
            f"{first.ours.median:7.2f} / {last.ours.median:7.2f} s, "
            f"{first.ours.median / first.floor.median:5.1f}x / {last.ours.median / last.floor.median:5.1f}x .import, "
            f"peak {max(first.ours.peak_mb, last.ours.peak_mb):5.1f} MB, growth {judged:.2f}x {mark(ok)}"
        )
        if not ok:
            line = (
                f"import {self.noun}: {judged:.2f}x the time ({by}) for {factor}x the rows "
                f"({self.small:,} -> {self.large:,}); limit {GROWTH_LIMIT}x: the time grows faster than the rows"
            )
            drill = self.drop_index is not None
            print(f"  drill, as expected: growth check failed: {line}" if drill else f"GROWTH CHECK FAILED: {line}")
            outcome.growth_failures.append(line)

    def first_search(self, outcome: Outcome) -> None:
        """A bulk import leaves the search index of its activities for the first search: what that
        search costs after the largest import, and the one after it (one run each)."""
        size = self.sizes[self.large]
        target = self.fresh_target()
        measure([*self.command(), "--db", str(target), "import", self.noun, str(size.file)], env=env(self.home))
        search = [*self.command(), "--db", str(target), "search", "geur", "-f", "json"]
        first, then = measure(search, env=env(self.home)), measure(search, env=env(self.home))
        line = (
            f"search after importing {size.rows:,} activities: the first {first.seconds:.2f} s (writes their index), "
            f"the next {then.seconds * 1000:.0f} ms"
        )
        print(f"  {line}")
        outcome.lines.append(f"  {line}")

    def activity_goals(self, outcome: Outcome) -> None:
        """The goal, judged in issue 10's shape; in the other, the same figures for comparison."""
        for size in self.sizes.values():
            # judged as printed: the ratio to 0.1, memory to 0.1 MB
            ratio, peak = round(size.ours.median / size.floor.median, 1), round(size.ours.peak_mb, 1)
            goal = (
                f"activities {size.rows:,}: {ratio:.1f}x .import (goal <= {ACTIVITY_RATIO_GOAL:.0f}x, "
                f"bar {ACTIVITY_RATIO_BAR:.0f}x) {mark(ratio <= ACTIVITY_RATIO_GOAL)}, "
                f"peak {peak:.1f} MB (goal <= {ACTIVITY_PEAK_GOAL_MB:.0f} MB) {mark(peak <= ACTIVITY_PEAK_GOAL_MB)}"
            )
            if not self.goal_shape:
                goal = f"{goal} (not judged: {self.scale.base_sites:,} sites)"
            print(f"  {goal}")
            outcome.lines.append(f"  {goal}")
            if self.goal_shape and (ratio > ACTIVITY_RATIO_GOAL or peak > ACTIVITY_PEAK_GOAL_MB):
                outcome.goals_missed.append(goal)


def bench_noun(
    noun: str,
    scale: Scale,
    runs: int,
    tmp: Path,
    outcome: Outcome,
    *,
    drop_index: str | None = None,
    cache_mib: int | None = None,
) -> None:
    """Measure one noun; ``drop_index`` removes an index from each target first (a regression drill)."""
    shapes = (True, False) if noun == "activities" and drop_index is None else (False,)
    for goal_shape in shapes:
        bench = NounBench(noun, scale, tmp, drop_index=drop_index, cache_mib=cache_mib, goal_shape=goal_shape)
        bench.run(runs)
        bench.check_growth(outcome)
        if noun == "activities":
            bench.activity_goals(outcome)
            if goal_shape:
                bench.first_search(outcome)


def drill(runs: int = 1) -> bool:
    """Put back the old quadratic contact import (the e-mail lookup scanning the table, as without
    the ``contact_email`` index) at 2,000 and 8,000 contacts: the growth check must fail."""
    outcome = Outcome()
    print("\n== drill: does the growth check catch a quadratic import? (contacts, e-mail index dropped)")
    with tempfile.TemporaryDirectory(dir=DATA, prefix="drill-") as folder:
        bench_noun("contacts", Scale(10), runs, Path(folder), outcome, drop_index="contact_email")
    caught = bool(outcome.growth_failures)
    print(f"   {mark(caught)} the growth check {'catches' if caught else 'DOES NOT CATCH'} the quadratic import")
    return caught


def run(scale: Scale, runs: int | None = None, nouns: tuple[str, ...] = NOUNS, cache_mib: int | None = None) -> Outcome:
    if shutil.which("sqlite3") is None:
        raise SystemExit("the sqlite3 shell is needed as the reference (apt install sqlite3)")
    precompile()
    outcome = Outcome()
    print(f"== CSV import: every noun at n and 4n rows ({'quick' if scale.quick else 'full'} sizes)")
    print(f"   {machine_line()}")
    HOME.mkdir(parents=True, exist_ok=True)
    for noun in nouns:  # make the data first, outside every measurement
        for rows in (*scale.sizes(noun), *scale.extra(noun)):
            datasets.noun_file(noun, rows, scale)
            if noun == "activities":
                datasets.noun_file(noun, rows, scale, datasets.goal_base_db(scale))
    with tempfile.TemporaryDirectory(dir=DATA, prefix="imports-") as folder:
        for noun in nouns:
            bench_noun(noun, scale, runs or RUNS[noun], Path(folder), outcome, cache_mib=cache_mib)
    print(f"   after: {machine_line().split(';')[0]}")
    return outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="every noun but regions at n/10")
    parser.add_argument("--runs", type=int, help="runs per size (default: 7 regions, 3 activities, 5 every other noun)")
    parser.add_argument("--nouns", default=",".join(NOUNS), help=f"comma-separated, of: {', '.join(NOUNS)}")
    parser.add_argument(
        "--sqlite-cache-mib",
        type=int,
        help="diagnosis: run verweef with this SQLite page cache (PRAGMA cache_size) instead of SQLite's 2 MB",
    )
    args = parser.parse_args()
    nouns = tuple(n.strip() for n in args.nouns.split(",") if n.strip())
    unknown = [n for n in nouns if n not in NOUNS]
    if unknown:
        parser.error(f"unknown noun(s): {', '.join(unknown)} (known: {', '.join(NOUNS)})")
    outcome = run(Scale(10 if args.quick else 1), args.runs, nouns, args.sqlite_cache_mib)
    print()
    print("\n".join(outcome.lines))
    if outcome.growth_failures:
        sys.exit(1)


if __name__ == "__main__":
    main()
