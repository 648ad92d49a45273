"""Contacts as vCards: written as vCard 3.0 (RFC 2426), read in any version, with ``vobject``.

**Out.** One card per contact: FN (the name as typed), N (family and given name,
see :func:`split_name`), ORG, TITLE (the role's label), EMAIL;TYPE=INTERNET,WORK,
TEL;TYPE=WORK,VOICE, CATEGORIES (the region), NOTE, UID (the contact's uuid, so
that importing a newer file into an address book updates the card instead of
adding it twice) and REV (the last change). Nothing about anyone else: no
activities, no sites with their other contacts. vCard 3.0 is what Outlook,
Apple Contacts, Google Contacts and Android all import; vobject escapes the
text (``\\,`` ``\\;`` ``\\\\`` ``\\n``) and folds long lines at 75 octets
without cutting a UTF-8 character.

**In.** The lines are unfolded (vCard 3.0/4.0 folding, and vCard 2.1's
quoted-printable soft line breaks from old phones; see :func:`_logical_lines`),
vobject reads each property's parameters (2.1's bare ``TEL;CELL``, 4.0's quoted
``TYPE="voice,work"``) and decodes quoted-printable values in their CHARSET. The
values are unescaped here, not by vobject's vCard behaviour, which cuts a value
at its first unescaped comma (``FN:Peeters, An`` from a 2.1 card would become
``Peeters``). Each card then becomes a row of cells under a contacts header
named after the vCard properties, and goes through the CSV importer
(:func:`verweefcli.transfer.importer.import_rows`): the same rules, the same
matching (uuid, then e-mail, then name + organisation), ``--dry-run``,
``--on-conflict`` and one transaction; a problem is reported as
``FILE: card N: PROPERTY: what``.

A card's fields: the name from FN, else N; the organisation from ORG's first
component; the role from TITLE, else ROLE, when it is a contact role (a key or
a label, or a value the mapping profile maps) and otherwise kept as a line of
the notes (``Functie: Zaakvoerder``); the first EMAIL; the first TEL of type
WORK or CELL, else the first TEL; the NOTEs; the uuid from UID when it is one
(``urn:uuid:`` taken off); the region from the first of the CATEGORIES that
names a region of the database (others are ignored).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from verweefcli.domain import contacts
from verweefcli.domain.common import FieldError, check_uuid, resolve_id
from verweefcli.errors import InvalidValue, VerweefError
from verweefcli.render.serialize import neutralise
from verweefcli.textnorm import fold
from verweefcli.transfer.profile import NounProfile, header_key

if TYPE_CHECKING:
    from verweefcli.storage import Store
    from verweefcli.transfer.source import Source

SUFFIXES = (".vcf", ".vcard")
#: the columns of a card's row: the vCard property each field comes from, and the field
COLUMNS = (
    ("UID", "uuid"),
    ("FN", "name"),
    ("ORG", "organisation"),
    ("TITLE", "role"),
    ("EMAIL", "email"),
    ("TEL", "phone"),
    ("CATEGORIES", "region"),
    ("NOTE", "notes"),
)
#: how a job title that is no contact role is kept in the notes, per language
TITLE_LABEL = {"nl": "Functie", "en": "Job title"}
CHUNK = 500


class VcardProblem(VerweefError):
    """The file cannot be read as vCards (syntax, encoding, a card not closed)."""


# -- out ---------------------------------------------------------------------------------

#: words that start a family name after the given name: Flemish and Dutch ones first
_PARTICLES = frozenset(
    (
        "van", "vanden", "vander", "vande", "de", "der", "den", "ter", "ten", "te", "t", "'t", "op", "in", "uit",
        "von", "des", "du", "da", "di", "del", "della", "dos", "das", "le", "la", "les", "el", "al", "ben",
    )
)  # fmt: skip


def split_name(name: str) -> tuple[str, str]:
    """A name as vCard's family and given name: ``Jan Van den Broeck`` -> ``("Van den Broeck", "Jan")``.

    The family name starts at the first particle after the first word (``van``, ``de``,
    ``ter``, ``in 't``...), else it is the last word; a name of one word, or one that starts
    with a particle, is all family name. Written together (given, then family) they give the
    name again, so an address book that shows N instead of FN shows the same name; a split
    that is wrong for some name only sorts it under another letter.
    """
    words = name.split()
    if len(words) < 2 or fold(words[0]) in _PARTICLES:
        return " ".join(words), ""
    start = next((i for i in range(1, len(words) - 1) if fold(words[i]) in _PARTICLES), len(words) - 1)
    return " ".join(words[start:]), " ".join(words[:start])


def _rev(stamp: str | None) -> str | None:
    """A stored UTC stamp (``2026-03-01T10:00:00.000000Z``) as vCard 3.0's REV, to the second."""
    if not stamp:
        return None
    try:
        moment = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(dt.UTC)
    except ValueError:
        return None
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def card_text(record: dict[str, Any], *, role: str | None = None, updated_at: str | None = None) -> str:
    """One contact (a dict of the JSON contract) as a vCard 3.0, CRLF line ends.

    ``role``: what to write as TITLE (the role's label); ``updated_at``: the last change (REV).
    """
    import vobject  # type: ignore[import-untyped]  # no type hints; imported when a card is written

    card = vobject.vCard()
    card.add("uid").value = record["uuid"]
    card.add("fn").value = record["name"]
    family, given = split_name(record["name"])
    card.add("n").value = vobject.vcard.Name(family=family, given=given)
    if record.get("organisation"):
        card.add("org").value = [record["organisation"]]
    if role:
        card.add("title").value = role
    if record.get("email"):
        email = card.add("email")
        email.value = record["email"]
        email.type_paramlist = ["INTERNET", "WORK"]
    if record.get("phone"):
        phone = card.add("tel")
        phone.value = record["phone"]
        phone.type_paramlist = ["WORK", "VOICE"]
    if record.get("region"):
        card.add("categories").value = [record["region"]]
    if record.get("notes"):
        card.add("note").value = record["notes"]
    if rev := _rev(updated_at):
        card.add("rev").value = rev
    return str(card.serialize())


def contact_ids(store: Store, refs: Sequence[str]) -> list[int]:
    """The contacts ``--contact`` names (id, uuid or name), each once, in the order given."""
    found = (resolve_id(store, "contact", ref, "--contact", extra="organisation") for ref in refs)
    return list(dict.fromkeys(i for i in found if i is not None))


def export_vcards(store: Store, stream: IO[str], *, ids: Sequence[int] | None = None, lang: str = "nl") -> int:
    """Write the contacts (``ids``, else all of them, by id) as vCards; return how many."""
    count = 0
    for rows in _contact_rows(store, ids):
        for row, record in zip(rows, contacts.contact_dicts(store, rows), strict=True):
            role = store.vocab.label("contact_roles", record["role"], lang) if record["role"] else None
            stream.write(card_text(record, role=role, updated_at=row["updated_at"]))
            count += 1
    return count


def _contact_rows(store: Store, ids: Sequence[int] | None) -> Iterator[list[Any]]:
    if ids is not None:
        for start in range(0, len(ids), CHUNK):
            chunk = list(ids[start : start + CHUNK])
            marks = ", ".join("?" for _ in chunk)
            by_id = {r["id"]: r for r in store.rows(f"{contacts.SELECT} WHERE c.id IN ({marks})", chunk)}
            yield [by_id[i] for i in chunk]
        return
    cursor = store.conn.execute(f"{contacts.SELECT} ORDER BY c.id")
    while rows := cursor.fetchmany(CHUNK):
        yield rows


# -- in: the file's cards ----------------------------------------------------------------


@dataclass(frozen=True)
class Property:
    """One property of a card: its name, its TYPEs, and its value as in the file (escapes kept)."""

    name: str
    types: frozenset[str]
    value: str


@dataclass
class Card:
    number: int  # 1 for the file's first card
    line: int  # where its BEGIN:VCARD is
    properties: list[Property] = field(default_factory=list)

    def all(self, name: str) -> list[Property]:
        return [p for p in self.properties if p.name == name]


def is_vcard(source: Source) -> bool:
    """A ``.vcf`` or ``.vcard`` file, or one that starts with ``BEGIN:VCARD`` (standard input too)."""
    if Path(source.name).suffix.lower() in SUFFIXES:
        return True
    head = source.stream.prefix[:64].decode(source.dialect.encoding, errors="ignore")
    return head.lstrip("\ufeff \t\r\n").upper().startswith("BEGIN:VCARD")


def read_cards(stream: IO[str], name: str, encoding: str = "utf-8") -> Iterator[Card]:
    """The cards of a vCard file, one at a time; a line that is no vCard property, text outside a
    card or a card that is not closed is a :class:`VcardProblem` naming the file, card and line."""
    card: Card | None = None
    depth = number = 0  # depth: a card inside the card (vCard 2.1's AGENT) is skipped
    for text, line in _logical_lines(stream, name, encoding):
        where = f"{name}: card {card.number}: line {line}" if card else f"{name}: line {line}"
        prop = _first_property(text, where, name) if number == 0 else _property(text, where)
        if prop.name == "BEGIN":
            if card is None:
                if prop.value.strip().upper() != "VCARD":
                    raise VcardProblem(f"{where}: BEGIN:{prop.value.strip()} is not a vCard (BEGIN:VCARD)")
                number += 1
                card, depth = Card(number, line), 0
            depth += 1
        elif prop.name == "END":
            if card is None:
                raise VcardProblem(f"{where}: END:{prop.value.strip()} without its BEGIN")
            depth -= 1
            if depth == 0:
                yield card
                card = None
        elif card is None:
            raise VcardProblem(f"{where}: {_shown(text)} is outside a card (BEGIN:VCARD ... END:VCARD)")
        elif depth == 1:
            card.properties.append(prop)
    if card is not None:
        raise VcardProblem(
            f"{name}: card {card.number}: not closed (it begins on line {card.line}; END:VCARD is missing)"
        )


def _logical_lines(stream: IO[str], name: str, encoding: str) -> Iterator[tuple[str, int]]:
    """The file's lines unfolded, each with the number of the line it starts on.

    A line that starts with a space or a tab goes on from the one before, without that
    character (RFC 2426 2.6, RFC 6350 3.2); in a quoted-printable value (vCard 2.1) a line
    that ends with ``=`` goes on on the next line, the line break kept for the decoder. (This
    is vobject's ``getLogicalLines`` less its flaw: there a continuation line of blanks
    alone, which vobject's own writer makes from a long run of spaces, ends the value.)
    """
    current: list[str] = []
    start = number = 0
    lines = iter(stream)
    while True:
        try:
            raw = next(lines)
        except StopIteration:
            break
        except UnicodeDecodeError as exc:
            raise VcardProblem(
                f"{name}: near line {number + 1}: not valid {encoding} ({exc.reason}); try --encoding utf-8 or cp1252"
            ) from None
        number += 1
        line = raw.rstrip("\r\n")
        if current and _soft_break(current):
            current.append("\n" + line)
        elif current and line[:1] in (" ", "\t"):
            current.append(line[1:])
        else:
            if current:
                yield "".join(current), start
            current, start = ([line], number) if line.strip() else ([], number)
    if current:
        yield "".join(current), start


def _soft_break(parts: list[str]) -> bool:
    """Whether a quoted-printable value goes on on the next line: its last line ends with ``=``."""
    if not parts[-1].endswith("="):
        return False
    head = parts[0].split(":", 1)[0].upper()  # the name and the parameters
    return "QUOTED-PRINTABLE" in head


def _first_property(text: str, where: str, name: str) -> Property:
    """The file's first property: a BEGIN, or this is no vCard file at all."""
    try:
        prop = _property(text.lstrip("\ufeff"), where)
    except VcardProblem:
        prop = None
    if prop is None or prop.name != "BEGIN":
        raise VcardProblem(f"{name}: not a vCard file (it does not start with BEGIN:VCARD)")
    return prop


def _property(text: str, where: str) -> Property:
    """One unfolded line as a property; vobject reads its parameters and quoted-printable value."""
    from vobject.base import VObjectError, textLineToContentLine  # type: ignore[import-untyped]

    try:
        content = textLineToContentLine(text)
    except UnicodeDecodeError as exc:
        raise VcardProblem(f"{where}: its quoted-printable text is not valid {exc.encoding}") from None
    except LookupError as exc:  # CHARSET=nonsense
        raise VcardProblem(f"{where}: {exc}") from None
    except (VObjectError, ValueError):
        raise VcardProblem(f"{where}: {_shown(text)} is not a vCard property (NAME;PARAMS:value)") from None
    types = {str(p).upper() for p in content.singletonparams}
    for value in content.params.get("TYPE", []):
        types.update(t.strip().upper() for t in str(value).split(","))
    return Property(str(content.name).upper(), frozenset(types), str(content.value))


def _shown(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:40] + "...")


# -- in: a card's fields -----------------------------------------------------------------

_ESCAPE = re.compile(r"\\(.)", re.DOTALL)


def unescape(text: str) -> str:
    """vCard text as it reads: ``\\n`` and ``\\N`` a line break, ``\\,`` ``\\;`` ``\\\\`` ``\\:`` the
    character; any other backslash stays (a vCard 2.1 path ``C:\\temp``)."""
    return _ESCAPE.sub(lambda m: "\n" if m[1] in "nN" else m[1] if m[1] in "\\,;:" else m[0], text)


def split_escaped(text: str, separator: str) -> list[str]:
    """Split where ``separator`` is not escaped (the parts keep their escapes)."""
    parts, current, index = [], [], 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            current.append(text[index : index + 2])
            index += 2
            continue
        if char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
        index += 1
    parts.append("".join(current))
    return parts


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _text(value: str) -> str:
    """A text value as it reads, its line breaks kept (as ``\\n``)."""
    return _lines(unescape(value)).strip()


def _one_line(value: str) -> str:
    """A value that is one line (a job title, an address, a number): line breaks become spaces."""
    return re.sub(r"[ \t]*\n[ \t]*", " ", _text(value))


def _first(card: Card, name: str, read: Callable[[str], str] = _one_line) -> str:
    return next((v for v in (read(p.value) for p in card.all(name)) if v), "")


@dataclass
class Fields:
    """What a card says about a contact, before the database has its say."""

    name: str = ""
    organisation: str = ""
    title: str = ""
    email: str = ""
    phone: str = ""
    notes: str = ""
    uuid: str = ""
    categories: list[str] = field(default_factory=list)


def card_fields(card: Card) -> Fields:
    fields = Fields(
        name=_first(card, "FN", _text) or _structured_name(card),
        title=_first(card, "TITLE") or _first(card, "ROLE"),
        email=re.sub(r"(?i)^mailto:", "", _first(card, "EMAIL")),
        phone=_phone(card),
        notes="\n\n".join(n for n in (_text(p.value) for p in card.all("NOTE")) if n),
        uuid=_uuid(_first(card, "UID")),
    )
    organisations = card.all("ORG")
    if organisations:
        fields.organisation = _text(split_escaped(organisations[0].value, ";")[0])
    for prop in card.all("CATEGORIES"):
        fields.categories.extend(c for c in (_one_line(v) for v in split_escaped(prop.value, ",")) if c)
    return fields


def _structured_name(card: Card) -> str:
    """N (family; given; additional; prefix; suffix) in reading order: ``dr. An Marie Peeters``."""
    found = card.all("N")
    if not found:
        return ""
    parts = [
        " ".join(w for w in (_one_line(v) for v in split_escaped(component, ",")) if w)
        for component in split_escaped(found[0].value, ";")
    ]
    parts += [""] * (5 - len(parts))
    family, given, additional, prefix, suffix = parts[:5]
    return " ".join(p for p in (prefix, given, additional, family, suffix) if p)


def _phone(card: Card) -> str:
    phones = [(p.types, _one_line(p.value)) for p in card.all("TEL")]
    phones = [(types, re.sub(r"(?i)^tel:", "", number)) for types, number in phones if number]
    preferred = next((number for types, number in phones if types & {"WORK", "CELL"}), None)
    return preferred or (phones[0][1] if phones else "")


def _uuid(uid: str) -> str:
    text = re.sub(r"(?i)^urn:uuid:", "", uid.strip())
    try:
        return check_uuid(text) or ""
    except FieldError:  # a UID that is no uuid (Google's, Apple's...): the card matches by e-mail or name
        return ""


# -- in: the rows for the importer -------------------------------------------------------


@dataclass
class CardRows:
    """A vCard file for :func:`~verweefcli.transfer.importer.import_rows`: a profile that names
    its columns, and the rows (the header, then one per card, numbered from 1)."""

    profile: NounProfile
    rows: Iterator[tuple[int, list[str]]]


def card_rows(source: Source, store: Store, profile: NounProfile, lang: str = "nl") -> CardRows:
    """The cards of ``source`` as contact rows; ``profile``'s value maps and constants apply."""
    columns = {header_key(column): name for column, name in COLUMNS}
    named = NounProfile(columns=columns, values=profile.values, constants=profile.constants)
    return CardRows(named, _rows(source, store, profile, TITLE_LABEL.get(lang, TITLE_LABEL["en"])))


def _rows(source: Source, store: Store, profile: NounProfile, title_label: str) -> Iterator[tuple[int, list[str]]]:
    yield 0, [column for column, _ in COLUMNS]
    roles = profile.values.get("role", {})
    regions: dict[str, str | None] = {}
    count = 0
    for card in read_cards(source.text(), source.name, source.dialect.encoding):
        count += 1
        fields = card_fields(card)
        role, notes = "", fields.notes
        if fields.title and _is_role(store, roles.get(fold(fields.title), fields.title)):
            role = fields.title
        elif fields.title:  # a job title the vocabulary does not know: kept, in the notes
            kept = f"{title_label}: {fields.title}"
            if kept not in notes.splitlines():
                notes = f"{notes}\n\n{kept}" if notes else kept
        region = next((r for r in (_region(store, regions, c) for c in fields.categories) if r), "")
        values = {
            "uuid": fields.uuid,
            "name": fields.name,
            "organisation": fields.organisation,
            "role": role,
            "email": fields.email,
            "phone": fields.phone,
            "region": region,
            "notes": notes,
        }
        # the importer reads cells as a CSV export writes them: it takes the quote off =, +, - and @
        yield card.number, [neutralise(values[name]) for _, name in COLUMNS]
    if not count:
        raise VcardProblem(f"{source.name}: no vCard in the file (BEGIN:VCARD ... END:VCARD)")


def _is_role(store: Store, text: str) -> bool:
    try:
        store.vocab.resolve("contact_roles", text)
    except InvalidValue:
        return False
    return True


def _region(store: Store, known: dict[str, str | None], category: str) -> str | None:
    key = fold(category)
    if key not in known:
        found = store.value("SELECT name FROM region WHERE name_key = ?", (key,))
        known[key] = None if found is None else str(found)
    return known[key]
