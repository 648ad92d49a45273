"""``verweef examples``: the shipped example data."""

from __future__ import annotations

import typer

from verweefcli.cli.common import out, say, state

app = typer.Typer(no_args_is_help=True, add_completion=False)  # its help is in verweefcli.cli.app.GROUPS


@app.command("load")
def load(ctx: typer.Context) -> None:
    """Load the example regions, sites, contacts, activities, companies, requests and nuisance cases.

    Into an empty database: the examples' regions must not be there yet.

    Example: verweef --db voorbeeld.db examples load
    """
    from verweefcli.examples import load_example

    st = state(ctx)
    counts = load_example(st.store(write=True))
    where = "the example database" if st.example else str(st.db_path()[0])
    summary = ", ".join(f"{n} {what}" for what, n in counts.items())
    say(f"Loaded {summary} into {where}.")


@app.command("path")
def path() -> None:
    """Print where the example data file is.

    Example: verweef examples path
    """
    from verweefcli.examples import example_path

    out(f"{example_path()}\n")
