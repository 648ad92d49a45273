"""One-record commands and start-up, against a minimal Typer app.

    python benchmarks/startup.py [--quick] [--runs 20]

The reference is generated here: a Typer app with the same command groups
and commands as verweef, each doing nothing, except that it prints a 20-row
rich table. Measured as real processes, median of several runs taking turns,
peak memory with GNU time:

- ``verweef --help`` against the reference's ``--help`` (goal: at most 1.10x);
- ``verweef visit add SITE``, ``verweef site show SITE`` and ``verweef site list
  --limit 20``, on the two databases of 1,000,000 activities (one imported with
  ``verweef import``, one written by generate.py; see datasets.py) and on the
  small example database, against the reference's table command (goal: at most
  1.15x, and no slowdown with size);
- peak memory of those commands (goal: at most 45 MB).
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import datasets
from _common import DATA, copy_db, interleave, machine_line, mark, measure, ms, precompile, verweef_command
from datasets import Scale, env

HELP_GOAL, COMMAND_GOAL, PEAK_GOAL_MB = 1.10, 1.15, 45.0


REFERENCE = """
import typer

app = typer.Typer(no_args_is_help=True)


def table() -> None:
    from rich.console import Console
    from rich.table import Table

    t = Table()
    for column in ("#", "Site", "Municipality", "Region", "Kind", "Stage", "Tags"):
        t.add_column(column)
    for i in range(20):
        t.add_row(str(i), f"Site {i} Noord", "Gemeente 4", "Gent", "company-site", "visited", "geur, groei")
    Console().print(t)


def noop(name: str = "", n: int = 0) -> None:
    pass


{commands}

if __name__ == "__main__":
    app()
"""


def command_tree() -> dict[str, list[str]]:
    """verweef's groups and their commands ('' holds the top-level commands)."""
    import typer.main

    from verweefcli.cli.app import app

    root = typer.main.get_command(app)
    context = root.make_context("verweef", [], resilient_parsing=True)
    tree: dict[str, list[str]] = {"": []}
    for name in root.list_commands(context):  # type: ignore[attr-defined]
        command = root.get_command(context, name)  # type: ignore[attr-defined]
        if hasattr(command, "list_commands"):
            tree[name] = list(command.list_commands(context))
        else:
            tree[""].append(name)
    return tree


def reference_source(tree: dict[str, list[str]]) -> str:
    lines = []
    for group, commands in tree.items():
        target = "app"
        if group:
            target = f"group_{group.replace('-', '_')}"
            lines.append(f"{target} = typer.Typer()")
            lines.append(f"app.add_typer({target}, name={group!r})")
        for command in commands:
            body = "table" if (group, command) == ("site", "list") else "noop"
            lines.append(f"{target}.command({command!r})({body})")
    return REFERENCE.replace("{commands}", "\n".join(lines))


@dataclass
class Result:
    label: str
    seconds: float
    reference: float
    goal: float
    peak_mb: float
    spread: float

    @property
    def ratio(self) -> float:
        return self.seconds / self.reference

    @property
    def ok(self) -> bool:  # judged as printed: a ratio to 2 decimals, memory to 0.1 MB
        return round(self.ratio, 2) <= self.goal and round(self.peak_mb, 1) <= PEAK_GOAL_MB


def run(scale: Scale, runs: int = 20) -> list[Result]:
    precompile()
    databases = {"imported": datasets.ensure_imported_db(scale), "generated": datasets.generated_db(scale)}
    tree = command_tree()
    count = sum(len(c) for c in tree.values())
    with tempfile.TemporaryDirectory(dir=DATA, prefix="startup-") as folder:
        tmp = Path(folder)
        reference = tmp / "reference.py"
        reference.write_text(reference_source(tree), encoding="utf-8")
        ref = [sys.executable, str(reference)]
        home = tmp / "home"
        home.mkdir()
        copies = {name: copy_db(path, tmp / f"{name}.db") for name, path in databases.items()}
        copies["small"] = tmp / "small.db"
        measure([*verweef_command(), "--db", str(copies["small"]), "examples", "load"], env=env(home))
        sites = {"small": "Brouwerij De Zwaan"}
        for name in databases:
            conn = sqlite3.connect(copies[name])
            sites[name] = conn.execute("SELECT name FROM site ORDER BY id LIMIT 1").fetchone()[0]
            conn.close()

        def ours(which: str, command: str) -> list[str]:
            base = [*verweef_command(), "--db", str(copies[which])]
            if command == "visit add":
                return [*base, "visit", "add", sites[which], "--notes", "benchmark", "--minutes", "30"]
            if command == "site show":
                return [*base, "site", "show", sites[which]]
            return [*base, "site", "list", "--limit", "20"]

        commands = {
            "reference --help": [*ref, "--help"],
            "--help": [*verweef_command(), "--help"],
            "reference table": [*ref, "site", "list"],
        }
        for command in ("visit add", "site show", "site list --limit 20"):
            for which in ("small", *databases):
                commands[f"{command} ({which})"] = ours(which, command)
        series = interleave(
            {label: (lambda argv=argv: measure(argv, env=env(home))) for label, argv in commands.items()}, runs
        )
    ref_help, ref_table = series["reference --help"].median, series["reference table"].median
    results = [
        Result(
            "--help", series["--help"].median, ref_help, HELP_GOAL, series["--help"].peak_mb, series["--help"].spread
        )
    ]
    for label in list(commands)[3:]:
        s = series[label]
        results.append(Result(label, s.median, ref_table, COMMAND_GOAL, s.peak_mb, s.spread))
    print(f"\n== one-record commands and start-up ({scale.activities:,}-activity databases and the example one)")
    print(f"   {machine_line()}")
    print(
        f"   {count} commands; median of {runs} runs, all commands taking turns; reference (minimal Typer app): "
        f"--help {ms(ref_help)} (noise {series['reference --help'].spread:.0%}), "
        f"table command {ms(ref_table)} (noise {series['reference table'].spread:.0%})"
    )
    for r in results:
        print(
            f"   {r.label:<34} {ms(r.seconds):>7}  reference {ms(r.reference):>7}  "
            f"{r.ratio:4.2f}x (goal <= {r.goal:.2f}x)"
            f"  peak {r.peak_mb:4.1f} MB (goal <= {PEAK_GOAL_MB:.0f} MB)  noise {r.spread:4.0%}  {mark(r.ok)}"
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="databases of 100,000 activities instead of 1,000,000")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    results = run(Scale(10 if args.quick else 1), args.runs)
    missed = [r for r in results if not r.ok]
    print("goals met" if not missed else f"GOALS NOT MET by {len(missed)} command(s)")


if __name__ == "__main__":
    main()
