"""``verweef nuisance``: nuisance cases (hinder) at a site, open until closed with a result."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from verweefcli.cli import completion
from verweefcli.cli import options as opt
from verweefcli.cli.common import Format, done, emit, filters, given, need, state

app = typer.Typer(no_args_is_help=True, add_completion=False)  # its help is in verweefcli.cli.app.GROUPS

NOUN = "nuisance"


def _fields() -> tuple[str, ...]:
    from verweefcli.domain.nuisance import FIELDS

    return FIELDS


Types = Annotated[
    list[str] | None,
    typer.Option(
        "--type", metavar="TYPE", help="What the nuisance is: noise, smell, dust-smoke, light... (repeatable).",
        autocompletion=completion.nuisance_types,
    ),
]  # fmt: skip
Company = Annotated[
    str | None,
    typer.Option(
        "--company", metavar="COMPANY", help="The company that causes it (id or name).",
        autocompletion=completion.companies,
    ),
]  # fmt: skip
ReportedBy = Annotated[
    str | None,
    typer.Option(
        "--reported-by", metavar="CONTACT", help="The contact who reported it.", autocompletion=completion.contacts
    ),
]
Severity = Annotated[str | None, typer.Option("--severity", metavar="1-5", help="How bad: 1 (slight) to 5 (severe).")]
Timing = Annotated[
    list[str] | None,
    typer.Option("--timing", metavar="TIMING", help="When it happens: day, night, weekend (repeatable)."),
]
Frequency = Annotated[
    str | None,
    typer.Option("--frequency", metavar="FREQUENCY", help="How often: once, occasional, weekly, daily, continuous."),
]
FollowUp = Annotated[str | None, typer.Option("--follow-up", metavar="DATE", help="When to look at it again.")]
Result = Annotated[
    str | None,
    typer.Option(
        "--result", metavar="RESULT", help="solved, reduced or no-effect.", autocompletion=completion.nuisance_results
    ),
]


def _said(record: dict[str, Any]) -> str:
    from verweefcli.domain.nuisance import case_label

    return f"nuisance case #{record['id']} ({case_label(record)})"


@app.command("add")
def add(
    ctx: typer.Context,
    site: opt.SiteRef,
    types: Types = None,
    company: Company = None,
    reported_by: ReportedBy = None,
    date: Annotated[
        str | None, typer.Option("--date", "-d", metavar="DATE", help="When it was reported (default today).")
    ] = None,
    severity: Severity = None,
    timing: Timing = None,
    frequency: Frequency = None,
    follow_up: FollowUp = None,
    notes: opt.Notes = None,
    fmt: opt.RecordFormat = Format.table,
) -> None:
    """Add a nuisance case at a site; it stays open until it is closed with a result.

    Example: verweef nuisance add "Brouwerij De Zwaan" --type smell --type noise --severity 3 --timing night
    """
    from verweefcli.domain.nuisance import add_case

    values = {
        "site": site,
        "types": types,
        "company": company,
        "reported_by": reported_by,
        "reported_on": date,
        "severity": severity,
        "timing": timing,
        "frequency": frequency,
        "follow_up": follow_up,
        "notes": notes,
    }
    record = add_case(state(ctx).store(write=True), values)
    done(f"Added {_said(record)}.", record, NOUN, fmt, _fields())


@app.command("list")
def list_(
    ctx: typer.Context,
    region: opt.Region = None,
    site: Annotated[
        str | None,
        typer.Option("--site", metavar="SITE", help="At this site (id or name).", autocompletion=completion.sites),
    ] = None,
    company: Company = None,
    type_: Annotated[
        str | None,
        typer.Option(
            "--type",
            metavar="TYPE",
            help="Cases with this type among theirs.",
            autocompletion=completion.nuisance_types,
        ),
    ] = None,
    open_: Annotated[
        bool | None, typer.Option("--open/--closed", help="Only the open cases, or only the closed ones.")
    ] = None,
    since: opt.Since = None,
    until: opt.Until = None,
    quarter: opt.Quarter = None,
    limit: opt.Limit = None,
    fmt: opt.ListFormat = Format.table,
) -> None:
    """List nuisance cases, newest first (--since/--until/--quarter filter on the day they were reported).

    Example: verweef nuisance list --region Gent --type smell --open
    """
    from verweefcli.domain.nuisance import NuisanceFilters, list_cases

    state_ = None if open_ is None else ("open" if open_ else "closed")
    flt = filters(
        region=region, site=site, kind=type_, status=state_, since=since, until=until, quarter=quarter, limit=limit
    )
    cases = list_cases(state(ctx).store(write=False), NuisanceFilters(**vars(flt), company=company))
    emit(NOUN, cases, fmt, _fields(), many=True)


@app.command("show")
def show(ctx: typer.Context, ref: opt.NuisanceId, fmt: opt.RecordFormat = Format.table) -> None:
    """Show a nuisance case with its measures and their status history.

    Example: verweef nuisance show 3
    """
    from verweefcli.domain.nuisance import case_details

    emit(NOUN, case_details(state(ctx).store(write=False), ref), fmt, _fields(), many=False)


@app.command("close")
def close(
    ctx: typer.Context,
    ref: opt.NuisanceId,
    result: Result = None,
    date: Annotated[
        str | None, typer.Option("--date", "-d", metavar="DATE", help="When it was closed (default today).")
    ] = None,
    fmt: opt.RecordFormat = Format.table,
) -> None:
    """Close a nuisance case with its result: solved, reduced or no-effect.

    Example: verweef nuisance close 3 --result reduced --date 2026-05-20
    """
    from verweefcli.domain.nuisance import close_case

    result = need(result, "--result", "Result (solved, reduced, no-effect)")
    record = close_case(state(ctx).store(write=True), ref, result, on=date)
    done(f"Closed {_said(record)}: {record['result']} on {record['closed_on']}.", record, NOUN, fmt, _fields())


@app.command("reopen")
def reopen(ctx: typer.Context, ref: opt.NuisanceId, fmt: opt.RecordFormat = Format.table) -> None:
    """Open a closed nuisance case again (its result and closing day go).

    Example: verweef nuisance reopen 3
    """
    from verweefcli.domain.nuisance import reopen_case

    record = reopen_case(state(ctx).store(write=True), ref)
    done(f"Reopened {_said(record)}.", record, NOUN, fmt, _fields())


@app.command("edit")
def edit(
    ctx: typer.Context,
    ref: opt.NuisanceId,
    site: Annotated[
        str | None,
        typer.Option("--site", metavar="SITE", help="Move it to this site.", autocompletion=completion.sites),
    ] = None,
    types: Annotated[
        list[str] | None,
        typer.Option(
            "--type",
            metavar="TYPE",
            help="Its types (replace the ones known; repeatable).",
            autocompletion=completion.nuisance_types,
        ),
    ] = None,
    company: Company = None,
    reported_by: ReportedBy = None,
    date: Annotated[str | None, typer.Option("--date", "-d", metavar="DATE", help="When it was reported.")] = None,
    severity: Severity = None,
    timing: Annotated[
        list[str] | None,
        typer.Option("--timing", metavar="TIMING", help="When it happens (replace the ones known; repeatable)."),
    ] = None,
    frequency: Frequency = None,
    follow_up: FollowUp = None,
    notes: opt.Notes = None,
    fmt: opt.RecordFormat = Format.table,
) -> None:
    """Change a nuisance case (an empty --company, --reported-by or --follow-up clears it).

    Example: verweef nuisance edit 3 --severity 4 --timing night --timing weekend
    """
    from verweefcli.domain.nuisance import edit_case

    changes = given(
        site=site,
        types=types,
        company=company,
        reported_by=reported_by,
        reported_on=date,
        severity=severity,
        timing=timing,
        frequency=frequency,
        follow_up=follow_up,
        notes=notes,
    )
    record = edit_case(state(ctx).store(write=True), ref, changes)
    done(f"Updated {_said(record)}.", record, NOUN, fmt, _fields())


@app.command("remove")
def remove(ctx: typer.Context, ref: opt.NuisanceId, yes: opt.Yes = False) -> None:
    """Remove a nuisance case and its measures.

    Example: verweef nuisance remove 3 --yes
    """
    from verweefcli.domain.nuisance import case_label, removal_plan, remove_case

    def named(record: dict[str, Any]) -> dict[str, Any]:
        return {"id": record["id"], "title": f"({case_label(record)})"}

    opt.remove_after_asking(ctx, "nuisance case", ref, yes, removal_plan, remove_case, named)
