"""``verweef visit``: site visits, the activity a coach records most."""

from __future__ import annotations

from typing import Annotated

import typer

from verweefcli.cli import activity, completion
from verweefcli.cli import options as opt
from verweefcli.cli.common import Format, need

app = typer.Typer(no_args_is_help=True, add_completion=False)  # its help is in verweefcli.cli.app.GROUPS


@app.command("add")
def add(
    ctx: typer.Context,
    site: Annotated[
        str | None,
        typer.Argument(metavar="SITE", help="The site visited (id or name).", autocompletion=completion.sites),
    ] = None,
    date: opt.Date = None,
    contact: activity.Contacts = None,
    notes: opt.Notes = None,
    minutes: activity.Minutes = None,
    title: activity.Title = None,
    follow_up: activity.FollowUp = None,
    follow_up_note: activity.FollowUpNote = None,
    highlight: activity.Highlight = None,
    tag: opt.Tags = None,
    request: activity.Request = None,
    fmt: opt.RecordFormat = Format.table,
) -> None:
    """Record a site visit; an 'identified' site moves to 'visited'.

    Example: verweef visit add "Brouwerij De Zwaan" --contact "An Peeters" --follow-up +2w --follow-up-note "Plans"
    """
    site = need(site, "SITE", "Site")
    values = {
        "kind": "visit",
        "date": date or "today",
        "title": title,
        "notes": notes,
        "minutes": minutes,
        "sites": [site],
        "contacts": contact,
        "follow_up": follow_up,
        "follow_up_note": follow_up_note,
        "highlight": highlight,
        "tags": tag,
        "request": request,
    }
    activity.record_activity(ctx, values, fmt, verb="Recorded")


@app.command("list")
def list_(
    ctx: typer.Context,
    region: opt.Region = None,
    site: Annotated[
        str | None,
        typer.Option("--site", metavar="SITE", help="Only visits to this site.", autocompletion=completion.sites),
    ] = None,
    contact: Annotated[
        str | None,
        typer.Option(
            "--contact",
            "-c",
            metavar="CONTACT",
            help="Only visits with this contact.",
            autocompletion=completion.contacts,
        ),
    ] = None,
    tag: opt.Tags = None,
    search: opt.Search = None,
    since: opt.Since = None,
    until: opt.Until = None,
    quarter: opt.Quarter = None,
    limit: opt.Limit = None,
    fmt: opt.ListFormat = Format.table,
) -> None:
    """List site visits, newest first.

    Example: verweef visit list --site "Brouwerij De Zwaan" --since 01/01/2026
    """
    activity.list_command(
        ctx,
        kind="visit",
        fmt=fmt,
        region=region,
        site=site,
        contact=contact,
        tag=tag,
        search=search,
        since=since,
        until=until,
        quarter=quarter,
        limit=limit,
    )
