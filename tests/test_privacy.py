"""Contacts are people: forgetting one, telling one what is held about them, and a retention review."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import stat
from pathlib import Path

import pytest
from conftest import Run, dump
from hypothesis import given
from hypothesis import strategies as st

from verweefcli.cli import common
from verweefcli.domain.privacy import REDACTED, day_ago, redacted, spans_of


def test_forget_removes_the_person_and_keeps_a_tombstone(gent: Run, db_file: Path) -> None:
    gent("visit", "add", "Brouwerij De Zwaan", "--date", "2020-06-10", "--contact", "An Peeters")
    gent("site", "edit", "Oude Weverij", "--notes", "Sleutel bij AN PEETERS; an peeterS weet meer.")
    gent("activity", "add", "--kind", "dossier", "--region", "Gent", "--title", "Gesprek met Àn Peeters")
    uuid = json.loads(gent("contact", "show", "An Peeters", "-f", "json").stdout)["uuid"]
    result = gent("contact", "forget", "An Peeters", "--yes")
    assert "2 note(s) name them: site #2 notes, activity #2 title" in result.stdout
    assert "those notes stay (--redact-notes)" in result.stdout
    conn = sqlite3.connect(db_file)
    assert conn.execute("SELECT count(*) FROM contact").fetchone() == (0,)
    assert conn.execute("SELECT count(*) FROM activity_contact").fetchone() == (0,)
    assert conn.execute("SELECT kind FROM tombstone WHERE uuid = ?", (uuid,)).fetchone() == ("contact",)
    conn.close()
    assert gent("db", "check").stdout == "ok\n"


def test_redacting_takes_the_name_out_of_every_note_and_the_search(gent: Run) -> None:
    gent("site", "edit", "Oude Weverij", "--notes", "Sleutel bij AN PEETERS; an peeterS weet meer.")
    gent("contact", "forget", "An Peeters", "--redact-notes", "--yes")
    notes = json.loads(gent("site", "show", "Oude Weverij", "-f", "json").stdout)["notes"]
    assert notes == f"Sleutel bij {REDACTED}; {REDACTED} weet meer."
    found = json.loads(gent("search", "peeters", "-f", "json").stdout)
    assert not any(found["totals"].values())


@pytest.mark.usefixtures("gent")
def test_forget_asks_and_a_no_changes_nothing(cli: Run, db_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = dump(db_file)
    assert cli("contact", "forget", "An Peeters").exit_code == 2  # no terminal to ask at: --yes is needed
    monkeypatch.setattr(common, "interactive", lambda: True)
    result = cli("contact", "forget", "An Peeters", input="n\n")
    assert result.exit_code == 1 and "Remove contact #1 An Peeters?" in result.output
    assert dump(db_file) == before
    assert cli("contact", "forget", "Niemand", "--yes").exit_code == 1


def test_a_subject_access_export_holds_everything_about_one_person(gent: Run, tmp_path: Path) -> None:
    gent("visit", "add", "Brouwerij De Zwaan", "--date", "2020-06-10", "--contact", "An Peeters", "--notes", "Rondgang")
    gent("company", "add", "Stad Gent", "--region", "Gent")  # her organisation: she is linked
    gent("nuisance", "add", "Oude Weverij", "--type", "noise", "--reported-by", "An Peeters")
    gent("activity", "add", "--kind", "dossier", "--region", "Gent", "--notes", "Volgens an peeters is het stil.")
    target = tmp_path / "an.json"
    gent("contact", "export", "An Peeters", "-o", target)
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["contact"]["email"] == "an.peeters@gent.example" and data["companies"] == ["Stad Gent"]
    assert [a["notes"] for a in data["activities"]] == ["Rondgang"]
    assert [c["id"] for c in data["nuisance_reported"]] == [1]
    assert [(m["type"], m["field"]) for m in data["mentions"]] == [("activity", "notes")]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_the_export_does_not_replace_a_file(gent: Run, cli: Run, tmp_path: Path) -> None:
    target = tmp_path / "an.json"
    target.write_text("mine", encoding="utf-8")
    result = cli("contact", "export", "An Peeters", "-o", target)
    assert result.exit_code == 1 and "already exists" in result.output
    assert target.read_text(encoding="utf-8") == "mine"
    gent("contact", "export", "An Peeters", "-o", target, "--force")
    assert json.loads(target.read_text(encoding="utf-8"))["contact"]["name"] == "An Peeters"


def test_people_not_met_for_a_while(gent: Run) -> None:
    gent("contact", "add", "Jo Smet", "--region", "Gent")  # recorded today: not inactive
    gent("visit", "add", "Brouwerij De Zwaan", "--date", "2020-06-10", "--contact", "An Peeters")

    def names(span: str) -> list[str]:
        listed = json.loads(gent("contact", "list", "--inactive-since", span, "-f", "json").stdout)
        return [c["name"] for c in listed]

    assert names("2y") == ["An Peeters"]
    assert names("2020-06-01") == []  # met after that day
    today = dt.date(2026, 11, 27)
    assert day_ago("18m", today) == dt.date(2025, 5, 27) and day_ago("6w", today) == dt.date(2026, 10, 16)


@given(
    st.lists(st.sampled_from(["Gebeld", "met", "over", "de", "vaten", ",", ";", "Zwaan"]), max_size=8),
    st.sampled_from(["An Peeters", "Søren Łukasz", "Ève-Marie D'Hondt", "Jo"]),
    st.sampled_from(["{}", "{} ", " {}!", "({})"]),
)
def test_a_name_written_in_a_text_is_found_and_redacted(words: list[str], name: str, form: str) -> None:
    half = len(words) // 2
    text = " ".join([*words[:half], form.format(name.upper()), *words[half:]])
    spans = spans_of(name, text)
    assert spans, text
    cleaned = redacted(text, spans)
    assert REDACTED in cleaned and not spans_of(name, cleaned)
