"""``verweef db``: where the database is and what it holds."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from verweefcli.cli import options as opt
from verweefcli.cli.common import DocFormat, emit_document, out, say, state
from verweefcli.errors import VerweefError

if TYPE_CHECKING:
    from verweefcli.cli.common import State
    from verweefcli.storage import Store

app = typer.Typer(no_args_is_help=True, add_completion=False)  # its help is in verweefcli.cli.app.GROUPS


@app.command("path")
def path(ctx: typer.Context) -> None:
    """Print the path of the database file in use.

    Example: verweef db path
    """
    db_path, _origin = state(ctx).db_path()
    out(f"{db_path}\n")


@app.command("info")
def info(ctx: typer.Context, fmt: opt.DocumentFormat = DocFormat.table) -> None:
    """Show the schema version and how many records the database holds.

    Example: verweef db info --format json
    """
    from verweefcli.domain.stats import database_info

    st = state(ctx)
    details = database_info(st.store(write=False))
    if not st.example:
        db_path, origin = st.db_path()
        details = {"path": str(db_path), "chosen_by": origin, **details}
    emit_document(details, fmt, _info_grid)


def _info_grid(details: dict[str, Any]) -> Any:
    from rich.table import Table

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    for key, value in details.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in value.items())
        grid.add_row(key.replace("_", " "), str(value))
    return grid


@app.command("backup")
def backup(
    ctx: typer.Context,
    target: Annotated[Path, typer.Argument(metavar="FILE", help="Where to write the copy (- for standard output).")],
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
) -> None:
    """Copy the database to FILE (- for standard output), consistently, even while others write to it.

    Example: verweef db backup verweef-2026-06-30.db
    """
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
    what is stored; each difference is listed with its record. A damaged file
    gets what SQLite's integrity check says and how to recover what is readable.

    Example: verweef db check --repair
    """
    import sqlite3

    from verweefcli.domain.checks import findings
    from verweefcli.domain.checks import repair as repair_all
    from verweefcli.storage import DamagedDatabase, describe_database_error

    st = state(ctx)
    try:
        store = st.store(write=repair)
        problems = findings(store)
    except DamagedDatabase:
        _damaged(st)
    except sqlite3.DatabaseError as exc:
        error = describe_database_error(exc, None if st.example else st.db_path()[0])
        if isinstance(error, DamagedDatabase):
            _damaged(st)
        raise error from None
    if any(problem.kind == "integrity" for problem in problems):
        _damaged(st)  # and no repair: it would write into a damaged file
    for problem in problems:
        say(str(problem))
    _search_backlog(store, repair)
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


def _search_backlog(store: Store, repair: bool) -> None:
    """Records a bulk import left for the first search to index: not a problem, but said
    (and written with --repair)."""
    from verweefcli.domain import search_index

    waiting = search_index.waiting(store)
    if not waiting:
        return
    what = search_index.described(waiting)
    if repair:
        search_index.catch_up(store)
        say(f"Indexed for search: {what} imported in bulk.")
    else:
        say(f"note: {what} imported in bulk wait for the search index: the next search writes it (or --repair)")


def _damaged(st: State) -> NoReturn:
    """Say what SQLite finds wrong with a damaged file and how to recover what is readable; exit 1."""
    import os
    import shlex

    from verweefcli.dbfile import diagnose

    if st.example:
        raise VerweefError("the example data is damaged: reinstall verweef")
    path = st.db_path()[0]
    st.close()
    damage = diagnose(path)
    say(f"{path} is damaged. SQLite's integrity check says:")
    for message in damage.messages:
        say(f"  {message}")
    if damage.stopped:
        say(f"  {'The check stopped here' if damage.messages else 'The check cannot run'}: {damage.stopped}.")
    if damage.truncated:
        pages, counted = damage.truncated
        say(f"  The file is cut short: it holds {pages} of the {counted} pages its header counts.")
    # the new files go next to the damaged one, or in the current folder if that one is read-only
    near = path.parent if os.access(path.parent, os.W_OK | os.X_OK) else Path()
    copy, recovered = (shlex.quote(str(near / f"{path.stem}-{what}.db")) for what in ("copy", "recovered"))
    here = shlex.quote(str(path))
    say("To recover what is still readable (the damaged file itself is not changed):")
    if damage.readable:
        say(f"  1. keep a copy of it as it is:    verweef --db {here} db backup {copy}")
    else:
        wal = Path(f"{path}-wal")
        also = f" && cp {shlex.quote(str(wal))} {copy}-wal" if wal.exists() and wal.stat().st_size else ""
        say(f"  1. keep a copy of it as it is:    cp {here} {copy}{also}   ('db backup' cannot read it)")
    say(f"  2. copy out the readable records:  sqlite3 {copy} .recover | sqlite3 {recovered}")
    say("     (.recover needs an sqlite3 shell built with it, as the one from sqlite.org/download.html; one")
    say("     that says 'no such table: sqlite_dbpage' lacks it, and leaves the recovered file empty)")
    say(f"  3. check the result:               verweef --db {recovered} db check")
    say(f"     and count its records:          verweef --db {recovered} db info")
    say(f"  Then go on with --db {recovered}, or move it in the place of {path.name} once no verweef is")
    say("  running; or restore a backup (a NAME.vN.bak kept at an upgrade, or one made with 'db backup').")
    if damage.messages and not damage.stopped and all(" index " in m for m in damage.messages):
        say(f"Only indexes are wrong: after step 1, 'sqlite3 {here} REINDEX' rebuilds them in place.")
    raise VerweefError(f"{path} is damaged: see above how to recover what is readable")


@app.command("merge")
def merge(
    ctx: typer.Context,
    files: Annotated[
        list[Path] | None, typer.Argument(metavar="FILE...", help="The coaches' verweef files to merge in.")
    ] = None,
    from_dir: Annotated[
        Path | None, typer.Option("--from-dir", metavar="DIR", help="Merge every .db file in this folder.")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", "-n", help="Say what it would do; change nothing.")] = False,
    fmt: opt.DocumentFormat = DocFormat.table,
) -> None:
    """Merge other verweef files into this one: records by uuid, the newest change kept, removals honoured.

    A record changed in one file only since their last merge takes that change; changed in both, the
    later change is kept and the conflict is listed (and kept in the table merge_log). Removing a record
    leaves a tombstone, so a merge never brings it back. Merging a file twice changes nothing.

    Example: verweef --db programma.db db merge --from-dir gedeelde-map/
    """
    from verweefcli.domain.merge import merge as merge_files

    chosen = list(files or [])
    if from_dir is not None:
        if not from_dir.is_dir():
            raise VerweefError(f"{from_dir} is not a folder")
        own = state(ctx).db_path()[0].resolve()
        chosen += sorted(p for p in from_dir.glob("*.db") if p.is_file() and p.resolve() != own)  # not itself
    if not chosen:
        raise typer.BadParameter("give one or more files, or --from-dir DIR")
    report = merge_files(state(ctx).store(write=True), chosen, dry_run=dry_run)
    data = {
        "dry_run": dry_run,
        "sources": [{"file": path, "last_change": last} for path, last in report.sources],
        "counts": {kind: vars(counts) for kind, counts in report.counts.items()},
        "conflicts": report.conflicts,
        "unknown_terms": [{"vocabulary": v, "key": k} for v, k in sorted(report.unknown_terms)],
    }
    emit_document(data, fmt, _merge_table)


def _merge_table(data: dict[str, Any]) -> Any:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from verweefcli.render.terminal_text import terminal_safe

    table = Table(title="Merged" + (" (dry run: nothing changed)" if data["dry_run"] else ""), title_justify="left")
    for header in ("Kind", "Added", "Taken", "Kept", "Removed"):
        table.add_column(header, justify="left" if header == "Kind" else "right")
    for kind, counts in data["counts"].items():
        table.add_row(kind, *(str(counts[k]) for k in ("added", "taken", "kept", "removed")))
    parts: list[Any] = [
        Text(terminal_safe(f"From {s['file']} (last change {s['last_change']})")) for s in data["sources"]
    ]
    parts.append(table)
    for conflict in data["conflicts"]:
        parts.append(Text(terminal_safe(f"{conflict['kind']} {conflict['uuid']}: {conflict['what']}"), style="yellow"))
    for term in data["unknown_terms"]:
        line = f"{term['vocabulary']}: {term['key']!r} is kept but not in this config's vocabulary (verweef config)"
        parts.append(Text(terminal_safe(line), style="dim"))
    return Group(*parts)
