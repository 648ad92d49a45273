"""The README says what the code does: its command reference and its field names are checked here."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import Run

from verweefcli.cli import reference

README = Path(__file__).parents[1] / "README.md"


def test_the_command_reference_is_what_help_says() -> None:
    text = README.read_text(encoding="utf-8")
    assert reference.updated(text) == text, "run: python -m verweefcli.cli.reference README.md"


def _documented_fields() -> dict[str, list[str]]:
    """The table under "Output for scripts": record -> its fields, as the README lists them."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Output for scripts") :]
    rows = re.findall(
        r"^\| (region|site|contact|activity|company|request|nuisance|measure) \| `([^`]+)` \|$",
        section,
        flags=re.MULTILINE,
    )
    return {record: [f.strip() for f in fields.split(",")] for record, fields in rows}


def test_the_documented_field_names_are_the_output(gent: Run) -> None:
    gent("visit", "add", "Brouwerij De Zwaan", "--date", "2020-06-10", "--contact", "An Peeters")
    gent("company", "add", "Brouwerij De Zwaan bv", "--kbo", "0403.170.701", "--site", "Brouwerij De Zwaan")
    gent("request", "add", "Brouwerij De Zwaan bv", "--type", "expansion", "--date", "2020-06-11")
    gent("nuisance", "add", "Brouwerij De Zwaan", "--type", "smell", "--date", "2020-06-12")
    gent("measure", "add", "1", "--kind", "technical", "--date", "2020-06-13")
    documented = _documented_fields()
    assert set(documented) == {"region", "site", "contact", "activity", "company", "request", "nuisance", "measure"}
    for record, fields in documented.items():
        listed = json.loads(gent(record, "list", "-f", "json").stdout)
        assert listed and list(listed[0]) == fields, record
        header = gent(record, "list", "-f", "csv").stdout.splitlines()[0]
        assert header.split(",") == fields, record
