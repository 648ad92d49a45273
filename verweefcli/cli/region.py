"""``verweef region``: the five regions and their coach."""

from __future__ import annotations

from typing import Annotated

import typer

from verweefcli.cli import completion
from verweefcli.cli import options as opt
from verweefcli.cli.common import Format, done, emit, filters, given, need, state

app = typer.Typer(no_args_is_help=True, add_completion=False)  # its help is in verweefcli.cli.app.GROUPS

NOUN = "region"


def _fields() -> tuple[str, ...]:
    from verweefcli.domain.regions import FIELDS

    return FIELDS


Municipality = Annotated[
    list[str] | None,
    typer.Option(
        "--municipality",
        "-m",
        metavar="MUNICIPALITY",
        help="A municipality of the region (repeat, or separate with commas).",
    ),
]
Coach = Annotated[str | None, typer.Option(metavar="NAME", help="Name of the verweefcoach.")]
Status = Annotated[
    str | None,
    typer.Option(
        "--status",
        metavar="STATUS",
        help="Coach status: planned, selecting, appointed or ended.",
        autocompletion=completion.coach_statuses,
    ),
]
AppointedOn = Annotated[
    str | None, typer.Option(metavar="DATE", help="Date the coach started (ends-on defaults to 3 years later).")
]
EndsOn = Annotated[str | None, typer.Option(metavar="DATE", help="Date the coach's term ends.")]


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(metavar="NAME", help="Name of the region, e.g. Gent.")] = None,
    municipality: Municipality = None,
    coach: Coach = None,
    status: Status = None,
    appointed_on: AppointedOn = None,
    ends_on: EndsOn = None,
    notes: opt.Notes = None,
    fmt: opt.RecordFormat = Format.table,
) -> None:
    """Add a region.

    Example: verweef region add Gent --coach "Jonas De Meester" --appointed-on 01/06/2020 -m Gent -m Merelbeke
    """
    from verweefcli.domain.regions import add_region

    name = need(name, "NAME", "Region name")
    store = state(ctx).store(write=True)
    record = add_region(
        store,
        {
            "name": name,
            "municipalities": municipality,
            "coach": coach,
            "coach_status": status,
            "appointed_on": appointed_on,
            "ends_on": ends_on,
            "notes": notes,
        },
    )
    done(f"Added region #{record['id']} {record['name']}.", record, NOUN, fmt, _fields())


@app.command("list")
def list_(
    ctx: typer.Context,
    status: Status = None,
    search: opt.Search = None,
    since: opt.Since = None,
    until: opt.Until = None,
    quarter: opt.Quarter = None,
    limit: opt.Limit = None,
    fmt: opt.ListFormat = Format.table,
) -> None:
    """List regions (--since/--until/--quarter filter on the appointment date).

    Example: verweef region list --status appointed --format csv
    """
    from verweefcli.domain.regions import list_regions

    flt = filters(status=status, search=search, since=since, until=until, quarter=quarter, limit=limit)
    rows = list_regions(state(ctx).store(write=False), flt)
    emit(NOUN, rows, fmt, _fields(), many=True)


@app.command("show")
def show(ctx: typer.Context, ref: opt.RegionRef, fmt: opt.RecordFormat = Format.table) -> None:
    """Show a region, its coach and how much is recorded for it.

    Example: verweef region show Gent
    """
    from verweefcli.domain.regions import region_details

    record = region_details(state(ctx).store(write=False), ref)
    emit(NOUN, record, fmt, _fields(), many=False)


@app.command("edit")
def edit(
    ctx: typer.Context,
    ref: opt.RegionRef,
    name: Annotated[str | None, typer.Option(metavar="TEXT", help="New name.")] = None,
    municipality: Annotated[
        list[str] | None,
        typer.Option("--municipality", "-m", metavar="MUNICIPALITY", help="Add a municipality (repeatable)."),
    ] = None,
    remove_municipality: Annotated[
        list[str] | None,
        typer.Option("--remove-municipality", metavar="MUNICIPALITY", help="Remove a municipality (repeatable)."),
    ] = None,
    coach: Coach = None,
    status: Status = None,
    appointed_on: AppointedOn = None,
    ends_on: EndsOn = None,
    notes: opt.Notes = None,
    fmt: opt.RecordFormat = Format.table,
) -> None:
    """Change a region; give only what changes (an empty value clears a field).

    Example: verweef region edit Gent --status appointed --appointed-on 01/06/2020
    """
    from verweefcli.domain.regions import edit_region

    changes = given(
        name=name, coach=coach, coach_status=status, appointed_on=appointed_on, ends_on=ends_on, notes=notes
    )
    record = edit_region(
        state(ctx).store(write=True),
        ref,
        changes,
        add_municipalities=municipality,
        remove_municipalities=remove_municipality,
    )
    done(f"Updated region #{record['id']} {record['name']}.", record, NOUN, fmt, _fields())


@app.command("remove")
def remove(ctx: typer.Context, ref: opt.RegionRef, yes: opt.Yes = False) -> None:
    """Remove a region that has no sites or activities.

    Example: verweef region remove Vilvoorde --yes
    """
    from verweefcli.domain.regions import removal_plan, remove_region

    opt.remove_after_asking(ctx, NOUN, ref, yes, removal_plan, remove_region)
