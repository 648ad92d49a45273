"""Export then import into an empty database gives the same records (property test).

Names and notes are drawn with accents, quotes, delimiters, newlines and
leading formula characters; names are sometimes shared, numeric, or end like
a role, which the export must write as uuids to find the right record again.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from contextlib import suppress
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from verweefcli.cli.app import app
from verweefcli.domain import activities, contacts, regions, sites
from verweefcli.errors import VerweefError
from verweefcli.storage import open_store

NOUNS = ("regions", "sites", "contacts", "activities")
_tricky = st.sampled_from(
    [";", ",", '"', "'", "\n", "\r\n", "=", "+", "-", "@", "é", "ë", "Ï", "ß", "€", "\t", " ", "|"]
)
_plain = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp"))
text = st.lists(st.one_of(_tricky, _plain), min_size=1, max_size=12).map("".join)
names = st.one_of(text, st.sampled_from(["12", "Site (owner)", "Zwaan", "zwaan", "ZWÁAN", "#3"]))
days = st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2027, 12, 31))
words = st.lists(
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters=","),
        min_size=1,
        max_size=8,
    ),
    max_size=3,
)


# A drawn record's values are of many types (names, dates, numbers, lists of indexes).
Record = dict[str, Any]


@st.composite
def datasets(draw: st.DrawFn) -> dict[str, list[Record]]:
    vocab_kinds = ["company-site", "building", "business-zone", "brownfield", None]
    data: dict[str, list[Record]] = {noun: [] for noun in NOUNS}
    for _ in range(draw(st.integers(1, 3))):
        appointed = draw(st.one_of(st.none(), days))
        data["regions"].append(
            {
                "name": draw(names),
                "coach": draw(st.one_of(st.none(), text)),
                "appointed_on": appointed,
                "coach_status": "appointed" if appointed else draw(st.sampled_from(["planned", "selecting"])),
                "municipalities": draw(words),
                "notes": draw(st.one_of(st.none(), text)),
            }
        )
    for _ in range(draw(st.integers(0, 5))):
        located = draw(st.booleans())
        data["sites"].append(
            {
                "name": draw(names),
                "municipality": draw(st.one_of(st.none(), st.sampled_from(["Gent", "Merelbeke"]))),
                "kind": draw(st.sampled_from(vocab_kinds)),
                "tags": draw(words),
                "notes": draw(st.one_of(st.none(), text)),
                "floor_area_m2": draw(st.one_of(st.none(), st.floats(0, 1e7, allow_nan=False))),
                "lat": draw(st.floats(-90, 90)) if located else None,
                "lon": draw(st.floats(-180, 180)) if located else None,
                "owner": draw(st.one_of(st.none(), text)),
                "region_index": draw(st.integers(0, 2)),
            }
        )
    for _ in range(draw(st.integers(0, 4))):
        data["contacts"].append(
            {
                "name": draw(names),
                "organisation": draw(st.one_of(st.none(), text)),
                "role": draw(st.sampled_from([None, "wijkregisseur", "ondernemer"])),
                "email": draw(st.one_of(st.none(), st.emails())),
                "phone": draw(st.one_of(st.none(), text)),
                "site_indexes": draw(
                    st.lists(st.tuples(st.integers(0, 4), st.sampled_from([None, "owner", "tenant"])), max_size=2)
                ),
            }
        )
    for _ in range(draw(st.integers(0, 6))):
        data["activities"].append(
            {
                "date": draw(days),
                "kind": draw(st.sampled_from(["visit", "dossier", "request", "mapping"])),
                "title": draw(st.one_of(st.none(), text)),
                "notes": draw(st.one_of(st.none(), text)),
                "minutes": draw(st.one_of(st.none(), st.integers(0, 1440))),
                "follow_up": draw(st.one_of(st.none(), days)),
                "highlight": draw(st.booleans()),
                "tags": draw(words),
                "region_index": draw(st.integers(0, 2)),
                "site_indexes": draw(st.lists(st.integers(0, 4), max_size=2)),
                "contact_indexes": draw(st.lists(st.integers(0, 3), max_size=2)),
            }
        )
    return data


def _fill(path: Path, data: dict[str, list[Record]]) -> None:
    """Add what the domain accepts; a drawn record it refuses (a duplicate...) is left out."""
    store = open_store(path)
    ids: dict[str, list[int]] = {noun: [] for noun in NOUNS}

    def pick(noun: str, index: int) -> str | None:
        return f"#{ids[noun][index % len(ids[noun])]}" if ids[noun] else None

    for values in data["regions"]:
        with suppress(VerweefError):
            ids["regions"].append(regions.add_region(store, values)["id"])
    for values in data["sites"]:
        record = {k: v for k, v in values.items() if k != "region_index"}
        record["region"] = pick("regions", values["region_index"])
        with suppress(VerweefError):
            ids["sites"].append(sites.add_site(store, record)["id"])
    for values in data["contacts"]:
        record = {k: v for k, v in values.items() if k != "site_indexes"}
        links = [(pick("sites", i), role) for i, role in values["site_indexes"]]
        record["sites"] = [f"{ref} ({role})" if role else ref for ref, role in links if ref]
        with suppress(VerweefError):
            ids["contacts"].append(contacts.add_contact(store, record)["id"])
    for values in data["activities"]:
        record = {k: v for k, v in values.items() if not k.endswith("_index") and not k.endswith("_indexes")}
        record["region"] = pick("regions", values["region_index"])
        record["sites"] = [r for r in (pick("sites", i) for i in values["site_indexes"]) if r]
        record["contacts"] = [r for r in (pick("contacts", i) for i in values["contact_indexes"]) if r]
        with suppress(VerweefError):
            activities.add_activity(store, record)
    store.close()


def _run(*args: object) -> str:
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.stdout


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets(), st.booleans())
def test_export_then_import_gives_the_same_records(data: dict[str, list[Record]], excel: bool) -> None:
    check_round_trip(data, excel)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets(), st.booleans())
def test_export_then_import_gives_the_same_records_long(data: dict[str, list[Record]], excel: bool) -> None:
    check_round_trip(data, excel)


def check_round_trip(data: dict[str, list[Record]], excel: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        original, copy = base / "a.db", base / "b.db"
        _fill(original, data)
        flavour = ["--excel"] if excel else []
        _run("--db", original, "export", "all", "-o", base, *flavour)
        for noun in NOUNS:
            _run("--db", copy, "import", noun, base / f"{noun}.csv")
        for noun in NOUNS:
            before = json.loads(_run("--db", original, "export", noun, "-f", "json"))
            after = json.loads(_run("--db", copy, "export", noun, "-f", "json"))
            assert after == before, noun
        # and a second import changes nothing
        for noun in NOUNS:
            assert "0 inserted, 0 updated" in _run("--db", copy, "import", noun, base / f"{noun}.csv")
