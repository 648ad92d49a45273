"""The ``verweef`` command: global options, the sub-commands, one exit point.

Keep imports here minimal: every command pays for them at start-up.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from verweefcli import __version__
from verweefcli.cli import activity, config, contact, db, examples, region, report, site, transfer, visit
from verweefcli.cli.common import State, err_console, reset_consoles, state
from verweefcli.errors import VerweefError

INTERNAL_ERROR = 3


class VerweefGroup(TyperGroup):
    """Maps every error of a command to one line on stderr and an exit code."""

    def invoke(self, ctx: Any) -> Any:
        reset_consoles()
        try:
            return super().invoke(ctx)
        except VerweefError as exc:
            fail(str(exc), exc.exit_code)
        except sqlite3.Error as exc:
            if os.environ.get("VERWEEF_DEBUG"):
                raise
            from verweefcli.storage import describe_database_error

            st = ctx.obj if isinstance(ctx.obj, State) else None
            path = st._store.path if st is not None and st._store is not None else None
            fail(str(describe_database_error(exc, path)), 1)
        except (typer.Exit, typer.Abort, KeyboardInterrupt, EOFError):
            raise
        except Exception as exc:
            if os.environ.get("VERWEEF_DEBUG") or getattr(exc, "exit_code", None) is not None:
                raise
            fail(
                f"internal error: {type(exc).__name__}: {exc} (run with VERWEEF_DEBUG=1 for details)",
                INTERNAL_ERROR,
            )
        finally:
            if isinstance(ctx.obj, State):
                ctx.obj.close()


def fail(message: str, code: int) -> None:
    if os.environ.get("VERWEEF_DEBUG") and sys.exc_info()[0] is not None:
        raise
    from rich.text import Text

    err_console().print(Text("Error: ", style="bold red") + Text(message))
    raise typer.Exit(code)


app = typer.Typer(
    cls=VerweefGroup,
    name="verweef",
    help="Follow the work of verweefcoaches: regions, sites, contacts, activities and the quarterly report.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        print(f"verweef {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    db_path: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="PATH",
            help="Database file (default: $VERWEEF_DB, then 'db:' in the config file, then the user data folder).",
        ),
    ] = None,
    example: Annotated[
        bool,
        typer.Option(
            "--example",
            help="Work on a temporary copy of the shipped example data (nothing is saved).",
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    st = state(ctx)
    st.db = db_path
    st.example = example


app.add_typer(region.app, name="region")
app.add_typer(site.app, name="site")
app.add_typer(contact.app, name="contact")
app.add_typer(activity.app, name="activity")
app.add_typer(visit.app, name="visit")
app.add_typer(report.app, name="report")
app.command("import")(transfer.import_command)
app.command("export")(transfer.export_command)
app.add_typer(db.app, name="db")
app.add_typer(config.app, name="config")
app.add_typer(examples.app, name="examples")


def main() -> None:
    app(prog_name="verweef")
