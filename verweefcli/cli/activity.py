"""``verweef activity``: what a coach did, when, where and with whom."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from verweefcli.cli import completion
from verweefcli.cli import options as opt
from verweefcli.cli.common import Format, done, emit, filters, given, need, state
from verweefcli.errors import UsageProblem

app = typer.Typer(no_args_is_help=True, add_completion=False)  # its help is in verweefcli.cli.app.GROUPS

NOUN = "activity"


def fields() -> tuple[str, ...]:
    from verweefcli.domain.activities import FIELDS

    return FIELDS


Kind = Annotated[
    str | None,
    typer.Option(
        "--kind",
        "-k",
        metavar="KIND",
        help="dossier, introduction, network, visit, plan-review, request, consultation, "
        "communication, developer-contact, mapping, example (or a Dutch/English label).",
        autocompletion=completion.activity_kinds,
    ),
]
Title = Annotated[str | None, typer.Option(metavar="TEXT", help="Short title.")]
Minutes = Annotated[int | None, typer.Option(min=0, max=24 * 60, metavar="INTEGER", help="Time spent, in minutes.")]
Sites = Annotated[
    list[str] | None,
    typer.Option("--site", metavar="SITE", help="A site it was about (repeatable).", autocompletion=completion.sites),
]
Contacts = Annotated[
    list[str] | None,
    typer.Option(
        "--contact", "-c", metavar="CONTACT", help="A contact met (repeatable).", autocompletion=completion.contacts
    ),
]
FollowUp = Annotated[
    str | None,
    typer.Option(
        metavar="DATE", help="Date by which to follow up: 15/03/2026, +2w, dinsdag, morgen... ('none' clears it)."
    ),
]
FollowUpNote = Annotated[
    str | None, typer.Option("--follow-up-note", metavar="TEXT", help="What to follow up (with --follow-up).")
]
Due = Annotated[
    str | None,
    typer.Option(
        "--due",
        metavar="WHEN",
        help="Open follow-ups only, soonest first: overdue, today, week, or due by a DATE (+2w...).",
    ),
]
Highlight = Annotated[bool | None, typer.Option("--highlight/--no-highlight", help="A notable item for the report.")]
Category = Annotated[
    str | None,
    typer.Option(
        metavar="CATEGORY", help="knowledge, local or internal.", autocompletion=completion.activity_categories
    ),
]
Request = Annotated[
    str | None, typer.Option("--request", metavar="ID", help="The company request it is work on (its id).")
]
# the filters of the lists: one site, one contact, one request
OnlySite = Annotated[
    str | None,
    typer.Option("--site", metavar="SITE", help="Only activities about this site.", autocompletion=completion.sites),
]
OnlyContact = Annotated[
    str | None,
    typer.Option(
        "--contact",
        "-c",
        metavar="CONTACT",
        help="Only activities with this contact.",
        autocompletion=completion.contacts,
    ),
]


def record_activity(ctx: typer.Context, values: dict[str, Any], fmt: Format, verb: str = "Added") -> None:
    """Shared by ``activity add`` and ``visit add``."""
    from verweefcli.domain.activities import add_activity

    st = state(ctx)
    store = st.store(write=True)
    record = add_activity(store, values, default_region=st.config.region)
    where = f" at {record['sites'][0]}" if record["sites"] else ""
    where += f" (on request #{record['request']})" if record["request"] is not None else ""
    what = f"visit #{record['id']}" if record["kind"] == "visit" else f"activity #{record['id']} ({record['kind']})"
    done(f"{verb} {what} on {record['date']}{where}.", record, NOUN, fmt, fields())


@app.command("add")
def add(
    ctx: typer.Context,
    kind: Kind = None,
    date: opt.Date = None,
    title: Title = None,
    notes: opt.Notes = None,
    region: opt.Region = None,
    minutes: Minutes = None,
    site: Sites = None,
    contact: Contacts = None,
    follow_up: FollowUp = None,
    follow_up_note: FollowUpNote = None,
    highlight: Highlight = None,
    tag: opt.Tags = None,
    request: Request = None,
    fmt: opt.RecordFormat = Format.table,
) -> None:
    """Record an activity (the region comes from its first site if not given).

    Example: verweef activity add --kind plan-review --site "Brouwerij De Zwaan" --title "RUP Oude Dokken"
    """
    kind = need(kind, "--kind", "Kind")
    values = {
        "kind": kind,
        "date": date or "today",
        "title": title,
        "notes": notes,
        "region": region,
        "minutes": minutes,
        "sites": site,
        "contacts": contact,
        "follow_up": follow_up,
        "follow_up_note": follow_up_note,
        "highlight": highlight,
        "tags": tag,
        "request": request,
    }
    record_activity(ctx, values, fmt)


def list_command(
    ctx: typer.Context,
    *,
    kind: str | None,
    fmt: Format,
    **options: Any,
) -> None:
    """Shared by ``activity list`` and ``visit list``."""
    from verweefcli.domain.activities import list_activities

    request = options.pop("request", None)
    flt = filters(kind=kind, **options)
    emit(NOUN, list_activities(state(ctx).store(write=False), flt, request=request), fmt, fields(), many=True)


@app.command("list")
def list_(
    ctx: typer.Context,
    region: opt.Region = None,
    kind: Kind = None,
    category: Category = None,
    site: OnlySite = None,
    contact: OnlyContact = None,
    tag: opt.Tags = None,
    search: opt.Search = None,
    due: Due = None,
    highlight: Annotated[bool | None, typer.Option("--highlight/--no-highlight", help="Only (non-)highlights.")] = None,
    request: Annotated[
        str | None, typer.Option("--request", metavar="ID", help="Only the work on this company request (its id).")
    ] = None,
    since: opt.Since = None,
    until: opt.Until = None,
    quarter: opt.Quarter = None,
    limit: opt.Limit = None,
    fmt: opt.ListFormat = Format.table,
) -> None:
    """List activities, newest first.

    Example: verweef activity list --region Gent --quarter 2026Q2 --kind visit --format json
    """
    list_command(
        ctx,
        kind=kind,
        fmt=fmt,
        region=region,
        category=category,
        site=site,
        contact=contact,
        tag=tag,
        search=search,
        due=due,
        highlight=highlight,
        request=request,
        since=since,
        until=until,
        quarter=quarter,
        limit=limit,
    )


@app.command("show")
def show(ctx: typer.Context, ref: opt.ActivityId, fmt: opt.RecordFormat = Format.table) -> None:
    """Show an activity.

    Example: verweef activity show 12
    """
    from verweefcli.domain.activities import get_activity

    emit(NOUN, get_activity(state(ctx).store(write=False), ref), fmt, fields(), many=False)


@app.command("edit")
def edit(
    ctx: typer.Context,
    ref: opt.ActivityId,
    kind: Kind = None,
    date: Annotated[str | None, typer.Option("--date", "-d", metavar="DATE", help="New date.")] = None,
    title: Title = None,
    notes: opt.Notes = None,
    region: opt.Region = None,
    minutes: Minutes = None,
    site: Annotated[
        list[str] | None,
        typer.Option("--site", metavar="SITE", help="Link a site (repeatable).", autocompletion=completion.sites),
    ] = None,
    remove_site: Annotated[
        list[str] | None,
        typer.Option("--remove-site", metavar="SITE", help="Unlink a site.", autocompletion=completion.sites),
    ] = None,
    contact: Annotated[
        list[str] | None,
        typer.Option(
            "--contact",
            "-c",
            metavar="CONTACT",
            help="Link a contact (repeatable).",
            autocompletion=completion.contacts,
        ),
    ] = None,
    remove_contact: Annotated[
        list[str] | None,
        typer.Option(
            "--remove-contact", metavar="CONTACT", help="Unlink a contact.", autocompletion=completion.contacts
        ),
    ] = None,
    follow_up: FollowUp = None,
    follow_up_note: FollowUpNote = None,
    highlight: Highlight = None,
    tag: opt.AddTags = None,
    remove_tag: opt.RemoveTags = None,
    request: Request = None,
    no_request: Annotated[bool, typer.Option("--no-request", help="It is no longer work on a request.")] = False,
    fmt: opt.RecordFormat = Format.table,
) -> None:
    """Change an activity; give only what changes.

    Example: verweef activity edit 12 --follow-up none --highlight
    """
    from verweefcli.domain.activities import LinkChanges, edit_activity

    changes = given(
        kind=kind,
        date=date,
        title=title,
        notes=notes,
        region=region,
        minutes=minutes,
        follow_up=follow_up,
        follow_up_note=follow_up_note,
        highlight=highlight,
        request=request,
    )
    if no_request:
        if request is not None:
            raise UsageProblem("give --request or --no-request, not both")
        changes["request"] = None
    links = LinkChanges(site, remove_site, contact, remove_contact, tag, remove_tag)
    record = edit_activity(state(ctx).store(write=True), ref, changes, links)
    done(f"Updated activity #{record['id']}.", record, NOUN, fmt, fields())


@app.command("remove")
def remove(ctx: typer.Context, ref: opt.ActivityId, yes: opt.Yes = False) -> None:
    """Remove an activity (a visit's stage change on its site is undone).

    Example: verweef activity remove 12 --yes
    """
    from verweefcli.domain.activities import removal_plan, remove_activity

    opt.remove_after_asking(ctx, NOUN, ref, yes, removal_plan, remove_activity)
