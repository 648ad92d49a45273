"""``verweef request``: what a company asked for, from received to closed, with an outcome."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from verweefcli.cli import completion
from verweefcli.cli import options as opt
from verweefcli.cli.common import Format, done, emit, filters, given, state

app = typer.Typer(no_args_is_help=True, add_completion=False)  # its help is in verweefcli.cli.app.GROUPS

NOUN = "request"


def _fields() -> tuple[str, ...]:
    from verweefcli.domain.requests import FIELDS

    return FIELDS


Company = Annotated[
    str | None,
    typer.Option("--company", metavar="COMPANY", help="The company (id or name).", autocompletion=completion.companies),
]
Type = Annotated[
    str | None,
    typer.Option(
        "--type",
        metavar="TYPE",
        help="location-search, expansion, relocation, permit, nuisance-complaint, building-reuse, temporary-use, "
        "other.",
        autocompletion=completion.request_types,
    ),
]
Site = Annotated[
    str | None,
    typer.Option("--site", metavar="SITE", help="The site it is about (id or name).", autocompletion=completion.sites),
]
SpaceM2 = Annotated[
    str | None, typer.Option("--space-m2", metavar="NUMBER", help="Space asked for, in m² (800 or 1.200,5).")
]
FollowUp = Annotated[
    str | None,
    typer.Option(
        "--follow-up", metavar="DATE", help="Date by which to follow up: 15/03/2026, +2w... ('none' clears it)."
    ),
]
Outcome = Annotated[
    str | None,
    typer.Option(
        "--outcome",
        metavar="OUTCOME",
        help="grew-on-site, moved-within-core, moved-to-business-park, left-region, no-solution, withdrawn.",
        autocompletion=completion.request_outcomes,
    ),
]
MoveDate = Annotated[
    str | None,
    typer.Option("--date", "-d", metavar="DATE", help="When (default today); not before the request's last move."),
]


def _said(record: dict[str, Any]) -> str:
    return f"request #{record['id']} ({record['company']}, {record['type']})"


@app.command("add")
def add(
    ctx: typer.Context,
    company: Annotated[
        str,
        typer.Argument(
            metavar="COMPANY", help="The company that asks (id or name).", autocompletion=completion.companies
        ),
    ],
    type_: Type = None,
    site: Site = None,
    date: Annotated[
        str | None,
        typer.Option(
            "--date", "-d", metavar="DATE", help="The day it came in (default today): 15/03/2026, yesterday..."
        ),
    ] = None,
    space_m2: SpaceM2 = None,
    follow_up: FollowUp = None,
    notes: opt.Notes = None,
    fmt: opt.RecordFormat = Format.table,
) -> None:
    """Record a company's request (received on --date); its region is its site's, else the company's.

    Example: verweef request add "Brouwerij De Zwaan" --type expansion --space-m2 800 --follow-up +2w
    """
    from verweefcli.domain.requests import add_request

    values = {
        "company": company,
        "type": type_,
        "site": site,
        "received_on": date,
        "space_m2": space_m2,
        "follow_up": follow_up,
        "notes": notes,
    }
    record = add_request(state(ctx).store(write=True), values)
    done(f"Added {_said(record)}, received on {record['received_on']}.", record, NOUN, fmt, _fields())


@app.command("list")
def list_(
    ctx: typer.Context,
    region: opt.Region = None,
    company: Company = None,
    type_: Type = None,
    stage: Annotated[
        str | None,
        typer.Option(
            "--stage",
            metavar="STAGE",
            help="open (not closed), or a stage: received, intake, analysis, advice, follow-up, closed.",
            autocompletion=completion.request_stages,
        ),
    ] = None,
    since: opt.Since = None,
    until: opt.Until = None,
    quarter: opt.Quarter = None,
    limit: opt.Limit = None,
    fmt: opt.ListFormat = Format.table,
) -> None:
    """List requests, newest first (--since/--until/--quarter filter on the day they came in).

    Example: verweef request list --region Gent --stage open --quarter 2026Q2
    """
    from verweefcli.domain.requests import list_requests

    flt = filters(region=region, kind=type_, status=stage, since=since, until=until, quarter=quarter, limit=limit)
    emit(NOUN, list_requests(state(ctx).store(write=False), flt, company=company), fmt, _fields(), many=True)


@app.command("show")
def show(ctx: typer.Context, ref: opt.RequestId, fmt: opt.RecordFormat = Format.table) -> None:
    """Show a request with its moves, its activities and the hours spent on them.

    Example: verweef request show 12
    """
    from verweefcli.domain.requests import request_details

    emit(NOUN, request_details(state(ctx).store(write=False), ref), fmt, _fields(), many=False)


@app.command("move")
def move(
    ctx: typer.Context,
    ref: opt.RequestId,
    stage: Annotated[
        str,
        typer.Argument(
            metavar="STAGE",
            help="intake, analysis, advice, follow-up (forward may skip stages; closing: request close).",
            autocompletion=completion.request_stages,
        ),
    ],
    date: MoveDate = None,
    back: Annotated[
        bool, typer.Option("--back", help="Allow a move to an earlier stage (from closed: clears the outcome).")
    ] = False,
    fmt: opt.RecordFormat = Format.table,
) -> None:
    """Move a request to a stage, dated --date; an earlier stage only with --back.

    Example: verweef request move 12 analysis --date 15/03/2026
    """
    from verweefcli.domain.requests import move_request

    record = move_request(state(ctx).store(write=True), ref, stage, on=date, back=back)
    done(f"Moved {_said(record)} to {record['stage']}.", record, NOUN, fmt, _fields())


@app.command("close")
def close(
    ctx: typer.Context,
    ref: opt.RequestId,
    outcome: Outcome = None,
    site: Annotated[
        str | None,
        typer.Option(
            "--site", metavar="SITE", help="The site it ended on (id or name).", autocompletion=completion.sites
        ),
    ] = None,
    date: MoveDate = None,
    fmt: opt.RecordFormat = Format.table,
) -> None:
    """Close a request with its outcome (and the site the company ended on), dated --date.

    Example: verweef request close 12 --outcome moved-to-business-park --site "Zone Noord"
    """
    from verweefcli.domain.requests import close_request

    record = close_request(state(ctx).store(write=True), ref, outcome, site=site, on=date)
    done(f"Closed {_said(record)} on {record['closed_on']}: {record['outcome']}.", record, NOUN, fmt, _fields())


@app.command("edit")
def edit(
    ctx: typer.Context,
    ref: opt.RequestId,
    company: Company = None,
    type_: Type = None,
    site: Site = None,
    date: Annotated[
        str | None, typer.Option("--date", "-d", metavar="DATE", help="The day it came in (its first move).")
    ] = None,
    space_m2: SpaceM2 = None,
    follow_up: FollowUp = None,
    outcome: Outcome = None,
    outcome_site: Annotated[
        str | None,
        typer.Option(
            "--outcome-site",
            metavar="SITE",
            help="The site it ended on (closed requests).",
            autocompletion=completion.sites,
        ),
    ] = None,
    notes: opt.Notes = None,
    fmt: opt.RecordFormat = Format.table,
) -> None:
    """Change a request; give only what changes (its stage changes with move and close).

    Example: verweef request edit 12 --space-m2 1200 --follow-up +1m
    """
    from verweefcli.domain.requests import edit_request

    changes = given(
        company=company,
        type=type_,
        site=site,
        received_on=date,
        space_m2=space_m2,
        follow_up=follow_up,
        outcome=outcome,
        outcome_site=outcome_site,
        notes=notes,
    )
    record = edit_request(state(ctx).store(write=True), ref, changes)
    done(f"Updated {_said(record)}.", record, NOUN, fmt, _fields())


@app.command("remove")
def remove(ctx: typer.Context, ref: opt.RequestId, yes: opt.Yes = False) -> None:
    """Remove a request and its moves; the activities on it stay.

    Example: verweef request remove 12 --yes
    """
    from verweefcli.domain.requests import removal_plan, remove_request

    def named(record: dict[str, Any]) -> dict[str, Any]:
        return {**record, "name": f"({record['company']}, {record['type']})"}

    opt.remove_after_asking(ctx, NOUN, ref, yes, removal_plan, remove_request, named)
