"""``verweef company``: the companies a coach follows, their site and people."""

from __future__ import annotations

from typing import Annotated

import typer

from verweefcli.cli import completion
from verweefcli.cli import options as opt
from verweefcli.cli.common import Format, done, emit, filters, given, say, state

app = typer.Typer(no_args_is_help=True, add_completion=False)  # its help is in verweefcli.cli.app.GROUPS

NOUN = "company"


def _fields() -> tuple[str, ...]:
    from verweefcli.domain.companies import FIELDS

    return FIELDS


EnterpriseNumber = Annotated[
    str | None,
    typer.Option(
        "--enterprise-number",
        "--kbo",
        metavar="NUMBER",
        help="Enterprise number (KBO/BCE): 0123.456.789, 0123456789 or BE0123456789.",
    ),
]
Nace = Annotated[
    list[str] | None, typer.Option("--nace", metavar="CODE", help="NACE-BEL code, e.g. 25.11 (repeatable).")
]
Sector = Annotated[
    str | None,
    typer.Option(
        "--sector", metavar="SECTOR", help="Sector, e.g. manufacturing, food, metal.", autocompletion=completion.sectors
    ),
]
Staff = Annotated[str | None, typer.Option("--staff", metavar="INTEGER", help="Number of staff.")]
Site = Annotated[
    str | None,
    typer.Option("--site", metavar="SITE", help="The site it is on (id or name).", autocompletion=completion.sites),
]
Address = Annotated[str | None, typer.Option(metavar="TEXT", help="Address (when it differs from its site's).")]
Contacts = Annotated[
    list[str] | None,
    typer.Option(
        "--contact", "-c", metavar="CONTACT", help="A contact who works there (repeatable).",
        autocompletion=completion.contacts,
    ),
]  # fmt: skip


def _linked(names: list[str]) -> None:
    if names:
        say(f"Linked {len(names)} contact(s) whose organisation is its name: {', '.join(names)}.", style="dim")


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="Name of the company.")],
    enterprise_number: EnterpriseNumber = None,
    nace: Nace = None,
    sector: Sector = None,
    staff: Staff = None,
    site: Site = None,
    address: Address = None,
    region: opt.Region = None,
    contact: Contacts = None,
    tag: opt.Tags = None,
    notes: opt.Notes = None,
    fmt: opt.RecordFormat = Format.table,
) -> None:
    """Add a company (its region is its site's; without a site, give --region).

    Contacts whose organisation is the company's name are linked to it.

    Example: verweef company add "Brouwerij De Zwaan" --kbo 0403.170.701 --sector food --site "Brouwerij De Zwaan"
    """
    from verweefcli.domain.companies import add_company

    st = state(ctx)
    values = {
        "name": name,
        "enterprise_number": enterprise_number,
        "nace": nace,
        "sector": sector,
        "staff": staff,
        "site": site,
        "address": address,
        "region": region or (None if site else st.config.region),
        "contacts": contact,
        "tags": tag,
        "notes": notes,
    }
    record, linked = add_company(st.store(write=True), values)
    done(f"Added company #{record['id']} {record['name']}.", record, NOUN, fmt, _fields())
    if fmt is Format.table:
        _linked(linked)


@app.command("list")
def list_(
    ctx: typer.Context,
    region: opt.Region = None,
    sector: Sector = None,
    site: Site = None,
    tag: opt.Tags = None,
    search: opt.Search = None,
    limit: opt.Limit = None,
    fmt: opt.ListFormat = Format.table,
) -> None:
    """List companies (--search looks in the name, enterprise number and notes).

    Example: verweef company list --region Gent --sector metal
    """
    from verweefcli.domain.companies import list_companies

    flt = filters(region=region, kind=sector, site=site, tag=tag, search=search, limit=limit)
    emit(NOUN, list_companies(state(ctx).store(write=False), flt), fmt, _fields(), many=True)


@app.command("show")
def show(ctx: typer.Context, ref: opt.CompanyRef, fmt: opt.RecordFormat = Format.table) -> None:
    """Show a company with its people and one timeline: requests, nuisance cases, activities.

    Example: verweef company show "Brouwerij De Zwaan"
    """
    from verweefcli.domain.companies import company_details

    emit(NOUN, company_details(state(ctx).store(write=False), ref), fmt, _fields(), many=False)


@app.command("edit")
def edit(
    ctx: typer.Context,
    ref: opt.CompanyRef,
    name: Annotated[str | None, typer.Option(metavar="TEXT", help="New name.")] = None,
    enterprise_number: EnterpriseNumber = None,
    nace: Annotated[
        list[str] | None, typer.Option("--nace", metavar="CODE", help="NACE-BEL codes (replace the ones known).")
    ] = None,
    sector: Sector = None,
    staff: Staff = None,
    site: Site = None,
    address: Address = None,
    region: opt.Region = None,
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
        list[str] | None, typer.Option("--remove-contact", metavar="CONTACT", help="Unlink a contact (repeatable).")
    ] = None,
    tag: opt.AddTags = None,
    remove_tag: opt.RemoveTags = None,
    notes: opt.Notes = None,
    fmt: opt.RecordFormat = Format.table,
) -> None:
    """Change a company, its site, its people.

    Example: verweef company edit "Brouwerij De Zwaan" --staff 48 --contact "An Peeters"
    """
    from verweefcli.domain.companies import edit_company

    changes = given(
        name=name,
        enterprise_number=enterprise_number,
        nace=nace,
        sector=sector,
        staff=staff,
        site=site,
        address=address,
        region=region,
        notes=notes,
    )
    record, linked = edit_company(
        state(ctx).store(write=True),
        ref,
        changes,
        add_tags=tag or [],
        remove_tags=remove_tag or [],
        add_contacts=contact or [],
        remove_contacts=remove_contact or [],
    )
    done(f"Updated company #{record['id']} {record['name']}.", record, NOUN, fmt, _fields())
    if fmt is Format.table:
        _linked(linked)


@app.command("remove")
def remove(ctx: typer.Context, ref: opt.CompanyRef, yes: opt.Yes = False) -> None:
    """Remove a company and its requests; its nuisance cases and contacts stay.

    Example: verweef company remove 12 --yes
    """
    from verweefcli.domain.companies import removal_plan, remove_company

    opt.remove_after_asking(ctx, NOUN, ref, yes, removal_plan, remove_company)


@app.command("link-contacts")
def link_contacts(
    ctx: typer.Context,
    dry_run: Annotated[bool, typer.Option("--dry-run", "-n", help="Show the links, make none.")] = False,
) -> None:
    """Link each contact whose organisation names exactly one company to that company.

    The organisation stays as it was written; a name shared by two companies links nothing.

    Example: verweef company link-contacts --dry-run
    """
    from verweefcli.domain.companies import get_company, link_by_organisation, proposed_links

    store = state(ctx).store(write=not dry_run)
    proposals = proposed_links(store)
    if not proposals:
        say("No contact's organisation names exactly one company that it is not linked to yet.")
        return
    names = {company: get_company(store, company)["name"] for company in {p[0] for p in proposals}}
    for company, _, contact in proposals:
        say(f"{contact} -> {names[company]}")
    if dry_run:
        say(f"{len(proposals)} link(s) to make; nothing changed (--dry-run).", style="dim")
        return
    link_by_organisation(store)
    say(f"Linked {len(proposals)} contact(s).")
