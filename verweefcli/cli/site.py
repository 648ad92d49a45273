"""``verweef site``: company sites, buildings and zones, and their stage."""

from __future__ import annotations

from typing import Annotated

import typer

from verweefcli.cli import completion
from verweefcli.cli import options as opt
from verweefcli.cli.common import Format, done, emit, filters, given, need, state

app = typer.Typer(no_args_is_help=True, add_completion=False)  # its help is in verweefcli.cli.app.GROUPS

NOUN = "site"


def _fields() -> tuple[str, ...]:
    from verweefcli.domain.sites import FIELDS

    return FIELDS


Address = Annotated[str | None, typer.Option(metavar="TEXT", help="Street, number, postcode and municipality.")]
Municipality = Annotated[str | None, typer.Option("--municipality", "-m", metavar="MUNICIPALITY", help="Municipality.")]
Kind = Annotated[
    str | None,
    typer.Option(
        "--kind",
        "-k",
        metavar="KIND",
        help="Kind of site, e.g. company-site, vacant-building, business-zone.",
        autocompletion=completion.site_kinds,
    ),
]
Stage = Annotated[
    str | None,
    typer.Option(
        "--stage",
        metavar="STAGE",
        help="identified, visited, studied, candidate, woven or dropped.",
        autocompletion=completion.site_stages,
    ),
]
FloorArea = Annotated[
    str | None,
    typer.Option("--floor-area", "--floor-area-m2", metavar="NUMBER", help="Floor area in m² (1200 or 1.200,5)."),
]
Owner = Annotated[str | None, typer.Option(metavar="TEXT", help="Owner of the site.")]
Zoning = Annotated[str | None, typer.Option(metavar="TEXT", help="Zoning (bestemming), e.g. woongebied.")]
Rup = Annotated[
    str | None, typer.Option(metavar="TEXT", help="Reference of the spatial plan (RUP) that covers the site.")
]
Lat = Annotated[str | None, typer.Option(metavar="NUMBER", help="Latitude (WGS84), e.g. 50.8167.")]
Lon = Annotated[str | None, typer.Option(metavar="NUMBER", help="Longitude (WGS84), e.g. 5.1864.")]
X = Annotated[
    str | None,
    typer.Option("--x", metavar="NUMBER", help="Belgian Lambert 72 x in metres (Geopunt, GRB), e.g. 104512.3."),
]
Y = Annotated[str | None, typer.Option("--y", metavar="NUMBER", help="Belgian Lambert 72 y in metres, e.g. 193478.6.")]


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(metavar="NAME", help="Name of the site.")] = None,
    address: Address = None,
    municipality: Municipality = None,
    region: opt.Region = None,
    kind: Kind = None,
    stage: Stage = None,
    floor_area: FloorArea = None,
    owner: Owner = None,
    zoning: Zoning = None,
    rup: Rup = None,
    lat: Lat = None,
    lon: Lon = None,
    x: X = None,
    y: Y = None,
    tag: opt.Tags = None,
    notes: opt.Notes = None,
    date: Annotated[
        str | None, typer.Option("--date", "-d", metavar="DATE", help="When the site was identified (default today).")
    ] = None,
    fmt: opt.RecordFormat = Format.table,
) -> None:
    """Add a site (it starts as 'identified' unless --stage says otherwise).

    Example: verweef site add "Brouwerij De Zwaan" --region Gent -m Gent --kind company-site --tag geur
    """
    from verweefcli.domain.sites import add_site

    st = state(ctx)
    name = need(name, "NAME", "Site name")
    region = need(region or st.config.region, "--region", "Region")
    record = add_site(
        st.store(write=True),
        {
            "name": name,
            "address": address,
            "municipality": municipality,
            "region": region,
            "kind": kind,
            "stage": stage,
            "floor_area_m2": floor_area,
            "owner": owner,
            "zoning": zoning,
            "rup": rup,
            "lat": lat,
            "lon": lon,
            "x": x,
            "y": y,
            "tags": tag,
            "notes": notes,
        },
        on=date,
    )
    done(f"Added site #{record['id']} {record['name']} ({record['stage']}).", record, NOUN, fmt, _fields())


@app.command("list")
def list_(
    ctx: typer.Context,
    region: opt.Region = None,
    kind: Kind = None,
    stage: Stage = None,
    municipality: Municipality = None,
    tag: opt.Tags = None,
    search: opt.Search = None,
    since: opt.Since = None,
    until: opt.Until = None,
    quarter: opt.Quarter = None,
    limit: opt.Limit = None,
    fmt: opt.ListFormat = Format.table,
) -> None:
    """List sites (--since/--until/--quarter filter on the day a site was identified).

    Example: verweef site list --region Gent --stage visited --quarter 2026Q2
    """
    from verweefcli.domain.sites import list_sites

    flt = filters(
        region=region,
        kind=kind,
        status=stage,
        municipality=municipality,
        tag=tag,
        search=search,
        since=since,
        until=until,
        quarter=quarter,
        limit=limit,
    )
    emit(NOUN, list_sites(state(ctx).store(write=False), flt), fmt, _fields(), many=True)


@app.command("show")
def show(ctx: typer.Context, ref: opt.SiteRef, fmt: opt.RecordFormat = Format.table) -> None:
    """Show a site with its contacts, stage history and activities (newest first).

    Example: verweef site show "Brouwerij De Zwaan"
    """
    from verweefcli.domain.sites import site_details

    emit(NOUN, site_details(state(ctx).store(write=False), ref), fmt, _fields(), many=False)


@app.command("edit")
def edit(
    ctx: typer.Context,
    ref: opt.SiteRef,
    name: Annotated[str | None, typer.Option(metavar="TEXT", help="New name.")] = None,
    address: Address = None,
    municipality: Municipality = None,
    region: opt.Region = None,
    kind: Kind = None,
    stage: Stage = None,
    floor_area: FloorArea = None,
    owner: Owner = None,
    zoning: Zoning = None,
    rup: Rup = None,
    lat: Lat = None,
    lon: Lon = None,
    x: X = None,
    y: Y = None,
    tag: opt.AddTags = None,
    remove_tag: opt.RemoveTags = None,
    notes: opt.Notes = None,
    date: Annotated[
        str | None, typer.Option("--date", "-d", metavar="DATE", help="When a new --stage took effect (default today).")
    ] = None,
    fmt: opt.RecordFormat = Format.table,
) -> None:
    """Change a site; a new --stage is added to its history (dated --date).

    Example: verweef site edit "Brouwerij De Zwaan" --stage studied --date 15/09/2026
    """
    from verweefcli.domain.sites import edit_site

    changes = given(
        name=name,
        address=address,
        municipality=municipality,
        region=region,
        kind=kind,
        floor_area_m2=floor_area,
        owner=owner,
        zoning=zoning,
        rup=rup,
        lat=lat,
        lon=lon,
        x=x,
        y=y,
        notes=notes,
        stage=stage,
    )
    record = edit_site(state(ctx).store(write=True), ref, changes, add_tags=tag, remove_tags=remove_tag, on=date)
    done(f"Updated site #{record['id']} {record['name']} ({record['stage']}).", record, NOUN, fmt, _fields())


@app.command("remove")
def remove(ctx: typer.Context, ref: opt.SiteRef, yes: opt.Yes = False) -> None:
    """Remove a site; its activities stay but no longer name it.

    Example: verweef site remove 12 --yes
    """
    from verweefcli.domain.sites import removal_plan, remove_site

    opt.remove_after_asking(ctx, NOUN, ref, yes, removal_plan, remove_site)
