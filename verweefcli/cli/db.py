"""``verweef db``: where the database is and what it holds."""

from __future__ import annotations

import typer

from verweefcli.cli import options as opt
from verweefcli.cli.common import Format, console, state

app = typer.Typer(help="The database file: where it is and what it holds.", no_args_is_help=True)


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
