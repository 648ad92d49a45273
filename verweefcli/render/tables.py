"""Rich tables and record views for people at a terminal.

Every text from the database is shown through
:func:`~verweefcli.render.terminal_text.terminal_safe`: control characters
appear escaped (``\\x1b``), and a line break in a cell as ``\\n``, except in
the free-text fields of a record view (notes, address), which may span lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich import box
from rich.console import Console, Group, JustifyMethod, RenderableType
from rich.table import Table
from rich.text import Text

from verweefcli.render.serialize import link_text, stage_changes_text
from verweefcli.render.terminal_text import terminal_safe
from verweefcli.textnorm import first_line

Column = tuple[str, str]

# (field, header, priority): on a narrow terminal the higher numbers go first.
LIST_COLUMNS: dict[str, list[tuple[str, str, int]]] = {
    "region": [
        ("id", "#", 1),
        ("name", "Region", 1),
        ("coach", "Coach", 1),
        ("coach_status", "Status", 1),
        ("appointed_on", "Appointed", 2),
        ("ends_on", "Ends", 3),
        ("municipalities", "Municipalities", 4),
    ],
    "site": [
        ("id", "#", 1),
        ("name", "Site", 1),
        ("municipality", "Municipality", 3),
        ("region", "Region", 2),
        ("kind", "Kind", 3),
        ("stage", "Stage", 1),
        ("tags", "Tags", 4),
    ],
    "contact": [
        ("id", "#", 1),
        ("name", "Name", 1),
        ("organisation", "Organisation", 2),
        ("role", "Role", 2),
        ("region", "Region", 3),
    ],
    "company": [
        ("id", "#", 1),
        ("name", "Company", 1),
        ("enterprise_number", "Enterprise no.", 2),
        ("sector", "Sector", 2),
        ("staff", "Staff", 4),
        ("site", "Site", 3),
        ("region", "Region", 3),
    ],
    "request": [
        ("id", "#", 1),
        ("received_on", "Received", 1),
        ("company", "Company", 1),
        ("type", "Type", 1),
        ("stage", "Stage", 1),
        ("outcome", "Outcome", 2),
        ("region", "Region", 3),
        ("site", "Site", 4),
    ],
    "nuisance": [
        ("id", "#", 1),
        ("reported_on", "Reported", 1),
        ("site", "Site", 1),
        ("types", "Types", 1),
        ("severity", "Sev.", 2),
        ("state", "State", 1),
        ("company", "Company", 3),
        ("region", "Region", 4),
    ],
    "measure": [
        ("id", "#", 1),
        ("case", "Case", 1),
        ("kind", "Kind", 1),
        ("owner", "Owner", 2),
        ("status", "Status", 1),
        ("due", "Due", 2),
        ("effect", "Effect", 3),
        ("cost_eur", "Cost (EUR)", 4),
    ],
    "activity": [
        ("id", "#", 1),
        ("date", "Date", 1),
        ("kind", "Kind", 1),
        ("title", "Title", 1),
        ("region", "Region", 3),
        ("sites", "Sites", 2),
        ("minutes", "Min", 4),
        ("follow_up", "Follow-up", 3),
    ],
}
# Free text wraps (up to this width); everything else stays on one line.
_WRAPS = {"name": 32, "title": 40, "coach": 22, "organisation": 28, "contacts": 28, "summary": 40}
_CAP = {"municipalities": 30, "tags": 24, "sites": 28, "region": 20, "municipality": 18}
_RIGHT = frozenset({"id", "minutes", "staff", "severity", "cost_eur", "case"})
# Fields whose line breaks a record view (``show``) keeps.
_MULTILINE = frozenset({"notes", "address"})


PLURAL = {
    "region": "regions",
    "site": "sites",
    "contact": "contacts",
    "activity": "activities",
    "company": "companies",
    "request": "requests",
    "nuisance": "nuisance cases",
    "measure": "measures",
}
SINGULAR = {"nuisance": "nuisance case"}


def cell(field: str, value: Any) -> str:
    """The text of a value in a table cell, safe for a terminal and on one line."""
    return terminal_safe(_plain(field, value))


def _plain(field: str, value: Any) -> str:
    if value is None:
        return ""
    if field == "stage_changes":
        return stage_changes_text(value)
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, list):
        separator = ", " if field in ("tags", "municipalities") else "; "
        return separator.join(link_text(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}" if field not in ("lat", "lon") else f"{value:.6f}"
    return str(value)


def _text(field: str, value: Any, *, multiline: bool = False) -> Text:
    # Text() never interprets [markup] in user data
    if multiline:
        return Text(terminal_safe(_plain(field, value), one_line=False))
    return Text(cell(field, value))


def _untitled(row: dict[str, Any]) -> bool:
    """An activity without a title: a table shows the first line of its notes instead, dimmed."""
    return "title" in row and not row["title"] and bool(row.get("summary") or row.get("notes"))


def _shown(field: str, row: dict[str, Any]) -> Any:
    """The value a table shows in a row's ``field``: an untitled activity's title is its notes' first line."""
    if field == "title" and _untitled(row):
        return row.get("summary") or first_line(row.get("notes"))
    return row.get(field)


def _cell_text(field: str, row: dict[str, Any]) -> Text:
    text = _text(field, _shown(field, row))
    if field == "title" and _untitled(row):
        text.stylize("dim")
    return text


def _width(field: str, header: str, rows: Sequence[dict[str, Any]]) -> int:
    natural = max([len(header), *(len(cell(field, _shown(field, row))) for row in rows)])
    return min(natural, _WRAPS.get(field) or _CAP.get(field) or natural)


def choose_columns(noun: str, rows: Sequence[dict[str, Any]], width: int) -> list[Column]:
    """The most important columns that fit ``width`` characters."""
    columns = LIST_COLUMNS[noun]
    widths = {f: _width(f, h, rows) for f, h, _ in columns}
    for level in (4, 3, 2):
        chosen = [(f, h) for f, h, p in columns if p <= level]
        if sum(widths[f] + 3 for f, _ in chosen) <= width:
            return chosen
    return [(f, h) for f, h, p in columns if p == 1]


def _add_column(table: Table, field: str, header: str) -> None:
    justify: JustifyMethod = "right" if field in _RIGHT else "left"
    if field in _WRAPS:
        table.add_column(header, overflow="fold", max_width=_WRAPS[field], min_width=min(12, _WRAPS[field]))
    else:
        table.add_column(header, no_wrap=True, overflow="ellipsis", max_width=_CAP.get(field), justify=justify)


def record_table(noun: str, rows: Sequence[dict[str, Any]], width: int = 200) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    columns = choose_columns(noun, rows, width)
    for field, header in columns:
        _add_column(table, field, header)
    for row in rows:
        values = [_cell_text(field, row) for field, _ in columns]
        if noun == "activity" and row.get("highlight") and ("title", "Title") in columns:
            at = columns.index(("title", "Title"))
            values[at] = Text("★ ", style="yellow") + values[at]
        table.add_row(*values)
    return table


def print_list(console: Console, noun: str, rows: Sequence[dict[str, Any]]) -> None:
    if not rows:
        console.print(f"No {PLURAL[noun]} found.", style="dim")
        return
    console.print(record_table(noun, rows, console.width))
    count = len(rows)
    console.print(f"{count} {SINGULAR.get(noun, noun) if count == 1 else PLURAL[noun]}", style="dim")


def _fields_table(record: dict[str, Any], fields: Sequence[str]) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column(overflow="fold")
    for field in fields:
        value = record.get(field)
        if field == "sites" and value:
            value = [link_text(v) for v in value]
        grid.add_row(field, _text(field, value, multiline=field in _MULTILINE))
    return grid


def _sub_table(title: str, columns: Sequence[Column], rows: Sequence[dict[str, Any]]) -> RenderableType:
    if not rows:
        return Text(f"{title}: none", style="dim")
    table = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left", pad_edge=False)
    for field, header in columns:
        _add_column(table, field, header)
    for row in rows:
        table.add_row(*[_cell_text(field, row) for field, _ in columns])
    return table


def _measure_parts(noun: str, record: dict[str, Any]) -> list[RenderableType]:
    """A nuisance case's measures and their status history, or a measure's status history."""
    parts: list[RenderableType] = []
    status_columns = [("date", "Date"), ("status", "Status"), ("effect", "Effect")]
    if "measures" in record:
        columns = [("id", "#"), ("kind", "Kind"), ("owner", "Owner"), ("status", "Status"), ("effect", "Effect")]
        columns += [("due", "Due"), ("cost_eur", "Cost (EUR)")]
        parts += [Text(""), _sub_table("Measures", columns, record["measures"])]
        history = [{"measure": m["id"], **move} for m in record["measures"] for move in m.get("moves", [])]
        if history:
            parts += [Text(""), _sub_table("Status history", [("measure", "Measure"), *status_columns], history)]
    if noun == "measure" and "moves" in record:
        parts += [Text(""), _sub_table("Status history", status_columns, record["moves"])]
    return parts


def print_record(console: Console, noun: str, record: dict[str, Any], fields: Sequence[str]) -> None:
    """A record with its links: the fields, then one small table per link kind."""
    parts: list[RenderableType] = [_fields_table(record, fields)]
    if "counts" in record:
        counts = record["counts"]
        parts.append(
            Text(
                f"\n{counts['sites']} sites, {counts['contacts']} contacts, "
                f"{counts['activities']} activities"
                + (f" (last on {record['last_activity']})" if record.get("last_activity") else "")
            )
        )
    if "stages" in record:
        parts.append(Text(""))
        parts.append(_sub_table("Stage history", [("since", "Since"), ("stage", "Stage")], record["stages"]))
    if noun == "site" and "contacts" in record:
        parts.append(Text(""))
        parts.append(
            _sub_table(
                "Contacts",
                [("id", "#"), ("name", "Name"), ("organisation", "Organisation"), ("role", "Link")],
                record["contacts"],
            )
        )
    if "people" in record:
        parts.append(Text(""))
        parts.append(_sub_table("People", [("id", "#"), ("name", "Name"), ("role", "Role")], record["people"]))
    if "timeline" in record:
        parts.append(Text(""))
        columns_ = [("date", "Date"), ("what", "What"), ("id", "#"), ("kind", "Kind"), ("summary", "")]
        parts.append(_sub_table("Timeline (newest first)", columns_, record["timeline"]))
    parts += _measure_parts(noun, record)
    if noun == "request" and "moves" in record:  # a request's stages, oldest first, and the time spent on it
        parts.append(Text(""))
        parts.append(_sub_table("Moves", [("date", "Date"), ("stage", "Stage")], record["moves"]))
        if "hours" in record:
            hours = record["hours"]
            parts.append(Text(f"\n{hours:g} {'hour' if hours == 1 else 'hours'} on it (its activities' minutes)"))
    if "activities" in record:
        columns: list[Column] = [("id", "#"), ("date", "Date"), ("kind", "Kind"), ("title", "Title")]
        if noun == "site":  # a site's timeline: who was met, too (names only)
            columns.append(("contacts", "Contacts"))
        parts.append(Text(""))
        parts.append(_sub_table("Activities (newest first)", [*columns, ("minutes", "Min")], record["activities"]))
    console.print(Group(*parts))
