"""The activity import writes with SQLite's foreign-key checks off; a dangling link still cannot be written."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Run, dump

from verweefcli.domain.activities import Draft
from verweefcli.domain.activity_bulk import BulkInsert
from verweefcli.errors import DatabaseProblem
from verweefcli.storage import open_store


def _draft(site: int, contact: int | None = None, region: int = 1) -> Draft:
    return Draft(
        *("2026-03-01", "dossier", None, None, None, None, 0, "[]", None, None, None),
        region_id=region,
        site_ids=(site,),
        contact_ids=(contact,) if contact else (),
    )


@pytest.mark.parametrize(
    ("draft", "what"),
    [(_draft(999), "site #999"), (_draft(1, contact=999), "contact #999"), (_draft(1, region=999), "region #999")],
)
@pytest.mark.usefixtures("gent")
def test_a_dangling_link_is_caught_before_the_commit(db_file: Path, draft: Draft, what: str) -> None:
    before = dump(db_file)
    store = open_store(db_file)
    store.execute("PRAGMA foreign_keys = OFF")  # as the import writes
    with pytest.raises(DatabaseProblem, match=f"links to {what}, which does not exist"), store.write():
        writer = BulkInsert(store)
        writer.add(_draft(1))  # a sound one first: the check looks at every new row
        writer.add(draft)
        writer.finish()
        writer.check_links()
    store.close()
    assert dump(db_file) == before


@pytest.mark.usefixtures("gent")
def test_an_import_naming_a_missing_record_writes_nothing(cli: Run, db_file: Path, tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("date,kind,sites,contacts\n2026-03-01,visit,#999,\n2026-03-02,dossier,#1,#999\n", encoding="utf-8")
    before = dump(db_file)
    result = cli("import", "activities", path)
    assert result.exit_code == 1
    assert "no site with id 999" in result.stderr and "no contact with id 999" in result.stderr
    assert dump(db_file) == before
