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
    target: Annotated[Path, typer.Argument(metavar="FILE", help="Where to write the copy.")],
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
) -> None:
    """Copy the database to FILE, consistently, even while others write to it."""
    from verweefcli.migrations import backup_to

    st = state(ctx)
    store = st.store(write=False)
    if not store.exists and not st.example:
        raise VerweefError(f"there is no database yet at {st.db_path()[0]}")
    if target.exists() and not force:
        raise VerweefError(f"{target} already exists (--force replaces it)")
    if not target.parent.is_dir():
        raise VerweefError(f"cannot write {target}: the folder {target.parent} does not exist")
    if store.path is not None and target.resolve() == store.path.resolve():
        raise VerweefError("the backup cannot replace the database itself")
    try:
        backup_to(store.conn, target)
    except OSError as exc:
        raise VerweefError(f"cannot write {target}: {exc.strerror}") from None
    say(f"Backed up to {target}.")


@app.command("check")
def check(ctx: typer.Context) -> None:
    """Check the file's integrity, foreign keys and derived facts; exit 1 if anything is wrong."""
    from verweefcli.domain.stats import check_database

    store = state(ctx).store(write=False)
    problems = check_database(store)
    if not problems:
        say("ok")
        return
    for problem in problems:
        say(problem)
    raise VerweefError(f"{len(problems)} problem(s) found")
