"""``verweef search``: one search over sites, contacts and activities."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from verweefcli.cli import options as opt
from verweefcli.cli.common import Format, emit_rows, err_console, say, show, state

if TYPE_CHECKING:
    from verweefcli.domain.search import Found, Hit


class RecordType(enum.StrEnum):
    site = "site"
    contact = "contact"
    activity = "activity"
    company = "company"
    request = "request"
    nuisance = "nuisance"


#: what scripts get per hit (``--format json|csv``), in this order
FIELDS = ("type", "id", "uuid", "label", "field", "snippet", "marks", "rank")
_HEADINGS = {
    "site": "Sites",
    "contact": "Contacts",
    "activity": "Activities",
    "company": "Companies",
    "request": "Requests",
    "nuisance": "Nuisance cases",
}


def search_command(
    ctx: typer.Context,
    words: Annotated[list[str], typer.Argument(metavar="WORDS...", help="What to look for: all these words.")],
    only: Annotated[
        list[RecordType] | None,
        typer.Option("--type", metavar=opt.choices(RecordType), help="Only these records (repeatable)."),
    ] = None,
    region: opt.Region = None,
    limit: Annotated[
        int, typer.Option("--limit", min=1, max=1000, metavar="INTEGER", help="At most this many of each type.")
    ] = 10,
    fmt: opt.ListFormat = Format.table,
) -> None:
    """Find records holding all the words: sites, contacts, activities, companies, requests, nuisance cases.

    The last word also matches the start of a word (brouw finds Brouwerij); word* does so for any word.
    An activity is also found by the names of its sites and contacts.

    Example: verweef search zwaan geur
    """
    from verweefcli.domain import search_index
    from verweefcli.domain.common import resolve
    from verweefcli.domain.search import search
    from verweefcli.domain.search_index import TABLES

    store = state(ctx).store(write=False)
    search_index.ready(store, announce=_indexing)
    region_id = int(resolve(store, "region", region)["id"]) if region else None
    tables = [t.value for t in only] if only else list(TABLES)
    found = search(store, " ".join(words), tables=tables, limit=limit, region_id=region_id)
    if fmt is Format.table:
        _print(found)
        return
    hits = [_record(hit) for table in tables for hit in found.hits[table]]
    envelope = {"query": found.query, "totals": found.totals, "order": found.order, "results": hits}
    emit_rows(FIELDS, hits, fmt, envelope)


def _indexing(counts: dict[str, int]) -> None:
    """Said on a terminal before the first search after a bulk import writes the index (a million
    activities: about 8 s)."""
    if err_console().is_terminal:
        from verweefcli.domain.search_index import described

        what = described(counts)
        err_console().print(f"Writing the search index of {what} imported in bulk (once)…", style="dim", markup=False)


def _record(hit: Hit) -> dict[str, Any]:
    return {
        "type": hit.table,
        "id": hit.id,
        "uuid": hit.uuid,
        "label": hit.label,
        "field": hit.found_in,
        "snippet": hit.snippet,
        "marks": [list(mark) for mark in hit.marks],
        "rank": round(hit.rank, 3) + 0.0,  # no -0.0
    }


def _marked(hit: Hit) -> Any:
    """The snippet with the words found in bold, every character of it safe for a terminal."""
    from rich.text import Text

    from verweefcli.render.terminal_text import terminal_safe

    text = Text()
    at = 0
    for start, end in hit.marks:
        text.append(terminal_safe(hit.snippet[at:start]))
        text.append(terminal_safe(hit.snippet[start:end]), style="bold reverse")
        at = end
    text.append(terminal_safe(hit.snippet[at:]))
    return text


def _print(found: Found) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from verweefcli.render.terminal_text import terminal_safe

    if not any(found.totals.values()):
        say(f"Nothing found for {found.query!r}.", style="dim")
        return
    for table_name, hits in found.hits.items():
        total = found.totals[table_name]
        if not total:
            continue
        shown = f"{len(hits)} of {total:,}" if total > len(hits) else str(total)
        table = Table(
            box=box.SIMPLE_HEAD, pad_edge=False, title=f"{_HEADINGS[table_name]}: {shown}", title_justify="left"
        )
        table.add_column("#", justify="right")
        table.add_column(table_name.capitalize(), max_width=40)
        table.add_column("Found in", style="dim")
        table.add_column("", overflow="fold")
        for hit in hits:
            table.add_row(str(hit.id), Text(terminal_safe(hit.label)), hit.found_in.replace("_", " "), _marked(hit))
        show(table)
        if found.order[table_name] == "newest":
            say(f"Too many {_HEADINGS[table_name].lower()} to rank: the newest first. Another word narrows them.")
