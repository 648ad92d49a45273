"""``verweef contact``: the people a coach works with."""

from __future__ import annotations

from typing import Annotated

import typer

from verweefcli.cli import completion
from verweefcli.cli import options as opt
from verweefcli.cli.common import Format, done, emit, filters, given, need, state

app = typer.Typer(no_args_is_help=True, add_completion=False)  # its help is in verweefcli.cli.app.GROUPS

NOUN = "contact"


def _fields() -> tuple[str, ...]:
    from verweefcli.domain.contacts import FIELDS

    return FIELDS


# no -o: that is --output everywhere (report, export)
Organisation = Annotated[str | None, typer.Option("--organisation", metavar="TEXT", help="Organisation or company.")]
Role = Annotated[
    str | None,
    typer.Option(
        metavar="ROLE",
        help="Role, e.g. wijkregisseur, buurtcomité, ruimtelijk planner, projectontwikkelaar, ondernemer.",
        autocompletion=completion.contact_roles,
    ),
]
Email = Annotated[str | None, typer.Option(metavar="EMAIL", help="E-mail address.")]
Phone = Annotated[str | None, typer.Option(metavar="PHONE", help="Phone number.")]
Sites = Annotated[
    list[str] | None,
    typer.Option(
        "--site",
        metavar="SITE",
        help="A linked site, optionally with its role: 'Brouwerij De Zwaan (owner)'. Repeatable.",
        autocompletion=completion.sites,
    ),
]


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(metavar="NAME", help="Full name of the person.")] = None,
    organisation: Organisation = None,
    role: Role = None,
    email: Email = None,
    phone: Phone = None,
    region: opt.Region = None,
    site: Sites = None,
    notes: opt.Notes = None,
    fmt: opt.RecordFormat = Format.table,
) -> None:
    """Add a contact.

    Example: verweef contact add "An Peeters" --organisation "Stad Gent" --site "Brouwerij De Zwaan (neighbour)"
    """
    from verweefcli.domain.contacts import add_contact

    st = state(ctx)
    name = need(name, "NAME", "Name")
    record = add_contact(
        st.store(write=True),
        {
            "name": name,
            "organisation": organisation,
            "role": role,
            "email": email,
            "phone": phone,
            "region": region or st.config.region,
            "sites": site,
            "notes": notes,
        },
    )
    done(f"Added contact #{record['id']} {record['name']}.", record, NOUN, fmt, _fields())


@app.command("list")
def list_(
    ctx: typer.Context,
    region: opt.Region = None,
    role: Role = None,
    site: Annotated[
        str | None,
        typer.Option(
            "--site", metavar="SITE", help="Only contacts linked to this site.", autocompletion=completion.sites
        ),
    ] = None,
    search: opt.Search = None,
    since: opt.Since = None,
    until: opt.Until = None,
    quarter: opt.Quarter = None,
    limit: opt.Limit = None,
    inactive_since: Annotated[
        str | None,
        typer.Option(
            "--inactive-since",
            metavar="SPAN",
            help="Only people not met since then: 2y, 18m, 6w, 90d back, or a date (a retention review).",
        ),
    ] = None,
    fmt: opt.ListFormat = Format.table,
) -> None:
    """List contacts (--since/--until/--quarter filter on when they were recorded).

    Example: verweef contact list --region Gent --role wijkregisseur
    """
    from verweefcli.domain.contacts import list_contacts

    store = state(ctx).store(write=False)
    if inactive_since is not None:
        from verweefcli.domain.privacy import day_ago, inactive

        emit(NOUN, inactive(store, day_ago(inactive_since, store.today)), fmt, _fields(), many=True)
        return

    flt = filters(
        region=region,
        role=role,
        site=site,
        search=search,
        since=since,
        until=until,
        quarter=quarter,
        limit=limit,
    )
    emit(NOUN, list_contacts(store, flt), fmt, _fields(), many=True)


@app.command("show")
def show(ctx: typer.Context, ref: opt.ContactRef, fmt: opt.RecordFormat = Format.table) -> None:
    """Show a contact with their sites and activities.

    Example: verweef contact show "An Peeters"
    """
    from verweefcli.domain.contacts import contact_details

    emit(NOUN, contact_details(state(ctx).store(write=False), ref), fmt, _fields(), many=False)


@app.command("edit")
def edit(
    ctx: typer.Context,
    ref: opt.ContactRef,
    name: Annotated[str | None, typer.Option(metavar="TEXT", help="New name.")] = None,
    organisation: Organisation = None,
    role: Role = None,
    email: Email = None,
    phone: Phone = None,
    region: opt.Region = None,
    site: Annotated[
        list[str] | None,
        typer.Option(
            "--site", metavar="SITE", help="Link a site: 'Name (role)'. Repeatable.", autocompletion=completion.sites
        ),
    ] = None,
    remove_site: Annotated[
        list[str] | None,
        typer.Option(
            "--remove-site", metavar="SITE", help="Unlink a site. Repeatable.", autocompletion=completion.sites
        ),
    ] = None,
    notes: opt.Notes = None,
    fmt: opt.RecordFormat = Format.table,
) -> None:
    """Change a contact; give only what changes (an empty value clears a field).

    Example: verweef contact edit "An Peeters" --email an.peeters@stad.gent --site "Oude Weverij (advisor)"
    """
    from verweefcli.domain.contacts import edit_contact

    changes = given(
        name=name, organisation=organisation, role=role, email=email, phone=phone, region=region, notes=notes
    )
    record = edit_contact(state(ctx).store(write=True), ref, changes, add_sites=site, remove_sites=remove_site)
    done(f"Updated contact #{record['id']} {record['name']}.", record, NOUN, fmt, _fields())


@app.command("remove")
def remove(ctx: typer.Context, ref: opt.ContactRef, yes: opt.Yes = False) -> None:
    """Remove a contact and their links (activities stay).

    Example: verweef contact remove "An Peeters" --yes
    """
    from verweefcli.domain.contacts import removal_plan, remove_contact

    opt.remove_after_asking(ctx, NOUN, ref, yes, removal_plan, remove_contact)


@app.command("forget")
def forget(
    ctx: typer.Context,
    ref: opt.ContactRef,
    redact_notes: Annotated[
        bool, typer.Option("--redact-notes", help="Also replace the name with [verwijderd] in other records' notes.")
    ] = False,
    yes: opt.Yes = False,
) -> None:
    """Forget a person (GDPR): their record and links go, and a merge will not bring them back.

    The notes of other records that name them are listed; --redact-notes replaces the name there.

    Example: verweef contact forget "An Peeters" --redact-notes
    """
    from verweefcli.cli.common import confirm, say
    from verweefcli.domain.contacts import get_contact
    from verweefcli.domain.privacy import REDACTED, mentions

    store = state(ctx).store(write=True)
    contact = get_contact(store, ref)
    named = mentions(store, contact["name"], leave=("contact", contact["id"]))
    lines = [f"{m.table} #{m.id} {m.field}" for m in named]
    effects = [f"{len(named)} note(s) name them: {', '.join(lines[:8])}{', ...' if len(lines) > 8 else ''}"]
    effects = effects if named else []
    if named:
        effects.append(f"the name there becomes {REDACTED}" if redact_notes else "those notes stay (--redact-notes)")
    confirm(
        opt.removal_question(NOUN, contact, ["their links and fields go; a tombstone keeps their uuid", *effects]), yes
    )
    from verweefcli.domain.privacy import forget as forget_person

    forget_person(store, contact["id"], redact=redact_notes)
    say(f"Forgot contact #{contact['id']}.")
    for effect in effects:
        say(f"  {effect}", style="dim")


@app.command("export")
def export(
    ctx: typer.Context,
    ref: opt.ContactRef,
    output: Annotated[
        str, typer.Option("--output", "-o", metavar="FILE", help="The JSON file (- for standard output).")
    ],
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
) -> None:
    """Everything held about one person, as JSON: for a subject access request (GDPR).

    Their record, companies, the activities with them, the cases they reported, the notes that name them.

    Example: verweef contact export "An Peeters" -o an-peeters.json
    """
    from verweefcli.domain.privacy import subject_access
    from verweefcli.files import open_output, plan_outputs
    from verweefcli.render.serialize import to_json

    data = subject_access(state(ctx).store(write=False), ref)
    (target,) = plan_outputs([output], force=force)
    with open_output(target, encoding="utf-8", private=True) as stream:
        stream.write(to_json(data))
