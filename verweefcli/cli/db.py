"""``verweef db``: where the database is and what it holds."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from verweefcli.cli import options as opt
from verweefcli.cli.common import Format, console, say, state
from verweefcli.errors import VerweefError

app = typer.Typer(no_args_is_help=True)  # its help is in verweefcli.cli.app.GROUPS


@app.command("path")
def path(ctx: typer.Context) -> None:
    """Print the path of the database file in use."""
    db_path, _origin = state(ctx).db_path()
    print(db_path)


@app.command("info")
def info(ctx: typer.Context, fmt: opt.RecordFormat = Format.table) -> None:
    """Show the schema version and how many records the database holds."""
    from verweefcli.domain.stats import database_info

    st = state(ctx)
    details = database_info(st.store(write=False))
    if not st.example:
        db_path, origin = st.db_path()
        details = {"path": str(db_path), "chosen_by": origin, **details}
    if fmt is Format.json:
        from verweefcli.render.serialize import to_json

        print(to_json(details), end="")
        return
    from rich.table import Table

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    for key, value in details.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in value.items())
        grid.add_row(key.replace("_", " "), str(value))
    console().print(grid)


@app.command("backup")
def backup(
    ctx: typer.Context,
    target: Annotated[Path, typer.Argument(metavar="FILE", help="Where to write the copy (- for standard output).")],
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
) -> None:
    """Copy the database to FILE (- for standard output), consistently, even while others write to it."""
    import os

    from verweefcli.files import Kind, plan_output
    from verweefcli.migrations import backup_to

    st = state(ctx)
    store = st.store(write=False)
    if not store.exists and not st.example:
        raise VerweefError(f"there is no database yet at {st.db_path()[0]}")
    if store.path is not None and str(target) != "-" and os.path.realpath(target) == os.path.realpath(store.path):
        raise VerweefError("the backup cannot replace the database itself")
    planned = plan_output(target, force=force)  # refused here, before the copy starts
    backup_to(store.conn, target, force=force)
    if planned.kind is Kind.STREAM:  # standard output holds the copy: the news goes to stderr
        from rich.text import Text

        from verweefcli.cli.common import err_console

        err_console().print(Text(f"Backed up to {planned.name}."))
    else:
        say(f"Backed up to {target}.")


@app.command("check")
def check(
    ctx: typer.Context,
    repair: Annotated[
        bool, typer.Option("--repair", help="Recompute every derived fact and store it (one transaction).")
    ] = False,
) -> None:
    """Check integrity, foreign keys and every derived fact; exit 1 if anything is wrong.

    Derived facts (a site's stage history, an activity's region, the date a
    contact was met, the stored coach status) are recomputed and compared with
    what is stored; each difference is listed with its record.

    Example: verweef db check --repair
    """
    from verweefcli.domain.checks import findings
    from verweefcli.domain.checks import repair as repair_all

    store = state(ctx).store(write=repair)
    problems = findings(store)
    for problem in problems:
        say(str(problem))
    if repair and problems:
        fixed = repair_all(store)
        problems = findings(store)
        say("Repaired: " + ", ".join(f"{n} {what}" for what, n in fixed.items()) + ".")
        for problem in problems:
            say(f"still: {problem}")
    if not problems:
        say("ok")
        return
    raise VerweefError(f"{len(problems)} problem(s) found" + ("" if repair else "; --repair fixes derived facts"))
