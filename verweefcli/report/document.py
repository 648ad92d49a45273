"""The report as a document: headings, paragraphs, lists, tables and a chart.

:func:`compose` decides what the report says, in which language and order;
the Markdown, terminal and HTML renderers only decide how it looks. Texts here
are plain (never markup): each renderer escapes them for its own format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from verweefcli import __version__
from verweefcli.report.build import Item, RegionReport, Report
from verweefcli.report.document_cases import nuisance_section, requests_section
from verweefcli.report.i18n import Words
from verweefcli.vocab import Vocabulary


@dataclass
class Title:
    text: str
    subtitle: str


@dataclass
class Heading:
    level: int  # 2 = section, 3 = subsection, 4 = per region
    text: str


@dataclass
class Para:
    text: str
    muted: bool = False


@dataclass
class Bullets:
    items: list[str]


@dataclass
class Table:
    columns: list[str]
    rows: list[list[str]]
    #: which columns hold numbers (right-aligned)
    numeric: list[bool]
    #: rows that are totals (shown in bold)
    strong: set[int] = field(default_factory=set)
    #: columns a narrow screen may leave out
    optional: set[int] = field(default_factory=set)


@dataclass
class Chart:
    title: str
    #: x-axis labels (months)
    months: list[str]
    #: one series per region: (name, count per month)
    series: list[tuple[str, list[int]]]
    y_label: str


Block = Title | Heading | Para | Bullets | Table | Chart


def compose(report: Report, vocab: Vocabulary, lang: str, author: str | None = None) -> list[Block]:
    w = Words(lang)
    return _Composer(report, vocab, w, lang, author).blocks()


class _Composer:
    def __init__(self, report: Report, vocab: Vocabulary, words: Words, lang: str, author: str | None) -> None:
        self.r = report
        self.vocab = vocab
        self.w = words
        self.lang = lang
        self.author = author
        self.quarterly = report.period.quarter is not None
        self.names = [region.name for region in report.regions]
        # with one region, its column is the total
        self.with_total = len(report.regions) != 1

    # -- helpers ---------------------------------------------------------------
    def label(self, vocabulary: str, key: str) -> str:
        return self.vocab.label(vocabulary, key, self.lang)

    def n(self, value: float) -> str:
        return self.w.number(value)

    def region_columns(self, first: list[str]) -> list[str]:
        return [*first, *self.names, *([self.w("total")] if self.with_total else [])]

    def matrix_row(self, label: list[str], values: list[int | float], total: int | float) -> list[str]:
        cells = [self.n(v) for v in values]
        return [*label, *cells, *([self.n(total)] if self.with_total else [])]

    def item_line(self, item: Item, *, due: bool = False) -> str:
        what = (item.note if due else None) or item.title
        parts = [item.follow_up if due and item.follow_up else item.date, self.kind_label(item)]
        if item.site:
            parts.append(item.site)
        line = " · ".join(parts)
        return f"{line} — {what}" if what else line

    def kind_label(self, item: Item) -> str:
        """An activity's kind; another record's type and kind (``Bedrijfsvraag: Herlokalisatie``)."""
        if item.type == "activity":
            return self.label("activity_kinds", item.kind)
        vocabulary = {"request": "request_types", "nuisance": "nuisance_types", "measure": "measure_kinds"}[item.type]
        kinds = ", ".join(self.label(vocabulary, kind.strip()) for kind in item.kind.split(","))
        return f"{self.w('type_' + item.type)}: {kinds}"

    def per_region_lists(self, pick: list[tuple[RegionReport, list[str], int]], empty: str) -> list[Block]:
        blocks: list[Block] = []
        shown = [(region, lines, total) for region, lines, total in pick if lines]
        if not shown:
            return [Para(empty)]
        for region, lines, total in shown:
            if len(self.r.regions) > 1:
                blocks.append(Heading(4, region.name))
            more = [self.w("more", n=self.n(total - len(lines)))] if total > len(lines) else []
            blocks.append(Bullets([*lines, *more]))
        return blocks

    # -- sections ----------------------------------------------------------------
    def blocks(self) -> list[Block]:
        r, w = self.r, self.w
        subtitle = " · ".join(
            [
                w("period_line", start=w.long_date(r.period.start), end=w.long_date(r.period.end)),
                w("as_of_line", date=w.long_date(r.ref)),
                w("regions_line", n=len(r.regions)),
            ]
        )
        blocks: list[Block] = [Title(w("title", period=r.period.label), subtitle)]
        if r.sources:  # a programme file: which coaches' files went into it, and how recent each was
            files = ", ".join(w("source", file=Path(s["file"]).name, date=s["last_change"][:10]) for s in r.sources)
            blocks.append(Para(w("sources", files=files), muted=True))
        if not r.regions:
            blocks.append(Para(w("no_regions")))
            return blocks
        blocks += self.summary()
        blocks += self.appointments()
        blocks += self.work()
        blocks += self.sites()
        blocks += self.contacts()
        blocks += requests_section(self, 5)
        blocks += nuisance_section(self, 6)
        blocks += self.next_steps()
        blocks += self.chart()
        footer = [w("generated", version=__version__)]
        if self.author:
            footer.insert(0, w("author", name=self.author))
        blocks.append(Para(" ".join(footer), muted=True))
        return blocks

    def summary(self) -> list[Block]:
        r, w, t = self.r, self.w, self.r.totals
        items = [w("sum_appointed", a=t.appointed, n=t.regions)]
        if t.not_appointed:
            items.append(w("sum_not_appointed", names=", ".join(t.not_appointed)))
        if t.term_ended:
            items.append(w("sum_term_ended", names=", ".join(t.term_ended)))
        if t.work.activities == 0:
            items.append(w("empty"))
        else:
            key = "sum_work" if self.quarterly else "sum_work_period"
            # numbers go in as numbers: the words next to them agree (1 activiteit, 2 activiteiten)
            items.append(w(key, n=t.work.activities, hours=t.work.hours, prev=t.previous.activities))
            items.append(
                w(
                    "sum_sites",
                    visits=t.work.activity_counts.get("visit", 0),
                    visited=t.sites.visited,
                    mapped=t.sites.mapped,
                )
            )
            items.append(w("sum_contacts", met=t.contacts.met, new=t.contacts.new))
        if t.planned:
            items.append(w("sum_planned", n=t.planned, date=w.long_date(r.ref)))
        items.append(
            w(
                "sum_next",
                due=t.follow_ups.due_next_total,
                next=r.following.label,
                overdue=t.follow_ups.overdue_total,
            )
        )
        return [Heading(2, w("summary")), Bullets(items)]

    def appointments(self) -> list[Block]:
        w = self.w
        rows = []
        for region in self.r.regions:
            a = region.appointment
            if a.state == "not_yet":
                state = w("state_not_yet", date=a.appointed_on)
            elif a.state == "ended":
                state = w("state_ended", date=a.ends_on)
            else:
                state = w(f"state_{a.state}")
            months = ""
            if a.months_active is not None:
                months = self.n(a.months_active)
            since = a.appointed_on if a.state in ("appointed", "ended") else ""
            ends = a.ends_on if a.state in ("appointed", "ended") else ""
            rows.append([region.name, a.coach or "", state, since or "", months, ends or ""])
        columns = [w("region"), w("coach"), w("status"), w("since"), w("months_active"), w("term_ends")]
        return [Heading(2, w("s1")), Table(columns, rows, [False, False, False, False, True, False])]

    def _work_rows(self, label_of: list[tuple[list[str], str]], pick: str) -> list[list[str]]:
        """One row per category or kind: per region, total, previous period, change."""
        r = self.r
        rows = []
        for label, key in label_of:
            values = [getattr(region.work, pick)[key] for region in r.regions]
            total = getattr(r.totals.work, pick)[key]
            previous = getattr(r.totals.previous, pick)[key]
            rows.append([*self.matrix_row(label, values, total), self.n(previous), self.w.signed(total - previous)])
        return rows

    def work(self) -> list[Block]:
        r, w = self.r, self.w
        previous = w("previous") if self.quarterly else w("previous_period")
        blocks: list[Block] = [Heading(2, w("s2") if self.quarterly else w("s2_period"))]

        categories = [([self.label("activity_categories", c)], c) for c in r.categories]
        rows = self._work_rows(categories, "category_counts")
        t, p = r.totals.work, r.totals.previous
        rows.append(
            [
                *self.matrix_row([w("activities")], [x.work.activities for x in r.regions], t.activities),
                self.n(p.activities),
                w.signed(t.activities - p.activities),
            ]
        )
        rows.append(
            [
                *self.matrix_row([w("hours")], [x.work.hours for x in r.regions], t.hours),
                self.n(p.hours),
                "",
            ]
        )
        columns = [*self.region_columns([w("category")]), previous, w("change")]
        numeric = [False] + [True] * (len(columns) - 1)
        change = {len(columns) - 1}
        blocks += [
            Heading(3, w("by_category")),
            Table(columns, rows, numeric, strong={len(rows) - 2}, optional=change),
        ]

        kinds = [k for k in r.kinds if r.totals.work.activity_counts.get(k) or r.totals.previous.activity_counts.get(k)]
        if kinds:
            labelled = [
                (
                    [
                        self.label("activity_kinds", k),
                        self.label("activity_categories", self.vocab.category_of(k)),
                    ],
                    k,
                )
                for k in kinds
            ]
            rows = self._work_rows(labelled, "activity_counts")
            columns = [*self.region_columns([w("kind"), w("category")]), previous, w("change")]
            numeric = [False, False] + [True] * (len(columns) - 2)
            blocks += [
                Heading(3, w("by_kind")),
                Table(columns, rows, numeric, optional={1, len(columns) - 1}),
            ]

        blocks.append(Heading(3, w("highlights")))
        pick = [
            (region, [self.item_line(i) for i in region.highlights], region.highlights_total) for region in r.regions
        ]
        blocks += self.per_region_lists(pick, w("no_highlights"))
        return blocks

    def sites(self) -> list[Block]:
        r, w = self.r, self.w
        regions, t = r.regions, r.totals.sites
        rows = [
            self.matrix_row([w("sites_mapped")], [x.sites.mapped for x in regions], t.mapped),
            self.matrix_row(
                [w("sites_visited") if self.quarterly else w("sites_visited_period")],
                [x.sites.visited for x in regions],
                t.visited,
            ),
            self.matrix_row([w("never_visited")], [x.sites.never_visited for x in regions], t.never_visited),
        ]
        columns = self.region_columns([""])
        blocks: list[Block] = [
            Heading(2, w("s3")),
            Table(columns, rows, [False] + [True] * (len(columns) - 1)),
            Heading(3, w("funnel", date=w.long_date(r.ref))),
        ]
        changes = w("stage_changes") if self.quarterly else w("stage_changes_period")
        funnel_rows = [
            [
                *self.matrix_row(
                    [self.label("site_stages", stage)],
                    [x.sites.funnel.get(stage, 0) for x in regions],
                    t.funnel.get(stage, 0),
                ),
                self.n(t.stage_changes.get(stage, 0)),
            ]
            for stage in r.stages
        ]
        columns = [*self.region_columns([w("stage")]), changes]
        blocks.append(Table(columns, funnel_rows, [False] + [True] * (len(columns) - 1)))
        blocks.append(Heading(3, w("never_visited")))
        pick = [
            (
                region,
                [
                    f"{name} ({w('identified_on', date=day)})" if day else name
                    for name, day in region.sites.never_visited_names
                ],
                region.sites.never_visited,
            )
            for region in regions
        ]
        blocks += self.per_region_lists(pick, w("never_visited_none"))
        return blocks

    def contacts(self) -> list[Block]:
        r, w = self.r, self.w
        regions, t = r.regions, r.totals.contacts
        rows = [
            self.matrix_row([w("contacts_met")], [x.contacts.met for x in regions], t.met),
            self.matrix_row([w("contacts_new")], [x.contacts.new for x in regions], t.new),
        ]
        columns = self.region_columns([""])
        blocks: list[Block] = [
            Heading(2, w("s4")),
            Table(columns, rows, [False] + [True] * (len(columns) - 1)),
        ]
        roles = [role for role in r.roles if t.new_by_role.get(role)]
        if roles:
            role_rows = [
                self.matrix_row(
                    [w("no_role") if role == "none" else self.label("contact_roles", role)],
                    [x.contacts.new_by_role.get(role, 0) for x in regions],
                    t.new_by_role.get(role, 0),
                )
                for role in roles
            ]
            columns = self.region_columns([w("role")])
            blocks += [
                Heading(3, w("new_contacts")),
                Table(columns, role_rows, [False] + [True] * (len(columns) - 1)),
            ]
        return blocks

    def next_steps(self) -> list[Block]:
        r, w = self.r, self.w
        blocks: list[Block] = [Heading(2, w("s5")), Heading(3, w("due_next", next=r.following.label))]
        pick = [
            (
                region,
                [self.item_line(i, due=True) for i in region.follow_ups.due_next],
                region.follow_ups.due_next_total,
            )
            for region in r.regions
        ]
        blocks += self.per_region_lists(pick, w("none"))
        blocks.append(Heading(3, w("overdue", date=w.long_date(r.ref))))
        pick = [
            (
                region,
                [self.item_line(i, due=True) for i in region.follow_ups.overdue],
                region.follow_ups.overdue_total,
            )
            for region in r.regions
        ]
        blocks += self.per_region_lists(pick, w("none"))
        return blocks

    def chart(self) -> list[Block]:
        r, w = self.r, self.w
        months = [w.month(m) for m in r.months]
        series = [(region.name, [region.work.months.get(m, 0) for m in r.months]) for region in r.regions]
        rows = [
            self.matrix_row(
                [label],
                [region.work.months.get(m, 0) for region in r.regions],
                r.totals.work.months.get(m, 0),
            )
            for label, m in zip(months, r.months, strict=True)
        ]
        columns = self.region_columns([w("month")])
        return [
            Heading(2, w("s6")),
            Chart(w("chart_title"), months, series, w("activities")),
            Table(columns, rows, [False] + [True] * (len(columns) - 1)),
        ]
