"""Merging the coaches' files: by uuid, the newest change kept, removals honoured, twice the same as once."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from conftest import Run, dump
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verweefcli.domain.merge import KINDS, _snapshot
from verweefcli.storage import open_store


def records(path: Path) -> dict[str, dict[str, Any]]:
    """Every record of a file by uuid, its links as uuids: what must be equal whatever the merge order."""
    store = open_store(path, create=False)
    try:
        snapshot = _snapshot(store, str(path))
    finally:
        store.close()
    return {
        f"{table}:{uuid}": content for table in snapshot.records for uuid, content in snapshot.records[table].items()
    }


@pytest.fixture
def files(ok: Run, tmp_path: Path) -> tuple[Path, Path, Path]:
    """Two coaches' files from one start (the example data), each changed on its own, and an empty programme."""
    first, second, programme = tmp_path / "a.db", tmp_path / "b.db", tmp_path / "p.db"
    ok("--db", first, "examples", "load")
    shutil.copyfile(first, second)
    conn = sqlite3.connect(second)  # a copy is another file: it gets its own identity
    conn.execute("UPDATE meta SET value = 'b0b0b0b0' WHERE key = 'database_uuid'")
    conn.commit()
    conn.close()
    ok("--db", first, "visit", "add", "Brouwerij De Zwaan", "--date", "2020-10-01", "--notes", "Na de zomer")
    ok("--db", first, "site", "edit", "Drukkerij Haspengouw", "--notes", "Verhuist naar Schurhovenveld")
    ok("--db", second, "site", "edit", "Oude Weverij Leiestraat", "--notes", "Nieuwe eigenaar")
    ok("--db", second, "activity", "remove", "5", "--yes")
    ok("--db", second, "company", "add", "Weverij Leie", "--site", "Oude Weverij Leiestraat", "--kbo", "0403.170.701")
    ok("--db", programme, "region", "list")  # an empty database
    return first, second, programme


def test_merging_in_either_order_gives_the_same_records(
    ok: Run, files: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    first, second, programme = files
    other = tmp_path / "q.db"
    ok("--db", other, "region", "list")
    ok("--db", programme, "db", "merge", first, second)
    ok("--db", other, "db", "merge", second, first)
    assert records(programme) == records(other)
    merged = records(programme)
    assert any(r.get("notes") == "Na de zomer" for r in merged.values())
    assert any(r.get("name") == "Weverij Leie" for r in merged.values())
    assert ok("--db", programme, "db", "check").stdout == "ok\n"


def test_a_change_on_one_side_is_taken_and_a_removal_travels(ok: Run, files: tuple[Path, Path, Path]) -> None:
    first, second, _ = files
    ok("--db", first, "db", "merge", second)
    site = json.loads(ok("--db", first, "site", "show", "Oude Weverij Leiestraat", "-f", "json").stdout)
    assert site["notes"] == "Nieuwe eigenaar"
    shown = ok("--db", first, "activity", "list", "-f", "json").stdout
    assert '"id": 5,' not in shown  # removed in the other file: removed here too
    ok("--db", second, "db", "merge", first)
    assert records(first) == records(second)


def test_merging_twice_changes_nothing_and_a_dry_run_nothing_at_all(ok: Run, files: tuple[Path, Path, Path]) -> None:
    first, second, _ = files
    before = dump(first)
    ok("--db", first, "db", "merge", second, "--dry-run")
    assert dump(first) == before
    ok("--db", first, "db", "merge", second)
    once = dump(first)
    ok("--db", first, "db", "merge", second)
    assert dump(first) == once


def test_changes_on_both_sides_keep_the_later_and_log_the_other(ok: Run, files: tuple[Path, Path, Path]) -> None:
    first, second, _ = files
    ok("--db", first, "db", "merge", second)  # both in step, as seen
    ok("--db", second, "db", "merge", first)
    ok("--db", first, "site", "edit", "Bakkerij Van Gorp", "--notes", "eerst")
    ok("--db", second, "site", "edit", "Bakkerij Van Gorp", "--notes", "daarna")
    result = json.loads(ok("--db", first, "db", "merge", second, "-f", "json").stdout)
    assert [c["what"] for c in result["conflicts"]] == ["conflict: theirs kept"]
    assert json.loads(ok("--db", first, "site", "show", "Bakkerij Van Gorp", "-f", "json").stdout)["notes"] == "daarna"
    conn = sqlite3.connect(first)
    logged = conn.execute("SELECT kind, what, ours FROM merge_log").fetchall()
    conn.close()
    assert logged[-1][:2] == ("site", "conflict: theirs kept") and '"eerst"' in logged[-1][2]


def test_a_forgotten_person_does_not_come_back(ok: Run, files: tuple[Path, Path, Path]) -> None:
    first, second, _ = files
    ok("--db", first, "contact", "forget", "Luc Ceulemans", "--yes")
    ok("--db", first, "db", "merge", second)
    assert "Luc Ceulemans" not in ok("--db", first, "contact", "list").stdout


def test_a_file_is_not_merged_into_itself(cli: Run, files: tuple[Path, Path, Path]) -> None:
    first, _, _ = files
    result = cli("--db", first, "db", "merge", first)
    assert result.exit_code == 1 and "this very database" in result.output
    assert cli("--db", first, "db", "merge").exit_code == 2


def test_the_programme_report_runs_on_the_merged_file(ok: Run, files: tuple[Path, Path, Path]) -> None:
    first, _, programme = files
    ok("--db", programme, "region", "add", "Leeg")  # the programme's own file, in the same folder: left out
    ok("--db", programme, "db", "merge", "--from-dir", first.parent)
    report = json.loads(ok("--db", programme, "report", "quarterly", "-q", "2020Q3", "-f", "json").stdout)
    assert report["totals"]["regions"] == 6 and report["totals"]["requests"]["received"] == 4
    assert [Path(source["file"]).name for source in report["sources"]] == ["a.db", "b.db"]
    text = ok("--db", programme, "report", "quarterly", "-q", "2020Q3", "-f", "markdown").stdout
    assert "*Samengevoegd uit a.db (laatst gewijzigd 20" in text
    assert {k.table for k in KINDS} <= {key.split(":")[0] for key in records(programme)}


_EDITS = st.lists(
    st.tuples(
        st.sampled_from(["note", "visit", "remove", "company"]),
        st.integers(min_value=0, max_value=2),
        st.sampled_from(["a", "b", "c"]),
    ),
    max_size=4,
)


def _apply(path: Path, edits: list[tuple[str, int, str]], tag: str) -> None:
    from verweefcli.domain import activities, companies, sites

    store = open_store(path, create=False)
    try:
        names = [r[0] for r in store.tuples("SELECT name FROM site ORDER BY id")]
        for number, (what, which, word) in enumerate(edits):
            site = names[which % len(names)]
            if what == "note":
                sites.edit_site(store, site, {"notes": f"{tag} {word}"})
            elif what == "visit":
                activities.add_activity(store, {"kind": "visit", "date": "2020-07-01", "sites": [site], "notes": tag})
            elif what == "remove":
                first = store.value("SELECT min(id) FROM activity")
                if first is not None:
                    activities.remove_activity(store, first)
            else:
                companies.add_company(store, {"name": f"{tag} {word} {number}", "site": site})
    finally:
        store.close()


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first_edits=_EDITS, second_edits=_EDITS)
def test_any_edits_merge_to_the_same_records_in_either_order_and_twice(
    ok: Run, tmp_path_factory: pytest.TempPathFactory, first_edits: list[Any], second_edits: list[Any]
) -> None:
    folder = tmp_path_factory.mktemp("merge")
    first, second, one, other = (folder / f"{n}.db" for n in ("a", "b", "p", "q"))
    ok("--db", first, "region", "add", "Gent")
    for name in ("Zwaan", "Weverij", "Garage"):
        ok("--db", first, "site", "add", name, "--region", "Gent")
    ok("--db", first, "visit", "add", "Zwaan", "--date", "2020-06-01")
    shutil.copyfile(first, second)
    with sqlite3.connect(second) as conn:
        conn.execute("UPDATE meta SET value = 'second' WHERE key = 'database_uuid'")
    _apply(first, first_edits, "A")
    _apply(second, second_edits, "B")
    for target, order in ((one, (first, second)), (other, (second, first))):
        ok("--db", target, "region", "list")
        ok("--db", target, "db", "merge", *order)
    assert records(one) == records(other)
    once = dump(one)
    ok("--db", one, "db", "merge", first, second)
    assert dump(one) == once
    assert ok("--db", one, "db", "check").stdout == "ok\n"


def test_the_same_region_and_person_recorded_in_two_files_become_one(ok: Run, tmp_path: Path) -> None:
    """Two coaches who each typed region Gent and the same VLAIO contact: one of each, their links kept."""
    first, second, programme = tmp_path / "a.db", tmp_path / "b.db", tmp_path / "p.db"
    for path, site in ((first, "Zwaan"), (second, "Weverij")):
        ok("--db", path, "region", "add", "Gent")
        ok("--db", path, "site", "add", site, "--region", "Gent")
        ok("--db", path, "contact", "add", "Ilse Briers", "--email", "ilse@vlaio.example", "--region", "Gent")
        ok("--db", path, "visit", "add", site, "--date", "2020-06-10", "--contact", "Ilse Briers")
    ok("--db", programme, "db", "merge", first, second)
    assert [r["name"] for r in json.loads(ok("--db", programme, "region", "list", "-f", "json").stdout)] == ["Gent"]
    contacts = json.loads(ok("--db", programme, "contact", "list", "-f", "json").stdout)
    assert [c["name"] for c in contacts] == ["Ilse Briers"]
    visits = json.loads(ok("--db", programme, "activity", "list", "-f", "json").stdout)
    assert sorted(v["sites"][0] for v in visits) == ["Weverij", "Zwaan"]
    assert all(v["contacts"] == ["Ilse Briers"] for v in visits)
    once = dump(programme)
    ok("--db", programme, "db", "merge", first, second)
    assert dump(programme) == once  # nothing new, not even in the log
    conn = sqlite3.connect(programme)
    logged = {r[0] for r in conn.execute("SELECT what FROM merge_log")}
    conn.close()
    assert logged == {"recorded in both files: ours kept (the same name)"}
    assert ok("--db", programme, "db", "check").stdout == "ok\n"
