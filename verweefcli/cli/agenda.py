"""``verweef agenda`` and ``verweef done``: the follow-ups a coach promised, and marking them done."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from verweefcli.cli import options as opt
from verweefcli.cli.common import Format, out, say, show, state

if TYPE_CHECKING:
    from verweefcli.domain.follow_ups import Item
    from verweefcli.files import Target


class AgendaFormat(enum.StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    ics = "ics"


_STYLE = {"overdue": "bold red", "today": "bold yellow", "this week": "yellow", "done": "dim"}
_HINT = (
    "Add one: verweef activity edit ID --follow-up +2w --follow-up-note TEXT, "
    'or verweef visit add SITE --follow-up dinsdag --follow-up-note "..."'
)


def agenda_command(
    ctx: typer.Context,
    region: opt.Region = None,
    coach: Annotated[
        str | None, typer.Option("--coach", metavar="NAME", help="Only the regions of this coach (part of the name).")
    ] = None,
    days: Annotated[
        int, typer.Option("--days", min=0, max=3660, metavar="INTEGER", help="How far ahead to look (default 28 days).")
    ] = 28,
    all_: Annotated[bool, typer.Option("--all", help="Also what is due later, and what was done.")] = False,
    fmt: Annotated[
        AgendaFormat,
        typer.Option(
            "--format",
            "-f",
            metavar=opt.choices(AgendaFormat),
            help="table for people; json or csv for scripts; ics for a calendar.",
        ),
    ] = AgendaFormat.table,
    events: Annotated[
        bool, typer.Option("--events", help="ics: all-day events on the due days instead of to-dos.")
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write to this file (- is standard output)."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the --output file if it exists.")] = False,
) -> None:
    """Follow-ups: overdue first, then today, this week and the next weeks.

    Example: verweef agenda --region Gent --days 14
    """
    import datetime as dt

    from verweefcli.domain.follow_ups import agenda, resolve_regions

    target = _plan(output, force)
    store = state(ctx).store(write=False)
    items = agenda(store, store.today, regions=resolve_regions(store, region, coach), days=days, everything=all_)
    if fmt is AgendaFormat.ics:
        from verweefcli.render.ics import to_ics

        _write(to_ics(items, events=events, name="verweef agenda", now=dt.datetime.now(dt.UTC)), target)
    elif fmt is AgendaFormat.table and target is None:
        _print_agenda(items, days)
    else:
        _write(_as_text(items, fmt), target)


def _plan(output: Path | None, force: bool) -> Target | None:
    if output is None or str(output) == "-":
        return None
    from verweefcli.files import plan_output

    return plan_output(output, force=force)


def _as_text(items: list[Item], fmt: AgendaFormat) -> str:
    from verweefcli.domain.follow_ups import FIELDS
    from verweefcli.render.serialize import to_json

    records = [item.as_dict() for item in items]
    if fmt is AgendaFormat.json:
        return to_json(records)
    import io

    from verweefcli.render.serialize import write_csv

    buffer = io.StringIO()
    write_csv(buffer, FIELDS, records)
    return buffer.getvalue()


def _write(text: str, target: Target | None) -> None:
    """To standard output, or (names of people inside) a file readable by its owner only."""
    if target is None:
        out(text)
        return
    from rich.text import Text

    from verweefcli.cli.common import err_console
    from verweefcli.files import Kind, open_output

    with open_output(target, private=True) as stream:
        stream.write(text)
    if target.kind is not Kind.STREAM:
        err_console().print(Text(f"Wrote {target.shown}."))


def _what(item: Item) -> Any:
    """What was promised; under it, dimmed, the sites and the contacts."""
    from rich.text import Text

    from verweefcli.render.terminal_text import terminal_safe

    text = Text(terminal_safe(item.what))
    where = " · ".join(part for part in (", ".join(item.sites), ", ".join(item.contacts)) if part)
    if where:
        text.append("\n" + terminal_safe(where), style="dim")
    return text


def _print_agenda(items: list[Item], days: int) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from verweefcli.render.terminal_text import terminal_safe

    if not items:
        say(f"Nothing due in the next {days} days, and nothing overdue. {_HINT}", style="dim")
        return
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for header in ("", "Due", "#"):
        table.add_column(header, no_wrap=True)
    # what was promised gets the room; where and with whom go under it, dimmed (fits 80 columns)
    table.add_column("What · site · contacts", overflow="fold")
    table.add_column("Region", overflow="ellipsis", max_width=16, no_wrap=True)
    previous = None
    for item in items:
        if previous is not None and item.group != previous:
            table.add_section()
        style = _STYLE.get(item.group, "")
        table.add_row(
            Text(item.group if item.group != previous else "", style=style),
            Text(item.due, style=style),
            str(item.id) if item.type == "activity" else "",  # its what names it (verweef done: activities)
            _what(item),
            Text(terminal_safe(item.region or "")),
        )
        previous = item.group
    show(table)
    overdue = sum(item.group == "overdue" for item in items)
    say(f"{len(items)} follow-up(s), {overdue} overdue. Mark one done: verweef done ID", style="dim")


def done_command(
    ctx: typer.Context,
    ref: opt.ActivityId,
    date: Annotated[
        str | None, typer.Option("--date", "-d", metavar="DATE", help="The day it was done (default today).")
    ] = None,
    notes: Annotated[str | None, typer.Option("--notes", metavar="TEXT", help="How it was done.")] = None,
    undo: Annotated[bool, typer.Option("--undo", help="Take it back: the follow-up is open again.")] = False,
    fmt: opt.RecordFormat = Format.table,
) -> None:
    """Mark an activity's follow-up done (it is kept, with the day and how).

    Example: verweef done 12 --notes "Called back, plans sent"
    """
    from verweefcli.cli.common import done
    from verweefcli.dates import parse_date
    from verweefcli.domain.activities import FIELDS
    from verweefcli.domain.follow_ups import mark_done, undo_done
    from verweefcli.errors import UsageProblem

    store = state(ctx).store(write=True)
    if undo:
        if date is not None or notes is not None:
            raise UsageProblem("--undo takes no --date or --notes")
        record = undo_done(store, ref)
        message = f"The follow-up of activity #{record['id']} is open again (due {record['follow_up']})."
        done(message, record, "activity", fmt, FIELDS)
        return
    day = parse_date(date, store.today) if date else store.today
    record = mark_done(store, ref, day, notes)
    done(f"Follow-up of activity #{record['id']} done on {record['follow_up_done']}.", record, "activity", fmt, FIELDS)
