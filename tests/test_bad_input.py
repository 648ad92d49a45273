"""Bad input never crashes (property tests): every failure is one clear message,
exit code 1 or 2, no traceback, and the database is unchanged."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import dump
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from verweefcli.cli.app import app
from verweefcli.domain import activities, contacts, regions, sites
from verweefcli.storage import open_store

SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
LONG = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def template() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "template.db"
        store = open_store(path)
        regions.add_region(store, {"name": "Gent", "appointed_on": "2020-06-01"})
        sites.add_site(store, {"name": "Brouwerij De Zwaan", "region": "Gent"})
        contacts.add_contact(store, {"name": "An Peeters", "region": "Gent"})
        activities.add_activity(store, {"kind": "visit", "date": "2020-06-05", "sites": ["Brouwerij De Zwaan"]})
        store.close()
        yield path


def run_on_copy(template: Path, *args: object, stdin: bytes | None = None) -> tuple[Result, str, str]:
    """Run a command on a copy of the template; the dumps before and after."""
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "db.db"
        shutil.copyfile(template, db)
        before = dump(db)
        result = CliRunner().invoke(
            app, ["--db", str(db), *[str(a) for a in args]], input=stdin, env={"VERWEEF_HOME": folder}
        )
        return result, before, dump(db)


def check(result: Result, before: str, after: str) -> None:
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output
    assert "internal error" not in result.output
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    if result.exit_code != 0:
        assert before == after
        lines = result.stderr.strip().splitlines()
        assert lines, result.output
        assert all(len(line) < 2000 for line in lines)


any_text = st.text(max_size=60)

# The default run draws a few examples of each (the examples named below always run);
# the long variants (``pytest -m slow``) draw many.


def dates(template: Path, text: str) -> None:
    check(*run_on_copy(template, "visit", "add", "Brouwerij De Zwaan", "--date", text))
    check(*run_on_copy(template, "activity", "list", "--since", text))


@SETTINGS
@given(any_text)
@example("31/02/2026")
@example("13/31/2026")
@example("\x00")
@example("9" * 40)
def test_dates(template: Path, text: str) -> None:
    dates(template, text)


@pytest.mark.slow
@LONG
@given(any_text)
def test_dates_long(template: Path, text: str) -> None:
    dates(template, text)


def periods(template: Path, text: str) -> None:
    check(*run_on_copy(template, "report", "quarterly", "-q", text, "-f", "json"))
    check(*run_on_copy(template, "report", "quarterly", "--from", text, "--to", "2026-01-01"))


@SETTINGS
@given(any_text)
@example("2026Q9")
@example("Q0 0000")
def test_periods(template: Path, text: str) -> None:
    periods(template, text)


@pytest.mark.slow
@LONG
@given(any_text)
def test_periods_long(template: Path, text: str) -> None:
    periods(template, text)


def names_and_references(template: Path, name: str, ref: str) -> None:
    check(*run_on_copy(template, "site", "add", name, "--region", "Gent"))
    check(*run_on_copy(template, "site", "show", ref))
    check(*run_on_copy(template, "contact", "add", name, "--site", ref))
    check(*run_on_copy(template, "activity", "edit", ref, "--notes", name))
    check(*run_on_copy(template, "region", "remove", ref, "--yes"))


@SETTINGS
@given(any_text, any_text)
@example("", "")
@example("#0", "9999999999999999999999")
def test_names_and_references(template: Path, name: str, ref: str) -> None:
    names_and_references(template, name, ref)


@pytest.mark.slow
@LONG
@given(any_text, any_text)
def test_names_and_references_long(template: Path, name: str, ref: str) -> None:
    names_and_references(template, name, ref)


def vocabularies_and_numbers(template: Path, word: str, number: str) -> None:
    check(*run_on_copy(template, "activity", "add", "--kind", word, "--region", "Gent"))
    check(*run_on_copy(template, "contact", "add", "X", "--role", word))
    check(*run_on_copy(template, "site", "add", "Y", "--region", "Gent", "--lat", number, "--lon", number))
    check(*run_on_copy(template, "site", "add", "Z", "--region", "Gent", "--floor-area", number, "--stage", word))


@SETTINGS
@given(any_text, any_text)
@example("", "")
@example("visit", "1e400")
@example("Visit", "nan")
def test_vocabularies_and_numbers(template: Path, word: str, number: str) -> None:
    vocabularies_and_numbers(template, word, number)


@pytest.mark.slow
@LONG
@given(any_text, any_text)
def test_vocabularies_and_numbers_long(template: Path, word: str, number: str) -> None:
    vocabularies_and_numbers(template, word, number)


HEADER = b"date;kind;title;sites;minutes\n"
HUGE_FIELD = HEADER + b'2026-01-01;dossier;"' + b"x" * 700_000 + b'";;\n'
MANY_COLUMNS = b";".join(b"c%d" % i for i in range(10_000)) + b"\n" + b";" * 9_999 + b"\n"
UNBALANCED = b'name,region\n"unbalanced,Gent\nB,Gent\n'
WRONG_ENCODING = "naam;regio\nCafé;Gent\n".encode("cp1252") + b"\x81\x8d\n"


def _csv_inputs() -> st.SearchStrategy[bytes]:
    return st.one_of(
        st.binary(max_size=400),
        st.text(max_size=300).map(lambda t: HEADER + t.encode("utf-8")),
        st.text(max_size=300).map(lambda t: HEADER + t.encode("utf-16")),
        st.text(alphabet='";\n\r\x00,\t', max_size=200).map(lambda t: HEADER + t.encode()),
        st.integers(1, 3).map(lambda n: HEADER + b'2026-01-01;dossier;"' + b"x" * (n * 700_000) + b'";;\n'),
        st.just(MANY_COLUMNS),
        st.just(UNBALANCED),
        st.just(WRONG_ENCODING),
    )


nouns = st.sampled_from(["sites", "activities", "contacts", "regions"])


def csv_content(template: Path, content: bytes, noun: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "input.csv"
        source.write_bytes(content)
        check(*run_on_copy(template, "import", noun, source, "--region", "Gent"))
    check(*run_on_copy(template, "import", noun, "-", stdin=content))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_csv_inputs(), nouns)
@example(HUGE_FIELD, "activities")
@example(MANY_COLUMNS, "sites")
@example(UNBALANCED, "sites")
@example(WRONG_ENCODING, "sites")
@example(b"name,region\nA\x00B,Gent\n", "sites")
@example("date;kind\n2026-01-01;visit\n".encode("utf-16"), "activities")
def test_csv_content(template: Path, content: bytes, noun: str) -> None:
    csv_content(template, content, noun)


@pytest.mark.slow
@LONG
@given(_csv_inputs(), nouns)
def test_csv_content_long(template: Path, content: bytes, noun: str) -> None:
    csv_content(template, content, noun)
