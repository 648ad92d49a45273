"""Contacts as vCards: ``export contacts --format vcard`` and ``import contacts FILE.vcf``.

What is written is read back with vobject, compared with a golden file, imported into an empty
database (the same people), and imported again (nothing changes). Cards from phones (vCard 2.1,
quoted-printable, folded lines) and vCard 4.0 come in through the CSV importer's rules.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import stat
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from conftest import Run, Templates, dump
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verweefcli.domain.contacts import add_contact
from verweefcli.storage import MEMORY, Store, open_store
from verweefcli.transfer.importer import Options, import_rows
from verweefcli.transfer.profile import NounProfile
from verweefcli.transfer.source import CountingReader, Dialect, Source
from verweefcli.transfer.vcard import card_rows, export_vcards, split_name

GOLDEN = Path(__file__).parent / "golden"
STAMP = "2026-03-01T10:00:00.000000Z"
AN, JAN, AYSE = (
    "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a51",
    "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a52",
    "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a53",
)
PEOPLE = [
    {
        "uuid": AN,
        "name": "An Peeters",
        "organisation": "Stad Gent",
        "role": "wijkregisseur",
        "email": "an.peeters@gent.example",
        "phone": "09 266 50 00",
        "region": "Gent",
        "notes": "Eerste lijn\ntweede; met komma, en C:\\pad\\naar",
    },
    {
        "uuid": JAN,
        "name": "Jan Van den Broeck",
        "organisation": "Bouw, Van den Broeck; zonen",
        "role": "Ondernemer",  # the Dutch label: the role 'ondernemer'
        "email": "jan@vdbroeck.example",
        "phone": "0470 12 34 56",
        "region": "",
        "notes": "=1+1 is geen formule; een opmerking van meer dan 75 tekens, zodat de regel gevouwen wordt: één.",
    },
    {
        "uuid": AYSE,
        "name": "Ayşe Yılmaz-Łukasz",
        "organisation": "",
        "role": "",
        "email": "",
        "phone": "",
        "region": "",
        "notes": "",
    },
]
COMPARED = ("uuid", "name", "organisation", "role", "email", "phone", "notes")


def _people_csv(folder: Path) -> Path:
    path = folder / "contacts.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(PEOPLE[0]))
        writer.writeheader()
        writer.writerows(PEOPLE)
    return path


@pytest.fixture
def people(ok: Run, db_file: Path, templates: Templates, tmp_path_factory: pytest.TempPathFactory) -> Run:
    """Region Gent and three contacts with known uuids, last changed at ``STAMP``."""

    def build(run: Run) -> None:
        run("region", "add", "Gent")
        run("import", "contacts", _people_csv(tmp_path_factory.mktemp("people")))

    templates.copy("vcard-people", build, ok, db_file)
    with sqlite3.connect(db_file) as conn:
        conn.execute("UPDATE contact SET updated_at = ?", (STAMP,))
    return ok


def contacts_of(run: Run, *db: object) -> dict[str, dict[str, Any]]:
    listed = json.loads(run(*db, "export", "contacts", "-f", "json").stdout)
    return {c["uuid"]: {k: c[k] for k in COMPARED} for c in listed}


def read(text: str) -> list[Any]:
    import vobject  # type: ignore[import-untyped]

    return list(vobject.readComponents(text))


# -- export ------------------------------------------------------------------------------


def test_the_cards_read_back_with_vobject(people: Run) -> None:
    cards = {card.uid.value: card for card in read(people("export", "contacts", "--format", "vcard").stdout)}
    assert set(cards) == {AN, JAN, AYSE}
    an = cards[AN]
    assert an.version.value == "3.0"
    assert an.fn.value == "An Peeters"
    assert (an.n.value.family, an.n.value.given) == ("Peeters", "An")
    assert an.org.value == ["Stad Gent"]
    assert an.title.value == "Wijkregisseur"  # the role's label
    assert an.email.value == "an.peeters@gent.example" and an.email.type_paramlist == ["INTERNET", "WORK"]
    assert an.tel.value == "09 266 50 00" and an.tel.type_paramlist == ["WORK", "VOICE"]
    assert an.note.value == "Eerste lijn\ntweede; met komma, en C:\\pad\\naar"
    assert an.categories.value == ["Gent"]
    assert an.rev.value == "2026-03-01T10:00:00Z"
    jan = cards[JAN]
    assert (jan.n.value.family, jan.n.value.given) == ("Van den Broeck", "Jan")
    assert jan.org.value == ["Bouw, Van den Broeck; zonen"]
    assert jan.note.value.startswith("=1+1 is geen formule; een opmerking") and jan.note.value.endswith(": één.")
    assert "categories" not in jan.contents  # no region, no category
    ayse = cards[AYSE]
    assert ayse.fn.value == "Ayşe Yılmaz-Łukasz"
    assert set(ayse.contents) == {"version", "uid", "fn", "n", "rev"}  # nothing empty is written


def test_golden(people: Run) -> None:
    raw = people("export", "contacts", "--format", "vcard").stdout_bytes
    assert raw.count(b"\r\n") == raw.count(b"\n") > 0  # CRLF line ends, as RFC 2426 asks
    text = raw.decode("utf-8").replace("\r\n", "\n")
    path = GOLDEN / "contacts.vcf"
    if os.environ.get("VERWEEF_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_a_file_is_private_and_not_replaced_without_force(people: Run, cli: Run, tmp_path: Path) -> None:
    target = tmp_path / "contacts.vcf"
    result = people("export", "contacts", "-f", "vcard", "-o", target)
    assert "Wrote 3 contacts to" in result.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # personal data, like the other exports
    raw = target.read_bytes()
    assert raw.startswith(b"BEGIN:VCARD\r\nVERSION:3.0\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    again = cli("export", "contacts", "-f", "vcard", "-o", target)
    assert again.exit_code == 1 and "already exists (--force replaces it)" in again.stderr
    people("export", "contacts", "-f", "vcard", "-o", target, "--force", "--contact", "An Peeters")
    assert [card.uid.value for card in read(target.read_text(encoding="utf-8"))] == [AN]


def test_contact_exports_one_person(people: Run, cli: Run) -> None:
    for ref in ("jan van den broeck", JAN, "#2", "2"):
        cards = read(people("export", "contacts", "-f", "vcard", "--contact", ref).stdout)
        assert [card.fn.value for card in cards] == ["Jan Van den Broeck"], ref
    both = read(
        people("export", "contacts", "-f", "vcard", "-c", "Ayşe Yılmaz-Łukasz", "-c", "an peeters", "-c", "3").stdout
    )
    assert [card.uid.value for card in both] == [AYSE, AN]  # in the order asked, each once
    unknown = cli("export", "contacts", "-f", "vcard", "--contact", "Nobody")
    assert unknown.exit_code == 1 and unknown.stdout == ""
    assert unknown.stderr.strip() == "Error: --contact: no contact named 'Nobody'"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("sites", "-f", "vcard"), "--format vcard is for contacts only"),
        (("all", "-f", "vcard"), "--format vcard is for contacts only"),
        (("contacts", "-f", "vcard", "--excel"), "--excel is a kind of CSV"),
        (("contacts", "--contact", "An Peeters"), "--contact goes with --format vcard"),
        (("contacts", "-f", "vcard", "--events"), "--events goes with --format ics"),
    ],
)
def test_options_that_do_not_fit_are_usage_errors(cli: Run, args: tuple[str, ...], message: str) -> None:
    result = cli("export", *args)
    assert result.exit_code == 2 and message in result.stderr and result.stdout == ""


@pytest.mark.parametrize(
    ("name", "family", "given"),
    [
        ("An Peeters", "Peeters", "An"),
        ("Jan Van den Broeck", "Van den Broeck", "Jan"),
        ("Jan Pieter De Smet", "De Smet", "Jan Pieter"),
        ("Marie-Anne Op de Beeck", "Op de Beeck", "Marie-Anne"),
        ("Kees in 't Veld", "in 't Veld", "Kees"),
        ("Ayşe Yılmaz-Łukasz", "Yılmaz-Łukasz", "Ayşe"),
        ("Van den Broeck", "Van den Broeck", ""),  # a family name alone
        ("Jonas", "Jonas", ""),
        ("An  De", "De", "An"),  # a particle as the last word is the family name
    ],
)
def test_the_name_is_split_at_the_family_name(name: str, family: str, given: str) -> None:
    assert split_name(name) == (family, given)


# -- import ------------------------------------------------------------------------------


def test_export_then_import_into_an_empty_database_gives_the_same_people(
    people: Run, tmp_path: Path, db_file: Path
) -> None:
    cards, other = tmp_path / "contacts.vcf", tmp_path / "other.db"
    people("export", "contacts", "-f", "vcard", "-o", cards)
    result = people("--db", other, "import", "contacts", cards)
    assert "3 card(s) were: 3 inserted" in result.stdout
    assert contacts_of(people, "--db", other) == contacts_of(people)
    snapshot = dump(other)
    assert "0 inserted, 0 updated, 3 skipped" in people("--db", other, "import", "contacts", cards).stdout
    assert dump(other) == snapshot  # importing again changes nothing
    update = people("--db", other, "import", "contacts", cards, "--on-conflict", "update")
    assert "0 inserted, 0 updated, 3 skipped" in update.stdout  # nothing differs: nothing to update
    assert contacts_of(people, "--db", other) == contacts_of(people)
    # into the database they came from: matched by uuid, nothing changes either
    snapshot = dump(db_file)
    assert "0 inserted, 0 updated, 3 skipped" in people("import", "contacts", cards).stdout
    assert dump(db_file) == snapshot


def test_the_region_comes_back_from_the_categories(people: Run, tmp_path: Path) -> None:
    cards, other = tmp_path / "contacts.vcf", tmp_path / "other.db"
    people("export", "contacts", "-f", "vcard", "-o", cards)
    people("--db", other, "region", "add", "gent")
    people("--db", other, "import", "contacts", cards)
    regions = {
        c["uuid"]: c["region"] for c in json.loads(people("--db", other, "contact", "list", "-f", "json").stdout)
    }
    assert regions == {AN: "gent", JAN: None, AYSE: None}


# A card as an old phone writes it: vCard 2.1, quoted-printable UTF-8 with soft line breaks,
# bare TYPEs, an unescaped comma in FN; and one with a job title the vocabulary does not know.
PHONE = (
    "BEGIN:VCARD\r\n"
    "VERSION:2.1\r\n"
    "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Pe=C3=ABters;Els;;;\r\n"
    "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Els Pe=C3=ABters\r\n"
    "TEL;HOME;VOICE:09 111 11 11\r\n"
    "TEL;CELL:+32 470 00 00 01\r\n"
    "EMAIL;PREF;INTERNET:els@voorbeeld.example\r\n"
    "ORG:Stad Gent;Dienst Economie\r\n"
    "TITLE:Ruimtelijk planner\r\n"
    "NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Een lange nota over =C3=A9=C3=A9n site die=\r\n"
    " over twee regels loopt=0D=0AEn een tweede regel\r\n"
    "END:VCARD\r\n"
    "\r\n"
    "BEGIN:VCARD\r\n"
    "VERSION:2.1\r\n"
    "FN:Claes, Bart\r\n"
    "TITLE:Zaakvoerder\r\n"
    "NOTE:Bakkerij op de hoek\r\n"
    "X-ANDROID-CUSTOM:vnd.android.cursor.item/nickname;Bartje;1;;;;;;;;;;;;;\r\n"
    "END:VCARD\r\n"
)


def test_a_phones_vcard_21_imports(ok: Run, tmp_path: Path) -> None:
    path = tmp_path / "telefoon.vcf"
    path.write_bytes(PHONE.encode("ascii"))
    assert "2 card(s) were: 2 inserted" in ok("import", "contacts", path).stdout
    found = {c["name"]: c for c in json.loads(ok("contact", "list", "-f", "json").stdout)}
    els = found["Els Peëters"]
    assert els["organisation"] == "Stad Gent"  # ORG's first component
    assert els["role"] == "ruimtelijk-planner"  # TITLE is a label of the vocabulary
    assert els["email"] == "els@voorbeeld.example"
    assert els["phone"] == "+32 470 00 00 01"  # the CELL one, not HOME
    assert els["notes"] == "Een lange nota over één site die over twee regels loopt\nEn een tweede regel"
    bart = found["Claes, Bart"]  # the comma kept (vobject's reader would cut the name there)
    assert bart["role"] is None
    assert bart["notes"] == "Bakkerij op de hoek\n\nFunctie: Zaakvoerder"  # the job title kept, in the notes
    assert "0 inserted, 0 updated, 2 skipped" in ok("import", "contacts", path, "--on-conflict", "update").stdout


def test_a_vcard_40_imports_and_its_uid_becomes_the_uuid(ok: Run, tmp_path: Path) -> None:
    path = tmp_path / "v4.vcf"
    path.write_text(
        "BEGIN:VCARD\nVERSION:4.0\nUID:urn:uuid:0190A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A5B\n"
        'N:Janssens;Sofie;Marie;dr.;\nTEL;VALUE=uri;TYPE="voice,work":tel:+32-9-123-45-67\n'
        "EMAIL;TYPE=work:sofie@example.be\nROLE:Stadsdienst\nEND:VCARD\n",
        encoding="utf-8",
    )
    ok("import", "contacts", path)
    (sofie,) = json.loads(ok("contact", "list", "-f", "json").stdout)
    assert sofie["uuid"] == "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"
    assert sofie["name"] == "dr. Sofie Marie Janssens"  # no FN: the name from N
    assert sofie["phone"] == "+32-9-123-45-67" and sofie["email"] == "sofie@example.be"
    assert sofie["role"] == "stadsdienst"  # ROLE, as there is no TITLE


def test_standard_input_is_recognised_by_its_content(people: Run, tmp_path: Path) -> None:
    text = people("export", "contacts", "-f", "vcard", "--contact", "An Peeters").stdout
    other = tmp_path / "other.db"
    assert "<stdin>: 1 card(s) were: 1 inserted" in people("--db", other, "import", "contacts", "-", input=text).stdout
    named = tmp_path / "export.txt"  # no .vcf: found by its BEGIN:VCARD
    named.write_text(text, encoding="utf-8")
    assert "1 skipped" in people("--db", other, "import", "contacts", named).stdout


def test_dry_run_and_json_summary_count_cards(people: Run, tmp_path: Path) -> None:
    cards, other = tmp_path / "contacts.vcf", tmp_path / "other.db"
    people("export", "contacts", "-f", "vcard", "-o", cards)
    dry = people("--db", other, "import", "contacts", cards, "--dry-run").stdout
    assert "3 card(s) would be: 3 inserted" in dry and "insert card 1: An Peeters (Stad Gent)" in dry
    assert json.loads(people("--db", other, "contact", "list", "-f", "json").stdout) == []
    summary = json.loads(people("--db", other, "import", "contacts", cards, "--summary", "json").stdout)
    assert (summary["rows"], summary["inserted"], summary["written"]) == (3, 3, True)


def test_a_changed_card_updates_its_contact(people: Run, cli: Run, tmp_path: Path) -> None:
    card = people("export", "contacts", "-f", "vcard", "--contact", "An Peeters").stdout
    path = tmp_path / "an.vcf"
    path.write_text(card.replace("TEL;TYPE=WORK,VOICE:09 266 50 00", "TEL;TYPE=CELL:0499 99 99 99"), encoding="utf-8")
    assert "1 skipped" in people("import", "contacts", path).stdout  # default: skip what is known
    assert "1 updated" in people("import", "contacts", path, "--on-conflict", "update").stdout
    assert contacts_of(people)[AN]["phone"] == "0499 99 99 99"
    failed = cli("import", "contacts", path, "--on-conflict", "fail", "--summary", "json")
    assert failed.exit_code == 1
    assert json.loads(failed.stdout)["problems"] == [
        f"{path}: card 1: An Peeters (Stad Gent) is already in the database (#1); --on-conflict skip or update"
    ]


BROKEN = [
    (
        "BEGIN:VCARD\nVERSION:3.0\nFN:Goed\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:Stuk\ndit is geen regel\nEND:VCARD\n",
        "broken.vcf: card 2: line 8: 'dit is geen regel' is not a vCard property (NAME;PARAMS:value)",
    ),
    (
        "BEGIN:VCARD\nVERSION:3.0\nFN:Goed\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nFN:Open\n",
        "broken.vcf: card 2: not closed (it begins on line 5; END:VCARD is missing)",
    ),
    ("naam;organisatie\nAn Peeters;Stad Gent\n", "broken.vcf: not a vCard file (it does not start with BEGIN:VCARD)"),
    ("BEGIN:VCALENDAR\nEND:VCALENDAR\n", "broken.vcf: line 1: BEGIN:VCALENDAR is not a vCard (BEGIN:VCARD)"),
    ("", "broken.vcf: no vCard in the file (BEGIN:VCARD ... END:VCARD)"),
    (
        "BEGIN:VCARD\nVERSION:2.1\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E9\nEND:VCARD\n",
        "broken.vcf: card 1: line 3: its quoted-printable text is not valid utf-8",
    ),
]


@pytest.mark.parametrize(("text", "message"), BROKEN, ids=["syntax", "open", "csv", "calendar", "empty", "charset"])
@pytest.mark.usefixtures("people")
def test_a_broken_file_is_one_line_naming_file_and_card(
    cli: Run, db_file: Path, tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "broken.vcf"
    path.write_text(text, encoding="utf-8")
    before = dump(db_file)
    result = cli("import", "contacts", path)
    shown = result.stderr.replace(str(path), "broken.vcf")
    assert result.exit_code == 1 and shown == f"Error: {message}\n" and result.stdout == ""
    assert dump(db_file) == before  # the good card before it is not written either


def test_a_bad_value_names_card_and_property_and_nothing_is_written(
    people: Run, cli: Run, db_file: Path, tmp_path: Path
) -> None:
    path = tmp_path / "bad.vcf"
    path.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nFN:Nieuw Iemand\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:Fout Adres\nEMAIL:niet-een-adres\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nN:;;;;\nEND:VCARD\n",
        encoding="utf-8",
    )
    before = dump(db_file)
    result = cli("import", "contacts", path)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{path}: card 2: EMAIL: not an e-mail address: 'niet-een-adres'",
        f"{path}: card 3: FN: a contact needs a name",
        f"Error: nothing imported: 2 bad card(s) in {path}",
    ]
    assert dump(db_file) == before
    rejects = tmp_path / "afgekeurd.csv"
    kept = people("import", "contacts", path, "--skip-invalid", "--rejects", rejects)
    assert "1 inserted" in kept.stdout and "2 rejected card(s) written to" in kept.stdout
    assert stat.S_IMODE(rejects.stat().st_mode) == 0o600
    rows = list(csv.reader(io.StringIO(rejects.read_text(encoding="utf-8"))))
    assert rows[0] == ["UID", "FN", "ORG", "TITLE", "EMAIL", "TEL", "CATEGORIES", "NOTE", "error"]
    assert rows[1][1] == "Fout Adres" and rows[1][-1] == "EMAIL: not an e-mail address: 'niet-een-adres'"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("sites",), "(a vCard file) holds contacts: verweef import contacts"),
        (("contacts", "--delimiter", ";"), "--delimiter: for CSV files only; a vCard file has none"),
        (("contacts", "--decimal", "comma", "--date-format", "%d/%m/%Y"), "--decimal, --date-format: for CSV"),
    ],
)
def test_import_options_that_do_not_fit_are_usage_errors(
    cli: Run, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    path = tmp_path / "a.vcf"
    path.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:A\nEND:VCARD\n", encoding="utf-8")
    result = cli("import", args[0], path, *args[1:])
    assert result.exit_code == 2 and message in result.stderr


# -- the round trip, for any text --------------------------------------------------------

_TRICKY = st.sampled_from([",", ";", "\\", ":", "'", '"', "=", "+", "-", "@", "é", "ë", "ç", "ş", "Ł", "ı", "€", " "])
_PLAIN = st.characters(min_codepoint=32, max_codepoint=0x2FF, blacklist_categories=("Cc", "Cs"))
_LINE = st.lists(_TRICKY | _PLAIN, min_size=1, max_size=30).map("".join)
NAMES = _LINE.map(str.strip).filter(lambda s: bool(s) and not s.lstrip("#").isdigit())
TEXTS = st.lists(_LINE | st.just("\n"), min_size=1, max_size=6).map("".join).map(str.strip)


def _source(text: str) -> Source:
    data = text.encode("utf-8")
    return Source("cards.vcf", CountingReader(io.BytesIO(data)), len(data), Dialect("utf-8", ","))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=NAMES, organisation=TEXTS, notes=TEXTS)
def test_any_name_organisation_and_notes_come_back(name: str, organisation: str, notes: str) -> None:
    """Written by vobject (escaped, folded), read back through the importer: the same text."""
    with closing(open_store(MEMORY)) as source, closing(open_store(MEMORY)) as target:
        _round_trip(source, target, name, organisation, notes)


def _round_trip(source: Store, target: Store, name: str, organisation: str, notes: str) -> None:
    values = {"name": name, "organisation": organisation, "notes": notes, "email": "a@b.example"}
    original = add_contact(source, values)
    stream = io.StringIO()
    assert export_vcards(source, stream) == 1
    text = stream.getvalue()
    assert read(text)[0].fn.value == name  # vobject reads what it wrote
    file = _source(text)
    cards = card_rows(file, target, NounProfile())
    summary = import_rows(target, "contacts", file, cards.profile, Options(), rows=cards.rows, unit="card")
    assert summary.errors == [] and summary.counts["insert"] == 1
    (copy,) = [dict(r) for r in target.rows("SELECT uuid, name, organisation, notes FROM contact")]
    assert copy == {k: original[k] for k in ("uuid", "name", "organisation", "notes")}
