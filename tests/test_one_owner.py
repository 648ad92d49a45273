"""Every derived fact has one owner: any path to the same records gives the same state (property test).

Hypothesis draws a sequence of adds, edits and removes of sites and activities
(stage changes back-dated or not, visits out of date order, sites moving to
another region, renamed...). Whatever the sequence, the derived state it ends in
(each site's stage history and stage, each activity's region, the date each
contact was first met, what a search finds) is the state that

(a) recomputing everything from scratch gives (``db check`` finds nothing);
(b) importing the final records from CSV, as a user writes them, into an empty
    database gives;
(c) ``export all`` followed by an import into an empty database gives.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from contextlib import suppress
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verweefcli.domain import activities, checks, contacts, regions, sites
from verweefcli.domain.common import Filters
from verweefcli.domain.search import search
from verweefcli.errors import VerweefError
from verweefcli.render.serialize import write_csv
from verweefcli.storage import Store, open_store
from verweefcli.transfer import exporter
from verweefcli.transfer.importer import Options, import_rows
from verweefcli.transfer.profile import Profile
from verweefcli.transfer.source import open_source

NOUNS = ("regions", "sites", "contacts", "activities")
START = dt.date(2020, 1, 1)
days = st.integers(0, 40).map(lambda n: START + dt.timedelta(days=n))
site_no = st.integers(0, 3)
stages = st.sampled_from(["identified", "visited", "studied", "candidate", "dropped"])
kinds = st.sampled_from(["visit", "visit", "dossier", "mapping"])
regions_ = st.sampled_from(["Gent", "Turnhout"])

add_site = st.tuples(st.just("add site"), site_no, regions_, st.one_of(st.none(), stages), days)
tags = st.sampled_from([[], ["geur"], ["Géur", "lawaai"]])
add_activity = st.tuples(
    st.just("add activity"), kinds, days, st.lists(site_no, min_size=1, max_size=2), st.booleans(), regions_, tags
)
operations = st.one_of(
    add_site,
    add_activity,
    add_activity,
    add_activity,
    st.tuples(st.just("stage"), site_no, stages, days),
    st.tuples(st.just("move site"), site_no, regions_),
    st.tuples(st.just("rename site"), site_no, st.sampled_from(["Zwaan", "Søren", "S0"])),
    st.tuples(st.just("remove site"), site_no),
    st.tuples(st.just("edit activity"), st.integers(0, 9), st.one_of(st.none(), days), st.one_of(st.none(), kinds)),
    st.tuples(st.just("relink activity"), st.integers(0, 9), site_no, st.booleans()),
    st.tuples(st.just("remove activity"), st.integers(0, 9)),
)


def _activity_id(store: Store, index: int) -> int | None:
    ids = [r[0] for r in store.rows("SELECT id FROM activity ORDER BY id")]
    return ids[index % len(ids)] if ids else None


def _site(store: Store, index: int) -> str:
    """One of the sites there are (a reference to a missing one would only be refused)."""
    ids = [r[0] for r in store.rows("SELECT id FROM site ORDER BY id")]
    return f"#{ids[index % len(ids)]}" if ids else "#999"


def _apply(store: Store, op: tuple[Any, ...]) -> None:
    name, *args = op
    if name == "add site":
        number, region, stage, day = args
        sites.add_site(store, {"name": f"S{number}", "region": region, "stage": stage}, on=day)
    elif name == "stage":
        number, stage, day = args
        sites.edit_site(store, _site(store, number), {"stage": stage}, on=day)
    elif name == "move site":
        sites.edit_site(store, _site(store, args[0]), {"region": args[1]})
    elif name == "rename site":
        sites.edit_site(store, _site(store, args[0]), {"name": args[1]})
    elif name == "remove site":
        sites.remove_site(store, _site(store, args[0]))
    elif name == "add activity":
        kind, day, numbers, met, region, labels = args
        links = [_site(store, n) for n in numbers]
        values = {"kind": kind, "date": day, "sites": links, "contacts": ["C"] if met else [], "tags": labels}
        activities.add_activity(store, values, default_region=region)
    else:
        _edit_activity(store, name, args)


def _edit_activity(store: Store, name: str, args: list[Any]) -> None:
    activity_id = _activity_id(store, args[0])
    if activity_id is None:
        return
    if name == "edit activity":
        changes = {k: v for k, v in (("date", args[1]), ("kind", args[2])) if v is not None}
        activities.edit_activity(store, activity_id, changes)
    elif name == "relink activity":
        site = [_site(store, args[1])]
        links = activities.LinkChanges(add_sites=site) if args[2] else activities.LinkChanges(remove_sites=site)
        activities.edit_activity(store, activity_id, {}, links)
    else:
        activities.remove_activity(store, activity_id)


def _fill(path: Path, ops: list[tuple[Any, ...]]) -> None:
    store = open_store(path)
    regions.add_region(store, {"name": "Gent"})
    regions.add_region(store, {"name": "Turnhout"})
    contacts.add_contact(store, {"name": "C", "region": "Gent"})
    for op in ops:
        with suppress(VerweefError):  # refused (a duplicate name, a missing site...): the user is told
            _apply(store, op)
    store.close()


def derived(path: Path) -> dict[str, Any]:
    """The derived facts, keyed by what people see (names), so that any path can be compared."""
    store = open_store(path)
    try:
        histories = {
            name: (
                stage,
                [
                    tuple(r)
                    for r in store.rows(
                        "SELECT stage, since FROM site_stage WHERE site_id = ? ORDER BY since, id", (site_id,)
                    )
                ],
            )
            for site_id, name, stage in store.rows("SELECT id, name, stage FROM site")
        }
        placed = sorted(
            (a["date"], a["kind"], tuple(a["sites"]), a["region"], tuple(a["contacts"]))
            for a in activities.list_activities(store)
        )
        met = store.rows("SELECT min(date) FROM activity_contact")[0][0]
        tagged = {tag: len(activities.list_activities(store, Filters(tag=[tag]))) for tag in ("geur", "lawaai")}
        found = {
            word: sorted(
                (h.table, h.label, h.snippet) for hits in search(store, word, limit=100).hits.values() for h in hits
            )
            for word in ("zwaan", "soren", "s0", "s1", "c", "geur")
        }
        return {"sites": histories, "activities": placed, "first met": met, "tagged": tagged, "found": found}
    finally:
        store.close()


def _import(path: Path, noun: str, text: str) -> None:
    store = open_store(path)
    try:
        source_file = path.with_name(f"{noun}.in.csv")
        source_file.write_text(text, encoding="utf-8")
        source = open_source(str(source_file), encoding=None, delimiter=None)
        summary = import_rows(store, noun, source, Profile().for_noun(noun), Options())
        assert summary.written and not summary.errors, summary.errors
    finally:
        store.close()


def _as_user_writes_them(path: Path) -> dict[str, str]:
    """The final records as CSV with names for links, no ids or uuids (what a user's sheet holds)."""
    store = open_store(path)
    files = {}
    try:
        for noun, fields in (
            ("regions", ("name",)),
            ("sites", ("name", "region", "stage_changes")),
            ("contacts", ("name", "region")),
            ("activities", ("date", "kind", "sites", "contacts", "region", "tags")),
        ):
            out = io.StringIO()
            write_csv(out, fields, exporter.csv_records(store, noun))
            files[noun] = out.getvalue()
    finally:
        store.close()
    return files


def _exported(path: Path) -> dict[str, str]:
    store = open_store(path)
    try:
        files = {}
        for noun in NOUNS:
            out = io.StringIO()
            exporter.export_csv(store, noun, out)
            files[noun] = out.getvalue()
        return files
    finally:
        store.close()


sequences = st.tuples(st.lists(add_site, min_size=1, max_size=3), st.lists(operations, min_size=1, max_size=14))


# 25 sequences by default (each is 3 databases, 2 of them imported); the long variant draws 1000.
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sequences)
def test_every_path_to_the_same_records_gives_the_same_state(sequence: tuple[list[Any], list[Any]]) -> None:
    check_every_path(sequence[0] + sequence[1])


@pytest.mark.slow
@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sequences)
def test_every_path_to_the_same_records_gives_the_same_state_long(sequence: tuple[list[Any], list[Any]]) -> None:
    check_every_path(sequence[0] + sequence[1])


def check_every_path(ops: list[tuple[Any, ...]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        typed = base / "typed.db"
        _fill(typed, ops)
        state = derived(typed)

        store = open_store(typed)  # (a) recomputed from scratch: nothing to find, nothing to repair
        try:
            assert checks.findings(store) == []
            assert set(checks.repair(store).values()) == {0}
        finally:
            store.close()

        for way, files in (("as a user writes them", _as_user_writes_them(typed)), ("exported", _exported(typed))):
            copy = base / f"{way}.db"
            for noun in NOUNS:
                _import(copy, noun, files[noun])
            assert derived(copy) == state, way


def test_the_csv_a_user_writes_has_no_ids() -> None:
    """(b) above imports records by name only: what the test writes is what a user's sheet holds."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.db"
        _fill(path, [("add site", 0, "Gent", None, START), ("add activity", "visit", START, [0], True, "Gent", [])])
        files = _as_user_writes_them(path)
        header = next(csv.reader(io.StringIO(files["activities"])))
        assert header == ["date", "kind", "sites", "contacts", "region", "tags"]
        assert "identified 2020-01-01" in files["sites"]
