"""The report's sections on company requests and nuisance cases (see :mod:`verweefcli.report.cases`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from verweefcli.report.cases import RequestItem

if TYPE_CHECKING:
    from verweefcli.report.document import Block, _Composer


def request_line(composer: _Composer, item: RequestItem) -> str:
    """``2020-05-12 · Brouwerij De Zwaan · Uitbreiding ter plaatse — Analyse``."""
    where = (
        composer.label("request_outcomes", item.outcome)
        if item.stage == "closed" and item.outcome
        else composer.label("request_stages", item.stage)
    )
    return f"{item.received_on} · {item.company} · {composer.label('request_types', item.type)} — {where}"


def requests_section(c: _Composer, number: int) -> list[Block]:
    from verweefcli.report.document import Heading, Para, Table

    r, w = c.r, c.w
    regions, t = r.regions, r.totals.requests
    blocks: list[Block] = [Heading(2, w("s_requests", number=number))]
    if not (t.received or t.open or t.closed):
        return [*blocks, Para(w("no_requests"))]
    rows = [
        c.matrix_row([w("requests_received")], [x.requests.received for x in regions], t.received),
        c.matrix_row([w("requests_open", date=w.long_date(r.ref))], [x.requests.open for x in regions], t.open),
        *[
            c.matrix_row(
                [f"· {c.label('request_stages', stage)}"],
                [x.requests.open_by_stage.get(stage, 0) for x in regions],
                n,
            )
            for stage, n in t.open_by_stage.items()
            if n
        ],
        c.matrix_row([w("requests_closed")], [x.requests.closed for x in regions], t.closed),
        *[
            c.matrix_row(
                [f"· {c.label('request_outcomes', outcome)}"],
                [x.requests.closed_by_outcome.get(outcome, 0) for x in regions],
                n,
            )
            for outcome, n in t.closed_by_outcome.items()
            if n
        ],
    ]
    columns = c.region_columns([""])
    blocks.append(Table(columns, rows, [False] + [True] * (len(columns) - 1)))
    if t.average_days_to_close is not None:
        blocks.append(Para(w("requests_days", days=t.average_days_to_close)))
    blocks.append(Heading(3, w("requests_listed")))
    pick = [
        (region, [request_line(c, item) for item in region.requests.listed], region.requests.listed_total)
        for region in regions
    ]
    return blocks + c.per_region_lists(pick, w("none"))


def nuisance_section(c: _Composer, number: int) -> list[Block]:
    from verweefcli.report.document import Heading, Para, Table

    r, w = c.r, c.w
    regions, t = r.regions, r.totals.nuisance
    blocks: list[Block] = [Heading(2, w("s_nuisance", number=number))]
    if not (t.opened or t.open or t.closed or any(t.measures_proposed.values())):
        return [*blocks, Para(w("no_nuisance"))]
    rows = [
        c.matrix_row([w("nuisance_opened")], [x.nuisance.opened for x in regions], t.opened),
        c.matrix_row([w("nuisance_open", date=w.long_date(r.ref))], [x.nuisance.open for x in regions], t.open),
        c.matrix_row([w("nuisance_closed")], [x.nuisance.closed for x in regions], t.closed),
        *[
            c.matrix_row(
                [f"· {c.label('nuisance_results', result)}"],
                [x.nuisance.closed_by_result.get(result, 0) for x in regions],
                n,
            )
            for result, n in t.closed_by_result.items()
            if n
        ],
    ]
    columns = c.region_columns([""])
    blocks.append(Table(columns, rows, [False] + [True] * (len(columns) - 1)))
    kinds = [k for k in t.measures_proposed if t.measures_proposed[k] or t.measures_implemented.get(k)]
    if kinds:
        measure_rows = [
            [c.label("measure_kinds", k), c.n(t.measures_proposed[k]), c.n(t.measures_implemented.get(k, 0))]
            for k in kinds
        ]
        blocks += [
            Heading(3, w("measures")),
            Table([w("measure_kind"), w("measures_proposed"), w("measures_implemented")], measure_rows,
                  [False, True, True]),
        ]  # fmt: skip
    return blocks
