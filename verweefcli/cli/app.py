"""The ``verweef`` command: global options, the sub-commands, one exit point.

Keep imports here minimal: every command pays for them at start-up.
"""

from __future__ import annotations

import os
import sys
import warnings
from typing import Annotated, Any

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup

from verweefcli import __version__
from verweefcli.cli.common import State, err_console, out, reset_consoles, state
from verweefcli.errors import VerweefError

INTERNAL_ERROR = 3
_python_show_warning = warnings.showwarning


# The command groups, each built only when it is used: Typer reads every option
# of every command it builds, which would cost every start-up ~30 ms.
GROUPS = {
    "region": ("verweefcli.cli.region", "Regions and their verweefcoach."),
    "site": ("verweefcli.cli.site", "Sites: company sites, buildings and zones, and their stage."),
    "contact": ("verweefcli.cli.contact", "Contacts: the people a coach works with (personal data)."),
    "company": ("verweefcli.cli.company", "Companies: enterprise number, sector, site and the people who work there."),
    "request": ("verweefcli.cli.request", "Company requests: from received to closed, with an outcome."),
    "nuisance": ("verweefcli.cli.nuisance", "Nuisance cases (hinder) at a site, open until closed with a result."),
    "measure": ("verweefcli.cli.measure", "Measures against nuisance: proposed, agreed, implemented, evaluated."),
    "activity": ("verweefcli.cli.activity", "Activities: dossier study, meetings, visits, plan reviews, requests..."),
    "visit": ("verweefcli.cli.visit", "Site visits (activities of kind 'visit')."),
    "report": ("verweefcli.cli.report", "Reports: where do we stand?"),
    "db": ("verweefcli.cli.db", "The database file: where it is, what it holds, backups and checks."),
    "config": ("verweefcli.cli.config", "The config file: defaults and extra vocabulary terms."),
    "examples": ("verweefcli.cli.examples", "The shipped example data (the 2020 'stand van zaken')."),
}

# An example for each group's --help (the root's list shows only the first line).
GROUP_EXAMPLES = {
    "region": "verweef region show Gent",
    "site": "verweef site list --region Gent --stage identified",
    "contact": 'verweef contact list --site "Brouwerij De Zwaan"',
    "company": 'verweef company show "Brouwerij De Zwaan"',
    "request": 'verweef request add "Brouwerij De Zwaan" --type expansion --space-m2 800',
    "nuisance": 'verweef nuisance add "Brouwerij De Zwaan" --type smell --severity 3',
    "measure": 'verweef measure add 3 --kind technical --owner "Brouwerij De Zwaan" --due +1m',
    "activity": "verweef activity list --region Gent --quarter 2026Q2",
    "visit": 'verweef visit add "Brouwerij De Zwaan" --contact "An Peeters" --minutes 90',
    "report": "verweef report quarterly --quarter 2026Q2 -o verslag.md",
    "db": "verweef db info",
    "config": "verweef config show",
    "examples": "verweef examples load",
}


class _NamedArgument(TyperArgument):
    """An argument whose metavar names it (SITE, FILE): no type beside it in --help.

    (Typer shows an argument's type even when it has a metavar, and has no setting for that.)
    """

    def display_type_rich(self, ctx: Any) -> str | None:  # noqa: ARG002 - Typer passes ctx by keyword
        return None


def plain_help(params: list[Any]) -> list[Any]:
    """Show ``params`` in --help as Click does: a flag without a type, an argument by its metavar.

    Typer 0.29 writes a type for every parameter (``<str>``, ``<bool>``,
    ``<list[str]>``); verweef's options name their values with ``metavar=``
    (TEXT, DATE, SITE...), and this removes the types left: those of flags
    (``--help`` included) and of arguments.
    """
    for param in params:
        if isinstance(param, TyperArgument):
            if param.metavar and type(param) is TyperArgument:
                param.__class__ = _NamedArgument
        elif getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""
    return params


class LazyGroup(TyperGroup):
    """A command group whose module is imported on first use, and each of whose commands is built
    when it is used: Typer building every command of ``site`` (and reading all their options) cost
    ``site show`` 4 ms of its 150.

    Listing it in ``verweef --help`` needs only its name and help.
    """

    def __init__(self, name: str, module: str, help: str) -> None:
        super().__init__(name=name, help=f"{help}\n\nExample: {GROUP_EXAMPLES[name]}", no_args_is_help=True)
        self.module = module
        self.registered: dict[str, Any] | None = None

    def _registered(self) -> dict[str, Any]:
        """The group's commands as its module registers them (name -> Typer's CommandInfo), in order."""
        if self.registered is None:
            import importlib

            import typer.main

            typer_app = importlib.import_module(self.module).app
            self.registered = {}
            for info in typer_app.registered_commands:  # named as Typer names them
                self.registered[info.name or typer.main.get_command_name(info.callback.__name__)] = info
        return self.registered

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands:
            info = self._registered().get(cmd_name)
            if info is None:
                return None
            import typer.main

            single = typer.Typer(add_completion=False)  # one command: Typer builds that command alone
            single.registered_commands.append(info)
            command = typer.main.get_command(single)
            command.name = cmd_name
            plain_help(command.get_params(ctx))
            self.commands[cmd_name] = command
        return self.commands[cmd_name]

    def list_commands(self, ctx: Any) -> list[str]:  # noqa: ARG002 -- Click's signature
        return list(self._registered())

    def get_params(self, ctx: Any) -> list[Any]:
        return plain_help(super().get_params(ctx))


# Top-level commands, built on first use like the groups: (module, function, help).
COMMANDS = {
    "agenda": ("verweefcli.cli.agenda", "agenda_command", "Follow-ups: overdue, today, this week and next."),
    "done": ("verweefcli.cli.agenda", "done_command", "Mark an activity's follow-up done (or --undo)."),
    "search": ("verweefcli.cli.search", "search_command", "Search every kind of record at once."),
    "web": ("verweefcli.cli.web", "web_command", "Browse the database with Datasette (read-only), or publish it."),
    "import": (
        "verweefcli.cli.transfer",
        "import_command",
        "Import any kind of record from CSV (an export reads back), or contacts from vCards.",
    ),
    "export": (
        "verweefcli.cli.transfer",
        "export_command",
        "Export records as CSV, JSON, GeoJSON, vCard (contacts) or iCalendar (follow-ups).",
    ),
}


class LazyCommand(TyperCommand):
    """A command built from its function on first use (its help listed without it)."""

    def __init__(self, name: str, module: str, function: str, help: str) -> None:
        super().__init__(name=name, help=help)
        self.module, self.function = module, function
        self.real: Any = None

    def load(self, ctx: Any) -> Any:
        if self.real is None:
            import importlib

            import typer.main

            single = typer.Typer(add_completion=False)
            single.command(self.name)(getattr(importlib.import_module(self.module), self.function))
            self.real = typer.main.get_command(single)
            if ctx is not None:
                plain_help(self.real.get_params(ctx))
        return self.real

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        return self.load(parent).make_context(info_name, args, parent=parent, **extra)


class VerweefGroup(TyperGroup):
    """The root: the lazy groups, and one exit point that maps every error of a
    command to one line on stderr and an exit code."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        for name, (module, text) in GROUPS.items():
            self.add_command(LazyGroup(name, module, text), name)
            if name == "report":
                for command, (where, function, about) in COMMANDS.items():
                    self.add_command(LazyCommand(command, where, function, about), command)

    def get_params(self, ctx: Any) -> list[Any]:
        return plain_help(super().get_params(ctx))

    def invoke(self, ctx: Any) -> Any:
        reset_consoles()
        warnings.showwarning = _show_warning
        try:
            try:
                return super().invoke(ctx)
            finally:
                if sys.stdout is not None:  # a write error on stdout shows here, not at interpreter exit
                    sys.stdout.flush()
        except VerweefError as exc:
            fail(str(exc), exc.exit_code)
        except BrokenPipeError:
            # the reader went away (``verweef ... | head``): stop quietly, as the Python docs advise
            from verweefcli.files import discard_stdout

            discard_stdout()
            raise typer.Exit(1) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt, EOFError):
            raise
        except Exception as exc:
            # a write error with no file named: a stream (files are named, see verweefcli.files)
            if isinstance(exc, OSError) and exc.filename is None and exc.errno is not None:
                import errno

                names = ("ENOSPC", "EDQUOT", "EFBIG", "EIO", "EBADF", "EAGAIN", "ENXIO", "EROFS")
                if exc.errno in {getattr(errno, name, None) for name in names}:
                    from verweefcli.files import discard_stdout

                    discard_stdout()
                    fail(f"cannot write to standard output: {exc.strerror}", 1)
            if os.environ.get("VERWEEF_DEBUG") or getattr(exc, "exit_code", None) is not None:
                raise
            # sqlite3 is not imported for --help: an error from it means it was
            sqlite3 = sys.modules.get("sqlite3")
            if sqlite3 is not None and isinstance(exc, sqlite3.Error):
                from verweefcli.storage import describe_database_error

                st = ctx.obj if isinstance(ctx.obj, State) else None
                path = st._store.path if st is not None and st._store is not None else None
                fail(str(describe_database_error(exc, path)), 1)
            fail(
                f"internal error: {type(exc).__name__}: {exc} (run with VERWEEF_DEBUG=1 for details)",
                INTERNAL_ERROR,
            )
        finally:
            if isinstance(ctx.obj, State):
                ctx.obj.close()


def _show_warning(message: Warning | str, category: type[Warning], *args: Any, **kwargs: Any) -> None:
    """Our warnings (a search that could not read every record...): one line on stderr, as errors are."""
    if not category.__module__.startswith("verweefcli."):
        _python_show_warning(message, category, *args, **kwargs)
        return
    from rich.text import Text

    from verweefcli.render.terminal_text import terminal_safe

    err_console().print(Text("Warning: ", style="bold yellow") + Text(terminal_safe(str(message))))


def fail(message: str, code: int) -> None:
    if os.environ.get("VERWEEF_DEBUG") and sys.exc_info()[0] is not None:
        raise
    from rich.text import Text

    from verweefcli.render.terminal_text import terminal_safe

    err_console().print(Text("Error: ", style="bold red") + Text(terminal_safe(message)))
    raise typer.Exit(code)


app = typer.Typer(
    cls=VerweefGroup,
    name="verweef",
    help="Follow the work of verweefcoaches: regions, sites, contacts, companies and their requests, nuisance cases, "
    "activities and the quarterly report.\n\n"
    'Example: verweef visit add "Brouwerij De Zwaan" --contact "An Peeters" --minutes 90',
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    # --install-completion and --show-completion, here only (the command groups are built without them)
    add_completion=True,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        out(f"verweef {__version__}\n")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    db_path: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="FILE",
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
    _version_flag: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    st = state(ctx)
    st.db = db_path
    st.example = example


def main() -> None:
    app(prog_name="verweef")
