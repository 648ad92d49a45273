"""Every benchmark in one go: imports of every noun at two sizes (companies, requests, nuisance
cases and measures included), the report in every shape of data with its query plans, the
one-record commands, and the full-text search (its SQL, plans, cost to a write and size);
each figure with its reference and ratio.

    python benchmarks/run_all.py            # full sizes: 20-30 minutes the first time (data is made)
    python benchmarks/run_all.py --quick    # n/10 (databases of 100,000 activities): a few minutes

Exit status 1 when a growth check fails (an import taking more than 4.5x the time for 4x
the rows), or when the drill shows the growth check would not catch the old quadratic
contact import; with ``--strict`` also when a goal is missed (the search's included; search.py
run alone exits 1 on a missed search goal). Data is made on first use and kept in
benchmarks/data/ (see datasets.py).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import imports
import report
import search
import startup
from _common import NOISE, machine_line, mark, ms
from datasets import Scale

SUITES = ("imports", "report", "commands", "search", "drill")


def report_suite(scale: Scale, args: argparse.Namespace, summary: list[str], missed: list[str]) -> None:
    shapes = report.run(scale, args.report_runs, args.quarter)
    for shape in shapes:
        summary.append(
            f"report {args.quarter} {shape.label:<46} {ms(shape.ours):>8} vs {ms(shape.reference):>7} "
            f"({shape.ours / shape.reference:4.2f}x) {mark(shape.ok)} <= 1 s; "
            f"table scans: {len(shape.table_scans)} {mark(not shape.table_scans)}"
        )
        if not shape.ok or shape.table_scans:
            missed.append(f"report: {shape.label}")
    if any(s.plans != shapes[0].plans for s in shapes):
        missed.append("report: the query plans differ between shapes")
        summary.append("report: the query plans differ between shapes ✘")


def commands_suite(scale: Scale, args: argparse.Namespace, summary: list[str], missed: list[str]) -> None:
    for result in startup.run(scale, args.command_runs):
        summary.append(
            f"command {result.label:<34} {ms(result.seconds):>7} vs {ms(result.reference):>7} "
            f"({result.ratio:4.2f}x, goal <= {result.goal:.2f}x), peak {result.peak_mb:4.1f} MB {mark(result.ok)}"
        )
        if not result.ok:
            missed.append(f"command: {result.label}")


def search_suite(scale: Scale, args: argparse.Namespace, summary: list[str], missed: list[str]) -> None:
    outcome = search.run(scale, args.search_runs, args.command_runs)
    summary += outcome.lines
    summary += [f"search: over the goal, as the worst case may be: {line}" for line in outcome.warnings]
    missed += [f"search: {line}" for line in outcome.missed]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="every noun but regions, and databases, at n/10")
    parser.add_argument("--only", default=",".join(SUITES), help=f"comma-separated, of: {', '.join(SUITES)}")
    parser.add_argument(
        "--import-runs", type=int, help="runs per import size (default by noun: regions 7, activities 3, others 5)"
    )
    parser.add_argument("--report-runs", type=int, default=5)
    parser.add_argument("--command-runs", type=int, default=20)
    parser.add_argument("--search-runs", type=int, default=5)
    parser.add_argument("--quarter", default="2024Q2")
    parser.add_argument("--strict", action="store_true", help="also exit 1 when a goal is missed")
    args = parser.parse_args()
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    unknown = only - set(SUITES)
    if unknown:
        parser.error(f"unknown suite(s): {', '.join(sorted(unknown))}")
    scale = Scale(10 if args.quick else 1)
    started = time.perf_counter()
    print(f"verweef benchmarks ({'quick' if scale.quick else 'full'} sizes); {machine_line()}")
    print(NOISE)

    summary: list[str] = []
    failures: list[str] = []
    missed: list[str] = []
    if "imports" in only:
        outcome = imports.run(scale, args.import_runs)
        summary += outcome.lines
        failures += outcome.growth_failures
        missed += outcome.goals_missed
    if "report" in only:
        report_suite(scale, args, summary, missed)
    if "commands" in only:
        commands_suite(scale, args, summary, missed)
    if "search" in only:
        search_suite(scale, args, summary, missed)
    if "drill" in only:
        caught = imports.drill()
        summary.append(f"drill: the growth check catches a quadratic contact import {mark(caught)}")
        if not caught:
            failures.append("the growth check does not catch a quadratic contact import")

    print(f"\n== summary ({(time.perf_counter() - started) / 60:.1f} min)")
    print("\n".join(summary))
    if missed:
        print(f"goals missed ({len(missed)}): " + "; ".join(missed))
    for line in failures:
        print(f"GROWTH CHECK FAILED: {line}")
    if failures or (args.strict and missed):
        sys.exit(1)
    print("growth checks passed" + ("" if missed else "; all goals met"))


if __name__ == "__main__":
    main()
