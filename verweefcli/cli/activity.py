"""``verweef activity``: what a coach did, when, where and with whom."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from verweefcli.cli import options as opt
from verweefcli.cli.common import Format, confirm, done, emit, filters, given, need, state

app = typer.Typer(no_args_is_help=True)  # its help is in verweefcli.cli.app.GROUPS

NOUN = "activity"


def fields() -> tuple[str, ...]:
    from verweefcli.domain.activities import FIELDS

    return FIELDS


Kind = Annotated[
    str | None,
    typer.Option(
        "--kind",
        "-k",
        help="dossier, introduction, network, visit, plan-review, request, consultation, "
        "communication, developer-contact, mapping, example (or a Dutch/English label).",
    ),
]
Title = Annotated[str | None, typer.Option(help="Short title.")]
Minutes = Annotated[int | None, typer.Option(min=0, max=24 * 60, help="Time spent, in minutes.")]
Sites = Annotated[list[str] | None, typer.Option("--site", help="A site it was about (repeatable).")]
Contacts = Annotated[list[str] | None, typer.Option("--contact", "-c", help="A contact met (repeatable).")]
FollowUp = Annotated[str | None, typer.Option(help="Date by which to follow up ('none' clears it).")]
Highlight = Annotated[bool | None, typer.Option("--highlight/--no-highlight", help="A notable item for the report.")]
Category = Annotated[str | None, typer.Option(help="knowledge, local or internal.")]


def record_activity(ctx: typer.Context, values: dict[str, Any], fmt: Format, verb: str = "Added") -> None:
    """Shared by ``activity add`` and ``visit add``."""
    from verweefcli.domain.activities import add_activity

    st = state(ctx)
    store = st.store(write=True)
    record = add_activity(store, values, default_region=st.config.region)
    where = f" at {record['sites'][0]}" if record["sites"] else ""
    done(f"{verb} {record['kind']} #{record['id']} on {record['date']}{where}.", record, NOUN, fmt, fields())


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
    highlight: Highlight = None,
    tag: opt.Tags = None,
    fmt: opt.RecordFormat = Format.table,
) -> None:
    """Record an activity (the region comes from its first site if not given)."""
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
        "highlight": highlight,
        "tags": tag,
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

    flt = filters(kind=kind, **options)
    emit(NOUN, list_activities(state(ctx).store(write=False), flt), fmt, fields(), many=True)


@app.command("list")
def list_(
    ctx: typer.Context,
    region: opt.Region = None,
    kind: Kind = None,
    category: Category = None,
    site: Annotated[str | None, typer.Option("--site", help="Only activities about this site.")] = None,
    contact: Annotated[str | None, typer.Option("--contact", "-c", help="Only activities with this contact.")] = None,
    tag: opt.Tags = None,
    search: opt.Search = None,
    highlight: Annotated[bool | None, typer.Option("--highlight/--no-highlight", help="Only (non-)highlights.")] = None,
    since: opt.Since = None,
    until: opt.Until = None,
    quarter: opt.Quarter = None,
    limit: opt.Limit = None,
    fmt: opt.ListFormat = Format.table,
) -> None:
    """List activities, newest first."""
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
        highlight=highlight,
        since=since,
        until=until,
        quarter=quarter,
        limit=limit,
    )


@app.command("show")
def show(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="ID", help="Id of the activity (12 or #12) or its uuid.")],
    fmt: opt.RecordFormat = Format.table,
) -> None:
    """Show an activity."""
    from verweefcli.domain.activities import get_activity

    emit(NOUN, get_activity(state(ctx).store(write=False), ref), fmt, fields(), many=False)


@app.command("edit")
def edit(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="ID", help="Id of the activity (12 or #12) or its uuid.")],
    kind: Kind = None,
    date: Annotated[str | None, typer.Option("--date", "-d", help="New date.")] = None,
    title: Title = None,
    notes: opt.Notes = None,
    region: opt.Region = None,
    minutes: Minutes = None,
    site: Annotated[list[str] | None, typer.Option("--site", help="Link a site (repeatable).")] = None,
    remove_site: Annotated[list[str] | None, typer.Option("--remove-site", help="Unlink a site.")] = None,
    contact: Annotated[list[str] | None, typer.Option("--contact", "-c", help="Link a contact (repeatable).")] = None,
    remove_contact: Annotated[list[str] | None, typer.Option("--remove-contact", help="Unlink a contact.")] = None,
    follow_up: FollowUp = None,
    highlight: Highlight = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", "-t", help="Add a tag (repeatable).")] = None,
    remove_tag: opt.RemoveTags = None,
    fmt: opt.RecordFormat = Format.table,
) -> None:
    """Change an activity; give only what changes."""
    from verweefcli.domain.activities import LinkChanges, edit_activity

    changes = given(
        kind=kind,
        date=date,
        title=title,
        notes=notes,
        region=region,
        minutes=minutes,
        follow_up=follow_up,
        highlight=highlight,
    )
    links = LinkChanges(site, remove_site, contact, remove_contact, tag, remove_tag)
    record = edit_activity(state(ctx).store(write=True), ref, changes, links)
    done(f"Updated activity #{record['id']}.", record, NOUN, fmt, fields())


@app.command("remove")
def remove(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="ID", help="Id of the activity (12 or #12) or its uuid.")],
    yes: opt.Yes = False,
) -> None:
    """Remove an activity (a visit's stage change on its site is undone)."""
    from verweefcli.domain.activities import removal_plan, remove_activity

    store = state(ctx).store(write=True)
    record, effects = removal_plan(store, ref)
    confirm(opt.removal_question(NOUN, record, effects), yes)
    remove_activity(store, record["id"])
    opt.removed(NOUN, record, effects)
