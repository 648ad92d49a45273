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
    fmt: opt.ListFormat = Format.table,
) -> None:
    """List contacts (--since/--until/--quarter filter on when they were recorded).

    Example: verweef contact list --region Gent --role wijkregisseur
    """
    from verweefcli.domain.contacts import list_contacts

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
    emit(NOUN, list_contacts(state(ctx).store(write=False), flt), fmt, _fields(), many=True)


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
