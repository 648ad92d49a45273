"""Start-up time and memory of everyday commands, against a minimal Typer app.

    python benchmarks/startup.py [--runs 20]

The reference is generated here: a Typer app with the same command groups
and commands as verweef, each doing nothing, except that it prints a 20-row
rich table. Measured as real processes, median of several runs, peak memory
with GNU time:

- ``verweef --help`` against the reference's ``--help`` (goal: at most 1.10x);
- ``verweef visit add`` and ``verweef site list --limit 20``, on a database of
  1,000,000 activities and on the small example database, against the
  reference's table command (goal: at most 1.15x, and no slowdown with size);
- peak memory of those commands (goal: at most 45 MB).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import DATA, ensure_big_db, peak_rss_kib, precompile, run_timed, verweef_command

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


def interleaved(commands: dict[str, list[str]], runs: int, env: dict[str, str]) -> dict[str, float]:
    """Median time of each command, the commands taking turns (a slow moment hits them all alike)."""
    for argv in commands.values():  # warm up: file caches, and a first migration of a copied file
        run_timed(argv, env=env)
    samples: dict[str, list[float]] = {label: [] for label in commands}
    for _ in range(runs):
        for label, argv in commands.items():
            samples[label].append(run_timed(argv, env=env)[0])
    return {label: statistics.median(values) for label, values in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    precompile()
    big = ensure_big_db(DATA / "big.db", 1_000_000, 50_000, 20_000)
    tree = command_tree()
    count = sum(len(c) for c in tree.values())
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        reference = tmp / "reference.py"
        reference.write_text(reference_source(tree), encoding="utf-8")
        ref = [sys.executable, str(reference)]
        big_copy = tmp / "big.db"
        shutil.copyfile(big, big_copy)
        small = tmp / "small.db"
        run_timed([*verweef_command(), "--db", str(small), "examples", "load"])
        env = {"VERWEEF_HOME": str(tmp), "COLUMNS": "120"}
        import sqlite3

        conn = sqlite3.connect(big_copy)
        site = {
            "big": conn.execute("SELECT name FROM site ORDER BY id LIMIT 1").fetchone()[0],
            "small": "Brouwerij De Zwaan",
        }
        conn.close()

        def ours(db: Path, which: str, command: str) -> list[str]:
            base = [*verweef_command(), "--db", str(db)]
            if command == "visit":
                return [*base, "visit", "add", site[which], "--notes", "benchmark", "--minutes", "30"]
            return [*base, "site", "list", "--limit", "20"]

        commands = {
            "reference --help": [*ref, "--help"],
            "--help": [*verweef_command(), "--help"],
            "reference table": [*ref, "site", "list"],
        }
        for which, db in (("big", big_copy), ("small", small)):
            for command in ("visit", "site list"):
                commands[f"{command} ({which} db)"] = ours(db, which, command)
        times = interleaved(commands, args.runs, env)
        ref_help, ref_table = times["reference --help"], times["reference table"]
        results = [("--help", times["--help"], ref_help, 1.10, peak_rss_kib(commands["--help"], env))]
        for label in list(commands)[3:]:
            results.append((label, times[label], ref_table, 1.15, peak_rss_kib(commands[label], env)))
    print(
        f"{count} commands; median of {args.runs} runs; reference --help {ref_help * 1000:.0f} ms, "
        f"reference table command {ref_table * 1000:.0f} ms"
    )
    for label, seconds, reference_time, goal, peak in results:
        ratio = seconds / reference_time
        print(
            f"{label:<24} {seconds * 1000:6.0f} ms  {ratio:4.2f}x reference (goal <= {goal:.2f}x)  "
            f"peak {peak / 1024:5.1f} MB (goal <= 45 MB)"
        )


if __name__ == "__main__":
    main()
