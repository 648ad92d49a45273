"""What every command module shares: the database, output formats, prompts."""

from __future__ import annotations

import enum
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import typer

from verweefcli.errors import UsageProblem

if TYPE_CHECKING:
    from pathlib import Path

    from rich.console import Console

    from verweefcli.config import Config
    from verweefcli.domain.common import Filters
    from verweefcli.storage import Store


class Format(enum.StrEnum):
    """How records are written: a table for people, JSON or CSV for scripts."""

    table = "table"
    json = "json"
    csv = "csv"


class DocFormat(enum.StrEnum):
    """How a document (the settings, what the database holds) is written: it has no rows for CSV."""

    table = "table"
    json = "json"


@dataclass
class State:
    """Global options, kept on the Typer context for the commands below."""

    db: str | None = None
    example: bool = False
    _config: Config | None = None
    _store: Store | None = None

    @property
    def config(self) -> Config:
        if self._config is None:
            from verweefcli.config import load_config
            from verweefcli.paths import config_path

            self._config = load_config(config_path())
        return self._config

    def db_path(self) -> tuple[Path, str]:
        from verweefcli.paths import resolve_db_path

        return resolve_db_path(self.db, self.config.db)

    def store(self, *, write: bool) -> Store:
        """The database; a read-only command does not create a missing file.

        A reading command opens a file it cannot write read-only; a write after
        that opens it again, which says why it cannot write.
        """
        if self._store is not None:
            if not write or self.example or (self._store.exists and not self._store.readonly):
                return self._store
            self.close()
        if self.example:
            from verweefcli.examples import example_store

            self._store = example_store(self.config.vocab)
            return self._store
        from verweefcli.storage import ensure_private_folder, open_store

        path, origin = self.db_path()
        if write and origin == "default":
            ensure_private_folder(path.parent)
        self._store = open_store(path, self.config.vocab, create=write)
        if self._store.upgraded is not None:
            up = self._store.upgraded
            backup = f"; the old file is kept as {up.backup}" if up.backup else ""
            from rich.text import Text

            err_console().print(Text(f"Upgraded {path} from schema {up.old} to {up.new}{backup}.", style="dim"))
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def state(ctx: typer.Context) -> State:
    obj = ctx.find_root().obj
    if not isinstance(obj, State):
        obj = State()
        ctx.find_root().obj = obj
    return obj


_consoles: dict[bool, Console] = {}


def console() -> Console:
    """stdout for people; no control character in a text it prints reaches the terminal."""
    if False not in _consoles:
        from verweefcli.render.terminal_text import SafeConsole

        _consoles[False] = SafeConsole(highlight=False, soft_wrap=False)
    return _consoles[False]


def err_console() -> Console:
    """stderr for people, as safe as :func:`console`."""
    if True not in _consoles:
        from verweefcli.render.terminal_text import SafeConsole

        _consoles[True] = SafeConsole(stderr=True, highlight=False, soft_wrap=True)
    return _consoles[True]


def say(text: str, style: str | None = None) -> None:
    """One line for people on stdout: never wrapped, never read as markup.

    Control characters in it (from a name or a note) are shown escaped, a
    line break as ``\\n`` (see :func:`verweefcli.render.terminal_text.terminal_safe`).
    """
    from rich.text import Text

    from verweefcli.render.terminal_text import terminal_safe

    console().print(Text(terminal_safe(text), style=style or ""), soft_wrap=True)


def reset_consoles() -> None:
    """Forget cached consoles (each CliRunner invocation swaps the streams)."""
    _consoles.clear()


def interactive() -> bool:
    """Prompt only when a person is at the keyboard."""
    return sys.stdin.isatty() and os.environ.get("VERWEEF_NO_PROMPT") is None


def need(value: Any, option: str, prompt: str) -> Any:
    """A required value: prompt on a terminal, else a usage error."""
    if value is not None and str(value).strip():
        return value
    if interactive():
        return typer.prompt(prompt)
    raise UsageProblem(f"missing {option} (no terminal to ask on)")


def confirm(question: str, yes: bool) -> None:
    if yes:
        return
    if not interactive():
        raise UsageProblem("not removed: pass --yes to confirm when not on a terminal")
    from verweefcli.render.terminal_text import terminal_safe

    if not typer.confirm(terminal_safe(question, one_line=False), default=False):
        err_console().print("Nothing removed.")
        raise typer.Exit(1)


# -- standard output: every write goes through the functions below --------------------


def out(text: str) -> None:
    """Text for scripts or files as it is (JSON, CSV, Markdown, a path): no escaping, no colour."""
    sys.stdout.write(text)


def show(renderable: Any) -> None:
    """Something rich renders for people (a table, a grid, text): escaped, coloured on a terminal only."""
    console().print(renderable)


def emit_document(data: dict[str, Any], fmt: DocFormat, table: Callable[[dict[str, Any]], Any]) -> None:
    """A document (not records): JSON for scripts, else what ``table`` makes of it for people."""
    if fmt is DocFormat.json:
        from verweefcli.render.serialize import to_json

        out(to_json(data))
    else:
        show(table(data))


def emit(noun: str, data: Any, fmt: Format, fields: tuple[str, ...], *, many: bool) -> None:
    """Write records in the chosen format: a table, JSON, or CSV.

    JSON and CSV carry the data exactly as stored (they are for scripts); a
    table shows control characters escaped (:mod:`verweefcli.render.tables`).
    """
    if fmt is Format.json:
        from verweefcli.render.serialize import to_json

        out(to_json(data))
    elif fmt is Format.csv:
        from verweefcli.render.serialize import write_csv

        write_csv(sys.stdout, fields, data if many else [data])
    elif many:
        from verweefcli.render.tables import print_list

        print_list(console(), noun, data)
    else:
        from verweefcli.render.tables import print_record

        print_record(console(), noun, data, fields)


def emit_rows(fields: tuple[str, ...], rows: list[dict[str, Any]], fmt: Format, document: dict[str, Any]) -> None:
    """Rows that are not records of a table (search hits...) for scripts: ``document`` as JSON, or the rows as CSV."""
    if fmt is Format.json:
        from verweefcli.render.serialize import to_json

        out(to_json(document))
    else:
        from verweefcli.render.serialize import write_csv

        write_csv(sys.stdout, fields, rows)


def done(message: str, record: dict[str, Any], noun: str, fmt: Format, fields: tuple[str, ...]) -> None:
    """After add/edit: a one-line confirmation, or the record for scripts."""
    if fmt is Format.table:
        say(message)
    else:
        emit(noun, record, fmt, fields, many=False)


def filters(
    *,
    quarter: str | None = None,
    since: str | None = None,
    until: str | None = None,
    **values: Any,
) -> Filters:
    from verweefcli.dates import period_from_options
    from verweefcli.domain.common import Filters

    period = period_from_options(quarter, since, until)
    tags = values.pop("tag", None) or []
    return Filters(period=period, tag=list(tags), **values)


def given(**values: Any) -> dict[str, Any]:
    """Only the options the user passed (for edits)."""
    return {k: v for k, v in values.items() if v is not None}
