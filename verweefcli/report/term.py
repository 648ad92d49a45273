"""The evaluation over a coach's term (``verweef report term``): each region from the coach's start.

For each region with a coach: per quarter from the appointment to the end of
the term (or the reference day): activities and hours by category, visits, the
sites per stage at the quarter's end (from their stage histories), the network
(distinct contacts met so far), and over the term the requests by outcome and
the nuisance cases by result. Then the regions side by side, per month of
activity, so that a coach who started in June compares with one who started
in February. The same rules as the quarterly report: a stage on a day is the
site's stage history on that day, a request's outcome the one its closing move
recorded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from verweefcli.dates import Quarter, months_between
from verweefcli.report.document import Block, Chart, Heading, Para, Table, Title
from verweefcli.report.i18n import Words
from verweefcli.storage import Store
from verweefcli.vocab import Vocabulary


@dataclass
class QuarterRow:
    label: str
    activities: int
    hours: float
    by_category: dict[str, int]
    visits: int
    contacts_so_far: int
    sites_by_stage: dict[str, int]


@dataclass
class RegionTerm:
    name: str
    coach: str | None
    start: str
    end: str
    months: int
    quarters: list[QuarterRow] = field(default_factory=list)
    requests_received: int = 0
    requests_by_outcome: dict[str, int] = field(default_factory=dict)
    nuisance_reported: int = 0
    nuisance_by_result: dict[str, int] = field(default_factory=dict)

    def per_month(self) -> dict[str, float]:
        months = max(self.months, 1)
        total = {
            "activities": sum(q.activities for q in self.quarters),
            "hours": sum(q.hours for q in self.quarters),
            "visits": sum(q.visits for q in self.quarters),
            "contacts": self.quarters[-1].contacts_so_far if self.quarters else 0,
            "requests": self.requests_received,
        }
        return {key: round(value / months, 1) for key, value in total.items()}


def build_term(store: Store, ref: dt.date, regions: list[int] | None = None) -> list[RegionTerm]:
    """Every region whose coach started on or before ``ref`` (or those chosen)."""
    rows = store.rows(
        "SELECT id, name, coach, appointed_on, ends_on FROM region WHERE appointed_on IS NOT NULL ORDER BY name_key"
    )
    found = []
    for row in rows:
        if regions is not None and row["id"] not in regions:
            continue
        start = dt.date.fromisoformat(row["appointed_on"])
        if start > ref:
            continue
        end = min(dt.date.fromisoformat(row["ends_on"]), ref) if row["ends_on"] else ref
        term = RegionTerm(row["name"], row["coach"], start.isoformat(), end.isoformat(), months_between(start, end))
        _quarters(store, row["id"], start, end, term)
        _outcomes(store, row["id"], start, end, term)
        found.append(term)
    return found


def _quarters(store: Store, region_id: int, start: dt.date, end: dt.date, term: RegionTerm) -> None:
    categories = {key: store.vocab.category_of(key) for key in store.vocab.activity_kinds}
    quarter = Quarter.containing(start)
    while quarter.start <= end:
        first, last = max(quarter.start, start).isoformat(), min(quarter.end, end).isoformat()
        kinds = store.tuples(
            "SELECT kind, count(*), coalesce(sum(minutes), 0) FROM activity INDEXED BY activity_region_date "
            "WHERE region_id = ? AND date BETWEEN ? AND ? GROUP BY kind",
            (region_id, first, last),
        )
        by_category: dict[str, int] = dict.fromkeys(store.vocab.activity_categories, 0)
        for kind, count, _ in kinds:
            category = categories.get(kind)
            if category:
                by_category[category] = by_category.get(category, 0) + count
        term.quarters.append(
            QuarterRow(
                label=quarter.label,
                activities=sum(k[1] for k in kinds),
                hours=round(sum(k[2] for k in kinds) / 60, 1),
                by_category=by_category,
                visits=sum(k[1] for k in kinds if k[0] == "visit"),
                contacts_so_far=_contacts_met(store, region_id, start.isoformat(), last),
                sites_by_stage=_stages_on(store, region_id, last),
            )
        )
        quarter = quarter.next()


def _contacts_met(store: Store, region_id: int, first: str, last: str) -> int:
    found = store.value(
        "SELECT count(DISTINCT x.contact_id) FROM activity a INDEXED BY activity_region_date "
        "CROSS JOIN activity_contact x ON x.activity_id = a.id WHERE a.region_id = ? AND a.date BETWEEN ? AND ?",
        (region_id, first, last),
    )
    return int(found or 0)


def _stages_on(store: Store, region_id: int, day: str) -> dict[str, int]:
    """The region's sites by their stage on ``day`` (sites identified by then)."""
    counts: dict[str, int] = dict.fromkeys(store.vocab.stage_order(), 0)
    for (stage,) in store.tuples(
        "SELECT (SELECT h.stage FROM site_stage h WHERE h.site_id = s.id AND h.since <= ? "
        "ORDER BY h.since DESC, h.id DESC LIMIT 1) FROM site s WHERE s.region_id = ?",
        (day, region_id),
    ):
        if stage is not None:
            counts[stage] = counts.get(stage, 0) + 1
    return counts


def _outcomes(store: Store, region_id: int, start: dt.date, end: dt.date, term: RegionTerm) -> None:
    from verweefcli.domain.request_rules import REGION

    first, last = start.isoformat(), end.isoformat()
    term.requests_received = int(
        store.value(f"SELECT count(*) FROM request r WHERE {REGION} = ? AND r.received_on BETWEEN ? AND ?",
                    (region_id, first, last)) or 0
    )  # fmt: skip
    term.requests_by_outcome = dict.fromkeys(store.vocab.request_outcomes, 0)
    for outcome, count in store.tuples(
        f"SELECT m.outcome, count(*) FROM request r CROSS JOIN request_move m ON m.request_id = r.id "
        f"WHERE {REGION} = ? AND m.stage = 'closed' AND m.date BETWEEN ? AND ? AND m.outcome IS NOT NULL "
        "GROUP BY m.outcome",
        (region_id, first, last),
    ):
        term.requests_by_outcome[outcome] = term.requests_by_outcome.get(outcome, 0) + count
    cases = "FROM nuisance n CROSS JOIN site s ON s.id = n.site_id WHERE s.region_id = ?"
    term.nuisance_reported = int(
        store.value(f"SELECT count(*) {cases} AND n.reported_on BETWEEN ? AND ?", (region_id, first, last)) or 0
    )
    term.nuisance_by_result = dict.fromkeys(store.vocab.nuisance_results, 0)
    for result, count in store.tuples(
        f"SELECT n.result, count(*) {cases} AND n.closed_on BETWEEN ? AND ? GROUP BY n.result",
        (region_id, first, last),
    ):
        term.nuisance_by_result[result] = term.nuisance_by_result.get(result, 0) + count


def term_as_dict(terms: list[RegionTerm], ref: dt.date) -> dict[str, Any]:
    return {
        "report": "term",
        "reference_date": ref.isoformat(),
        "regions": [{**asdict(t), "per_month": t.per_month()} for t in terms],
    }


_WORDS = {
    "title": ("Verweefcoaches – evaluatie over de termijn", "Verweefcoaches – evaluation over the term"),
    "subtitle": ("stand op {date}", "as of {date}"),
    "none": ("Nog geen coach aan de slag.", "No coach at work yet."),
    "coach_line": (
        "{coach}, sinds {start} ({months} maanden tot {end}).",
        "{coach}, since {start} ({months} months to {end}).",
    ),
    "quarter": ("Kwartaal", "Quarter"),
    "activities": ("Activiteiten", "Activities"),
    "hours": ("Uren", "Hours"),
    "visits": ("Plaatsbezoeken", "Site visits"),
    "network": ("Netwerk (contacten tot dan)", "Network (contacts so far)"),
    "stages": ("Sites per stadium op het einde van het kwartaal", "Sites per stage at the quarter's end"),
    "outcomes": (
        "Bedrijfsvragen: {received} ontvangen; afgesloten: {closed}. Hinder: {reported} gemeld; afgesloten: {results}.",
        "Company requests: {received} received; closed: {closed}. Nuisance: {reported} reported; closed: {results}.",
    ),
    "compare": ("Regio's naast elkaar, per maand actief", "Regions side by side, per month active"),
    "region": ("Regio", "Region"),
    "months": ("Maanden", "Months"),
    "per_month": ("{what} per maand", "{what} per month"),
    "requests": ("Vragen", "Requests"),
    "chart": ("Activiteiten per kwartaal", "Activities per quarter"),
}


def compose_term(terms: list[RegionTerm], ref: dt.date, vocab: Vocabulary, lang: str) -> list[Block]:
    index = 0 if lang == "nl" else 1
    w = Words(lang)

    def say(key: str, **values: Any) -> str:
        return _WORDS[key][index].format(**values)

    blocks: list[Block] = [Title(say("title"), say("subtitle", date=w.long_date(ref)))]
    if not terms:
        return [*blocks, Para(say("none"))]
    for term in terms:
        blocks += _region_blocks(term, vocab, lang, say, w)
    labels = sorted({q.label for t in terms for q in t.quarters})
    series = [
        (t.name, [next((q.activities for q in t.quarters if q.label == lab), 0) for lab in labels]) for t in terms
    ]
    blocks.append(Chart(say("chart"), labels, series, say("activities")))
    columns = [say("region"), say("months")] + [
        say("per_month", what=say(k)) for k in ("activities", "hours", "visits", "network", "requests")
    ]
    rows = [[t.name, w.number(t.months), *(w.number(v) for v in t.per_month().values())] for t in terms]
    blocks += [Heading(2, say("compare")), Table(columns, rows, [False] + [True] * (len(columns) - 1))]
    return blocks


def _region_blocks(term: RegionTerm, vocab: Vocabulary, lang: str, say: Any, w: Words) -> list[Block]:
    coach = term.coach or "—"
    blocks: list[Block] = [
        Heading(2, term.name),
        Para(say("coach_line", coach=coach, start=term.start, months=term.months, end=term.end)),
    ]
    categories = list(vocab.activity_categories)
    columns = [
        say("quarter"),
        say("activities"),
        say("hours"),
        *(vocab.label("activity_categories", c, lang) for c in categories),
        say("visits"),
        say("network"),
    ]
    rows = [
        [q.label, w.number(q.activities), w.number(q.hours), *(w.number(q.by_category.get(c, 0)) for c in categories),
         w.number(q.visits), w.number(q.contacts_so_far)]
        for q in term.quarters
    ]  # fmt: skip
    blocks.append(Table(columns, rows, [False] + [True] * (len(columns) - 1)))
    stages = vocab.stage_order()
    stage_rows = [[q.label, *(w.number(q.sites_by_stage.get(s, 0)) for s in stages)] for q in term.quarters]
    blocks += [
        Heading(3, say("stages")),
        Table([say("quarter"), *(vocab.label("site_stages", s, lang) for s in stages)], stage_rows,
              [False] + [True] * len(stages)),
    ]  # fmt: skip
    closed = (
        ", ".join(f"{vocab.label('request_outcomes', k, lang)} {n}" for k, n in term.requests_by_outcome.items() if n)
        or "0"
    )
    results = (
        ", ".join(f"{vocab.label('nuisance_results', k, lang)} {n}" for k, n in term.nuisance_by_result.items() if n)
        or "0"
    )
    blocks.append(
        Para(say("outcomes", received=term.requests_received, closed=closed, reported=term.nuisance_reported,
                 results=results))
    )  # fmt: skip
    return blocks
