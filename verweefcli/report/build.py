"""The quarterly report as data: a pure function of (database, period, as-of date).

No rendering happens here; :mod:`verweefcli.report.render_markdown` and its
siblings turn a :class:`Report` into text.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from verweefcli.dates import Period, months_between
from verweefcli.domain.common import resolve
from verweefcli.domain.regions import coach_status
from verweefcli.report import queries
from verweefcli.report.cases import CaseRows, Nuisance, Requests, add_nuisance, add_requests
from verweefcli.report.tally import add_counts, counts
from verweefcli.storage import Store
from verweefcli.vocab import Vocabulary


@dataclass
class Item:
    """One line of a list: a notable activity or a follow-up."""

    id: int
    date: str
    kind: str
    title: str | None
    site: str | None
    follow_up: str | None = None
    note: str | None = None  # a follow-up's: what was promised
    #: what the day belongs to: an activity, or a company request, a nuisance case, a measure
    type: str = "activity"


@dataclass
class Appointment:
    coach: str | None
    coach_status: str
    appointed_on: str | None
    ends_on: str | None
    #: the coach's situation at the reference date: appointed, not_yet (appointed
    #: after it), ended, or the stored status (planned, selecting) if never appointed
    state: str
    months_active: int | None


@dataclass
class Work:
    activities: int = 0
    minutes: int = 0
    activity_counts: dict[str, int] = field(default_factory=dict)
    category_counts: dict[str, int] = field(default_factory=dict)
    months: dict[str, int] = field(default_factory=dict)

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)


@dataclass
class Sites:
    mapped: int = 0
    visited: int = 0
    stage_changes: dict[str, int] = field(default_factory=dict)
    funnel: dict[str, int] = field(default_factory=dict)
    never_visited: int = 0
    never_visited_names: list[tuple[str, str | None]] = field(default_factory=list)


@dataclass
class Contacts:
    met: int = 0
    new: int = 0
    new_by_role: dict[str, int] = field(default_factory=dict)


@dataclass
class FollowUps:
    due_next: list[Item] = field(default_factory=list)
    due_next_total: int = 0
    overdue: list[Item] = field(default_factory=list)
    overdue_total: int = 0


@dataclass
class RegionReport:
    id: int
    name: str
    appointment: Appointment
    work: Work
    previous: Work
    highlights: list[Item]
    highlights_total: int
    sites: Sites
    contacts: Contacts
    follow_ups: FollowUps
    #: activities of the period dated after the reference day: planned, not counted as work
    planned: int = 0
    requests: Requests = field(default_factory=Requests)
    nuisance: Nuisance = field(default_factory=Nuisance)


@dataclass
class Totals:
    regions: int
    appointed: int
    #: regions whose coach has not started (planned, selecting, appointed later)
    not_appointed: list[str]
    #: regions whose coach's term has ended
    term_ended: list[str]
    work: Work
    previous: Work
    highlights_total: int
    sites: Sites
    contacts: Contacts
    follow_ups: FollowUps
    planned: int = 0
    requests: Requests = field(default_factory=Requests)
    nuisance: Nuisance = field(default_factory=Nuisance)


@dataclass
class Report:
    period: Period
    previous: Period
    following: Period
    as_of: dt.date
    #: the day the report looks from: the end of the period, or the as-of date if earlier
    ref: dt.date
    regions: list[RegionReport]
    totals: Totals
    months: list[str]
    kinds: list[str]
    categories: list[str]
    stages: list[str]
    roles: list[str]
    #: the coaches' files merged into this one (``db merge``): each file and its last change
    sources: list[dict[str, str]] = field(default_factory=list)


def _following(period: Period) -> Period:
    if period.quarter:
        return Period.of_quarter(period.quarter.next())
    length = period.end - period.start
    start = period.end + dt.timedelta(days=1)
    return Period(start, start + length)


def _months(period: Period) -> list[str]:
    months = []
    year, month = period.start.year, period.start.month
    while (year, month) <= (period.end.year, period.end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def appointment(row: Any, ref: dt.date) -> Appointment:
    """The coach's situation on the reference day (:func:`regions.coach_status`) and months active."""
    state = coach_status(row["coach_status"], row["appointed_on"], row["ends_on"], ref)
    months = None
    if state == "ended":
        months = months_between(dt.date.fromisoformat(row["appointed_on"]), dt.date.fromisoformat(row["ends_on"]))
    elif state == "appointed":
        months = months_between(dt.date.fromisoformat(row["appointed_on"]), ref)
    return Appointment(row["coach"], state, row["appointed_on"], row["ends_on"], state, months)


def _work(vocab: Vocabulary, kinds: list[str], categories: list[str], rows: Iterable[Any], months: list[str]) -> Work:
    work = Work(
        activity_counts=dict.fromkeys(kinds, 0),
        category_counts=dict.fromkeys(categories, 0),
        months=dict.fromkeys(months, 0),
    )
    for row in rows:
        work.activities += row["n"]
        work.minutes += row["minutes"]
        work.activity_counts[row["kind"]] = work.activity_counts.get(row["kind"], 0) + row["n"]
        category = vocab.category_of(row["kind"])
        work.category_counts[category] = work.category_counts.get(category, 0) + row["n"]
        if "month" in row.keys() and row["month"] in work.months:  # noqa: SIM118 (sqlite3.Row)
            work.months[row["month"]] += row["n"]
    return work


def _add_work(total: Work, part: Work) -> None:
    total.activities += part.activities
    total.minutes += part.minutes
    add_counts(total.activity_counts, part.activity_counts)
    add_counts(total.category_counts, part.category_counts)
    add_counts(total.months, part.months)


def _item(row: Any) -> Item:
    keys = row.keys()
    return Item(
        id=row["id"],
        date=row["date"],
        kind=row["kind"],
        title=row["title"],
        site=row["site"],
        follow_up=row["follow_up"] if "follow_up" in keys else None,
        note=row["follow_up_note"] if "follow_up_note" in keys else None,
    )


def region_ids(store: Store, refs: list[str] | None) -> list[int]:
    """The regions to report on, by reference; all of them when none are given."""
    if not refs:
        return [r["id"] for r in store.rows("SELECT id FROM region ORDER BY name_key")]
    ids: list[int] = []
    for ref in refs:
        region_id = resolve(store, "region", ref)["id"]
        if region_id not in ids:
            ids.append(region_id)
    return ids


def build_report(
    store: Store,
    period: Period,
    *,
    regions: list[str] | None = None,
    as_of: dt.date | None = None,
) -> Report:
    """Everything the quarterly report says, computed from the database."""
    as_of = as_of or store.today
    ref = min(as_of, period.end)
    previous, following = period.previous(), _following(period)
    params = queries.parameters(
        region_ids(store, regions),
        period.start,
        period.end,
        (previous.start, previous.end),
        (following.start, following.end),
        ref,
    )
    rows = _Rows(store, params, _months(period), ref)
    reports = [rows.region(row) for row in store.rows(queries.PROGRAMME["regions"], params)]
    return Report(
        period=period,
        previous=previous,
        following=following,
        as_of=as_of,
        ref=ref,
        regions=reports,
        totals=_totals(reports, rows),
        months=rows.months,
        kinds=rows.kinds,
        categories=rows.categories,
        stages=rows.stages,
        roles=[*rows.roles, "none"],
        sources=merged_sources(store),
    )


def merged_sources(store: Store) -> list[dict[str, str]]:
    """The files merged into this one, by name (``db merge`` records them)."""
    import json

    found = [json.loads(r[0]) for r in store.tuples("SELECT value FROM meta WHERE key LIKE 'merged:%'")]
    return sorted(found, key=lambda s: s["file"])


class _Rows:
    """The report's statements, run once for all regions (grouped by region), and the steps that
    make one region's part of the report from them."""

    def __init__(self, store: Store, params: dict[str, Any], months: list[str], ref: dt.date) -> None:
        vocab = store.vocab
        self.store, self.params, self.months, self.ref, self.vocab = store, params, months, ref, vocab
        self.kinds = list(vocab.activity_kinds)
        self.categories = list(vocab.activity_categories)
        self.stages = vocab.stage_order()
        self.roles = list(vocab.contact_roles)
        self.by_region: dict[str, dict[int, list[Any]]] = {}
        for name, sql in queries.PROGRAMME.items():
            grouped: dict[int, list[Any]] = defaultdict(list)
            for row in store.rows(sql, params):
                grouped[row["region_id"]].append(row)
            self.by_region[name] = grouped
        self.first_met = {r["contact_id"]: r["role"] for r in store.rows(queries.CONTACTS_FIRST_MET, params)}
        self.cases = CaseRows(store, params, queries.LIST_LIMIT)

    def listed(self, name: str, region_id: int, total: int) -> list[Any]:
        """A region's first items of a list (the statement runs only if there are any)."""
        if not total:
            return []
        return self.store.rows(queries.PER_REGION[name], {**self.params, "region": region_id})

    def count(self, name: str, region_id: int) -> int:
        return sum(r["n"] for r in self.by_region[name][region_id])

    def work(self, name: str, region_id: int, months: list[str]) -> Work:
        return _work(self.vocab, self.kinds, self.categories, self.by_region[name][region_id], months)

    def sites(self, rid: int) -> Sites:
        by_region = self.by_region
        funnel = counts(self.stages, ((r["stage"], r["n"]) for r in by_region["funnel"][rid]))
        never = funnel.get("identified", 0)
        return Sites(
            mapped=self.count("sites_mapped", rid),
            visited=len(by_region["sites_visited"][rid]),
            stage_changes=counts(self.stages, ((r["stage"], r["n"]) for r in by_region["stage_changes"][rid])),
            funnel=funnel,
            never_visited=never,
            never_visited_names=[(r["name"], r["identified_on"]) for r in self.listed("never_visited", rid, never)],
        )

    def contacts(self, rid: int) -> Contacts:
        """Met in the period, and new: met for the first time, or recorded in it and not met yet."""
        met = [r["contact_id"] for r in self.by_region["contacts_met"][rid]]
        new_roles = [self.first_met[c] for c in met if c in self.first_met]
        new_roles += [r["role"] for r in self.by_region["contacts_recorded"][rid]]
        return Contacts(
            met=len(met),
            new=len(new_roles),
            new_by_role=counts([*self.roles, "none"], ((r or "none", 1) for r in new_roles)),
        )

    def follow_ups(self, rid: int) -> FollowUps:
        """The activities' follow-ups and the other records' days (requests, cases, measures), by day."""
        due, overdue = self.count("follow_ups_next", rid), self.count("follow_ups_overdue", rid)
        others_next, others_overdue = self.cases.promises(rid)

        def merged(activities: list[Any], others: list[Item]) -> list[Item]:
            items = [_item(r) for r in activities] + others
            return sorted(items, key=lambda i: (i.follow_up or "", i.type != "activity"))[: queries.LIST_LIMIT]

        return FollowUps(
            due_next=merged(self.listed("follow_ups_next", rid, due), others_next),
            due_next_total=due + len(others_next),
            overdue=merged(self.listed("follow_ups_overdue", rid, overdue), others_overdue),
            overdue_total=overdue + len(others_overdue),
        )

    def region(self, row: Any) -> RegionReport:
        rid = row["region_id"]
        highlights = self.count("highlights", rid)
        return RegionReport(
            id=rid,
            name=row["name"],
            appointment=appointment(row, self.ref),
            work=self.work("work", rid, self.months),
            previous=self.work("previous_work", rid, []),
            highlights=[_item(r) for r in self.listed("highlights", rid, highlights)],
            highlights_total=highlights,
            planned=self.count("planned", rid),
            sites=self.sites(rid),
            contacts=self.contacts(rid),
            follow_ups=self.follow_ups(rid),
            requests=self.cases.requests(rid),
            nuisance=self.cases.nuisance(rid),
        )


def _totals(reports: list[RegionReport], data: _Rows) -> Totals:
    """The programme as a whole: the regions' figures added up, each site and contact counted once."""
    work = Work(
        activity_counts=dict.fromkeys(data.kinds, 0),
        category_counts=dict.fromkeys(data.categories, 0),
        months=dict.fromkeys(data.months, 0),
    )
    previous = Work(activity_counts=dict.fromkeys(data.kinds, 0), category_counts=dict.fromkeys(data.categories, 0))
    for report in reports:
        _add_work(work, report.work)
        _add_work(previous, report.previous)
    return Totals(
        regions=len(reports),
        appointed=sum(1 for r in reports if r.appointment.state == "appointed"),
        not_appointed=[r.name for r in reports if r.appointment.state in ("planned", "selecting", "not_yet")],
        term_ended=[r.name for r in reports if r.appointment.state == "ended"],
        work=work,
        previous=previous,
        highlights_total=sum(r.highlights_total for r in reports),
        planned=sum(r.planned for r in reports),
        sites=_programme_sites(reports, data),
        contacts=_programme_contacts(data),
        follow_ups=FollowUps(
            due_next_total=sum(r.follow_ups.due_next_total for r in reports),
            overdue_total=sum(r.follow_ups.overdue_total for r in reports),
        ),
        requests=add_requests([r.requests for r in reports]),
        nuisance=add_nuisance([r.nuisance for r in reports]),
    )


def _programme_sites(reports: list[RegionReport], data: _Rows) -> Sites:
    sites = Sites(stage_changes=dict.fromkeys(data.stages, 0), funnel=dict.fromkeys(data.stages, 0))
    for report in reports:
        sites.mapped += report.sites.mapped
        sites.never_visited += report.sites.never_visited
        add_counts(sites.stage_changes, report.sites.stage_changes)
        add_counts(sites.funnel, report.sites.funnel)
    # a site visited in two regions counts once for the programme
    sites.visited = len({r["site_id"] for rows in data.by_region["sites_visited"].values() for r in rows})
    return sites


def _programme_contacts(data: _Rows) -> Contacts:
    """A contact met in two regions counts once for the programme."""
    met = {r["contact_id"] for rows in data.by_region["contacts_met"].values() for r in rows}
    new = {c: data.first_met[c] for c in met if c in data.first_met}
    for rows in data.by_region["contacts_recorded"].values():
        for r in rows:
            new[r["contact_id"]] = r["role"]
    return Contacts(
        met=len(met),
        new=len(new),
        new_by_role=counts([*data.roles, "none"], ((role or "none", 1) for role in new.values())),
    )


def report_as_dict(report: Report) -> dict[str, Any]:
    """The stable JSON shape of the report (documented in the README)."""

    def work(w: Work, with_months: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "activities": w.activities,
            "minutes": w.minutes,
            "hours": w.hours,
            "activity_counts": w.activity_counts,
            "category_counts": w.category_counts,
        }
        if with_months:
            out["months"] = w.months
        return out

    def period(p: Period) -> dict[str, Any]:
        return {"label": p.label, "start": p.start.isoformat(), "end": p.end.isoformat()}

    def sites(s: Sites) -> dict[str, Any]:
        data = asdict(s)
        data["never_visited_names"] = [{"name": n, "identified_on": d} for n, d in s.never_visited_names]
        return data

    regions = []
    for r in report.regions:
        a = r.appointment
        regions.append(
            {
                "name": r.name,
                "coach": a.coach,
                "coach_status": a.coach_status,
                "appointment": a.state,
                "appointed_on": a.appointed_on,
                "ends_on": a.ends_on,
                "months_active": a.months_active,
                **work(r.work),
                "previous": work(r.previous, with_months=False),
                "highlights": [asdict(i) for i in r.highlights],
                "highlights_total": r.highlights_total,
                "planned": r.planned,
                "sites": sites(r.sites),
                "contacts": asdict(r.contacts),
                "follow_ups": asdict(r.follow_ups),
                "requests": requests_dict(r.requests),
                "nuisance": nuisance_dict(r.nuisance),
            }
        )
    t = report.totals
    return {
        "report": "quarterly",
        "period": {
            **period(report.period),
            "previous": period(report.previous),
            "next": period(report.following),
        },
        "as_of": report.as_of.isoformat(),
        "reference_date": report.ref.isoformat(),
        "sources": report.sources,
        "regions": regions,
        "totals": {
            "regions": t.regions,
            "regions_appointed": t.appointed,
            "regions_not_appointed": t.not_appointed,
            "regions_term_ended": t.term_ended,
            **work(t.work),
            "previous": work(t.previous, with_months=False),
            "highlights_total": t.highlights_total,
            "planned": t.planned,
            "sites": sites(t.sites),
            "contacts": asdict(t.contacts),
            "follow_ups": {
                "due_next_total": t.follow_ups.due_next_total,
                "overdue_total": t.follow_ups.overdue_total,
            },
            "requests": requests_dict(t.requests, listed=False),
            "nuisance": nuisance_dict(t.nuisance),
        },
    }


def requests_dict(part: Requests, *, listed: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "received": part.received,
        "open": part.open,
        "open_by_stage": part.open_by_stage,
        "closed": part.closed,
        "closed_by_outcome": part.closed_by_outcome,
        "average_days_to_close": part.average_days_to_close,
    }
    if listed:
        out["listed"] = [asdict(item) for item in part.listed]
        out["listed_total"] = part.listed_total
    return out


def nuisance_dict(part: Nuisance) -> dict[str, Any]:
    return {
        "opened": part.opened,
        "open": part.open,
        "closed": part.closed,
        "closed_by_result": part.closed_by_result,
        "measures_proposed": part.measures_proposed,
        "measures_implemented": part.measures_implemented,
    }
