"""Shell completion of values: names from the database and vocabulary terms.

``verweef --install-completion`` (Typer) installs a script that runs
``verweef`` again on every <TAB>; Typer completes the commands, options and
choices, and these functions (``autocompletion=`` of an option or argument)
the values only verweef knows. They run on every <TAB>, so:

- names are read with one read-only query (the database chosen by ``--db``,
  ``$VERWEEF_DB``, the config file or ``$VERWEEF_HOME``, as for a command);
  a missing file is never created, and nothing is written;
- any problem (no database yet, a damaged file, a bad config file) means no
  candidates, never a message: the shell then falls back to file names.

Names match ignoring case and accents, like references do. Typer keeps only
candidates that start with the typed text, so a name matched that way is
offered with the typed text in front (``brou`` -> ``brouwerij De Zwaan``):
verweef finds the same record with it.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from pathlib import Path

    from verweefcli.config import Config

#: at most this many names per <TAB> (a large database has 50,000 sites)
LIMIT = 200
#: Typer's completion instruction (``_{PROG}_COMPLETE``): its value names the shell
COMPLETE_VAR = "_VERWEEF_COMPLETE"
_TABLES = ("region", "site", "contact")


def regions(ctx: typer.Context, incomplete: str) -> list[str]:
    return _names(ctx, "region", incomplete)


def sites(ctx: typer.Context, incomplete: str) -> list[str]:
    return _names(ctx, "site", incomplete)


def contacts(ctx: typer.Context, incomplete: str) -> list[str]:
    return _names(ctx, "contact", incomplete)


def companies(ctx: typer.Context, incomplete: str) -> list[str]:
    return _names(ctx, "company", incomplete)


def sectors(incomplete: str) -> list[tuple[str, str]]:
    return _terms("company_sectors", incomplete)


def request_types(incomplete: str) -> list[tuple[str, str]]:
    return _terms("request_types", incomplete)


def request_stages(incomplete: str) -> list[tuple[str, str]]:
    return _terms("request_stages", incomplete)


def request_outcomes(incomplete: str) -> list[tuple[str, str]]:
    return _terms("request_outcomes", incomplete)


def nuisance_types(incomplete: str) -> list[tuple[str, str]]:
    return _terms("nuisance_types", incomplete)


def nuisance_results(incomplete: str) -> list[tuple[str, str]]:
    return _terms("nuisance_results", incomplete)


def measure_kinds(incomplete: str) -> list[tuple[str, str]]:
    return _terms("measure_kinds", incomplete)


def measure_statuses(incomplete: str) -> list[tuple[str, str]]:
    return _terms("measure_statuses", incomplete)


def activity_kinds(incomplete: str) -> list[tuple[str, str]]:
    return _terms("activity_kinds", incomplete)


def activity_categories(incomplete: str) -> list[tuple[str, str]]:
    return _terms("activity_categories", incomplete)


def site_kinds(incomplete: str) -> list[tuple[str, str]]:
    return _terms("site_kinds", incomplete)


def site_stages(incomplete: str) -> list[tuple[str, str]]:
    return _terms("site_stages", incomplete)


def contact_roles(incomplete: str) -> list[tuple[str, str]]:
    return _terms("contact_roles", incomplete)


def coach_statuses(incomplete: str) -> list[tuple[str, str]]:
    return _terms("coach_statuses", incomplete)


def _config() -> Config | None:
    from verweefcli.config import load_config
    from verweefcli.errors import VerweefError
    from verweefcli.paths import config_path

    try:
        return load_config(config_path())
    except (VerweefError, OSError, ValueError):
        return None


def _terms(vocabulary: str, incomplete: str) -> list[tuple[str, str]]:
    """The keys of a vocabulary (the config file's terms included), with their label as help."""
    from verweefcli.vocab import Vocabulary

    config = _config()
    vocab = config.vocab if config is not None else Vocabulary()
    language = config.language if config is not None else "nl"
    labels = {term.key: term.label(language) for term in vocab.terms(vocabulary).values()}
    return [(value, labels[key]) for key, value in _matching(list(labels), incomplete).items()]


def _names(ctx: typer.Context, table: str, incomplete: str) -> list[str]:
    try:
        path = _database(ctx)
        if path is None or not path.is_file():
            return []
        found = _query(path, table, incomplete)
    except Exception:  # completion never fails loudly: no candidates
        return []
    return list(_matching(found, incomplete).values())


def _database(ctx: typer.Context) -> Path | None:
    """The database a command on this command line would use; None for ``--example``."""
    from verweefcli.paths import resolve_db_path

    root = ctx.find_root().params
    if root.get("example"):
        return None
    config = _config()
    path, _origin = resolve_db_path(root.get("db_path"), config.db if config is not None else None)
    return path


def _query(path: Path, table: str, incomplete: str) -> list[str]:
    """Names whose folded form starts with the folded ``incomplete``: one read-only query."""
    # opens read-only and creates no file beside the database (not even a -shm)
    from verweefcli.storage import read_only_connection
    from verweefcli.textnorm import fold

    assert table in _TABLES
    key = fold(incomplete)
    conn = read_only_connection(path)
    try:
        conn.execute("PRAGMA busy_timeout = 200")  # a <TAB> does not wait for a writer
        rows = conn.execute(
            f"SELECT DISTINCT name FROM {table} WHERE name_key >= ? AND name_key < ? ORDER BY name_key, name LIMIT ?",
            (key, key + "\U0010ffff", LIMIT),
        ).fetchall()
    finally:
        conn.close()
    return [row[0] for row in rows]


def _matching(candidates: list[str], incomplete: str) -> dict[str, str]:
    """``{candidate: what to offer}`` for the candidates that start with ``incomplete``, case and accents ignored."""
    from verweefcli.textnorm import fold

    typed = fold(incomplete)
    quote = _bash_quote(incomplete)
    if quote is None:
        return {}
    offered: dict[str, str] = {}
    for candidate in candidates:
        if candidate.startswith(incomplete) or fold(candidate[: len(incomplete)]) == typed:
            rest = candidate[len(incomplete) :]
            offered[candidate] = incomplete + (rest if quote == "" else _bash_escape(rest, quote))
    return offered


def _bash_quote(incomplete: str) -> str | None:
    r"""How a candidate goes in: ``""`` as it is; ``"`` or ``'`` after that quote; ``\`` escaped; None: not at all.

    Bash puts a candidate in place of the word as typed. After an opening
    quote (``"Brou``) a name goes in as it is, and bash closes the quote; in
    a bare word (``Brou``) spaces and other special characters need a
    backslash (``Brouwerij\ De\ Zwaan``). A bare word that holds such a
    character already (``Brouwerij\ D``) gets nothing: Typer keeps only
    candidates that start with the word as the shell reads it
    (``Brouwerij D``), and bash would insert that unescaped. zsh and fish
    quote what they insert themselves.
    """
    if os.environ.get(COMPLETE_VAR) != "complete_bash":
        return ""
    word = _bash_word()
    if word is None:
        return ""
    if word[:1] in ("'", '"'):
        return word[:1]
    return None if any(c in _BASH_SPECIAL for c in incomplete) else "\\"


def _bash_word() -> str | None:
    """The word being completed as typed in bash, quotes and backslashes included.

    Typer's bash script passes the words joined by line breaks in ``COMP_WORDS``
    and the index of this one in ``COMP_CWORD``.
    """
    try:
        words = os.environ["COMP_WORDS"].split("\n")
        index = int(os.environ["COMP_CWORD"])
    except (KeyError, ValueError):
        return None
    return words[index] if 0 <= index < len(words) else ""


_BASH_SPECIAL = set(" \t\n\"'\\$`&|;()<>*?[]#~!{}=:,^")


def _bash_escape(text: str, quote: str) -> str:
    r"""``text`` to go on a bash word that started with ``quote`` (``\`` for a bare word)."""
    if quote == "'":
        return text.replace("'", "'\\''")
    if quote == '"':
        return "".join("\\" + c if c in '"\\$`' else c for c in text)
    return "".join("\\" + c if c in _BASH_SPECIAL else c for c in text)
