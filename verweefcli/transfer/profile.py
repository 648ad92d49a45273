"""Which CSV column is which field: header synonyms and YAML mapping profiles.

Headers match ignoring case, accents, spaces and punctuation, in Dutch or
English (``Naam``, ``gemeente``, ``E-mail``, ``Opmerkingen``...). A mapping
profile, for a source that comes back every month, renames columns, ignores
some, maps values onto verweef's vocabularies, fills constants and fixes the
file's format::

    format: {delimiter: ";", encoding: cp1252, date_format: "%d/%m/%Y", decimal: comma}
    sites:
      columns: {status: stage, surface_m2: floor_area_m2}
      values:
        stage: {verkenning: identified, gerealiseerd: woven}
      constants: {region: Gent}
      ignore: [kleur]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from verweefcli.domain import activities, companies, contacts, measures, nuisance, regions, requests, sites
from verweefcli.errors import VerweefError
from verweefcli.textnorm import fold
from verweefcli.yamlnodes import NodeReader

NOUNS = ("regions", "sites", "contacts", "companies", "requests", "activities", "nuisance", "measures")
FIELDS: dict[str, tuple[str, ...]] = {
    "regions": regions.FIELDS,
    "sites": (*sites.FIELDS, "x", "y"),  # Lambert 72, read as lat and lon
    "contacts": contacts.FIELDS,
    "companies": companies.FIELDS,
    "requests": (*requests.FIELDS, "moves"),
    "activities": activities.FIELDS,
    "nuisance": nuisance.FIELDS,
    "measures": (*measures.FIELDS, "moves"),
}
# Fields a row cannot do without (a constant in the profile also counts).
REQUIRED: dict[str, tuple[str, ...]] = {
    "regions": ("name",),
    "sites": ("name",),
    "contacts": ("name",),
    "companies": ("name",),
    "requests": ("company", "type"),
    "activities": ("date", "kind"),
    "nuisance": ("site", "types"),
    "measures": ("case", "kind"),
}
# Values that are vocabulary terms, per record type (a profile can map them).
VOCABULARY: dict[str, dict[str, str]] = {
    "regions": {"coach_status": "coach_statuses"},
    "sites": {"kind": "site_kinds", "stage": "site_stages"},
    "contacts": {"role": "contact_roles"},
    "companies": {"sector": "company_sectors"},
    "requests": {"type": "request_types", "outcome": "request_outcomes"},
    "activities": {"kind": "activity_kinds"},
    "nuisance": {"frequency": "nuisance_frequencies", "result": "nuisance_results"},
    "measures": {"kind": "measure_kinds"},
}

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("naam", "benaming", "sitenaam", "contactnaam", "volledige naam", "full name"),
    "notes": (
        "opmerkingen",
        "opmerking",
        "notities",
        "notitie",
        "nota",
        "note",
        "comments",
        "comment",
        "remarks",
        "beschrijving",
        "description",
    ),
    "region": ("regio", "werkingsgebied"),
    "tags": ("tag", "labels", "label", "trefwoorden", "keywords"),
    "municipalities": ("gemeenten", "gemeentes"),
    "coach": ("verweefcoach", "coach naam"),
    "coach_status": ("status", "coachstatus", "status coach"),
    "appointed_on": ("aangesteld", "aangesteld op", "aanstelling", "appointed", "start", "startdatum"),
    "ends_on": ("einde", "einddatum", "ends", "end"),
    "address": ("adres", "straat", "street"),
    "municipality": ("gemeente", "stad", "city", "town", "plaats"),
    "kind": ("soort", "type", "typologie", "categorie"),
    "stage": ("stadium", "fase", "status"),
    "floor_area_m2": (
        "oppervlakte",
        "oppervlakte m2",
        "vloeroppervlakte",
        "surface",
        "surface m2",
        "area",
        "floor area",
        "m2",
    ),
    "owner": ("eigenaar", "eigenaars"),
    "zoning": ("bestemming", "zonering", "bestemmingszone"),
    "rup": ("ruimtelijk uitvoeringsplan", "plan"),
    "lat": ("latitude", "breedtegraad", "lat wgs84"),
    "lon": ("lng", "long", "longitude", "lengtegraad", "lon wgs84"),
    "x": ("lambert x", "x lambert", "x lambert72", "x lambert 72", "lambert72 x", "x coordinaat", "x coord"),
    "y": ("lambert y", "y lambert", "y lambert72", "y lambert 72", "lambert72 y", "y coordinaat", "y coord"),
    "organisation": ("organisatie", "organization", "bedrijf", "company", "werkgever", "instantie"),
    "role": ("rol", "functie", "function"),
    "email": ("e-mail", "mail", "emailadres", "e-mailadres", "email address"),
    "phone": ("telefoon", "tel", "telefoonnummer", "gsm", "mobile", "phone number"),
    "sites": ("site", "locatie", "locaties", "sitenaam"),
    "contacts": ("contact", "contactpersoon", "contactpersonen", "persoon", "personen"),
    "date": ("datum", "dag", "day"),
    "title": ("titel", "onderwerp", "subject"),
    "minutes": ("minuten", "duur", "duration", "duur min", "duration min", "tijd", "time spent"),
    "follow_up": ("opvolging", "opvolgdatum", "opvolgen", "follow up", "follow-up datum", "deadline"),
    "follow_up_note": ("opvolgnota", "opvolgnotitie", "opvolging nota", "wat opvolgen", "actiepunt", "follow-up note"),
    "follow_up_done": ("opgevolgd", "opgevolgd op", "afgehandeld", "afgehandeld op", "gedaan op", "done"),
    "follow_up_done_notes": ("afhandeling", "opvolging verslag", "hoe opgevolgd", "done notes"),
    "highlight": ("opvallend", "highlight", "in de kijker", "belangrijk"),
    "enterprise_number": (
        "ondernemingsnummer",
        "kbo",
        "kbo nummer",
        "kbonummer",
        "bce",
        "numero d entreprise",
        "btw nummer",
        "btw",
        "vat",
        "vat number",
        "enterprise number",
        "company number",
    ),
    "nace": ("nace code", "nace codes", "nacebel", "nace bel", "activiteitscode"),
    "sector": ("sector", "sectoren", "branche", "industry"),
    "staff": ("personeel", "werknemers", "medewerkers", "aantal werknemers", "employees", "fte", "headcount"),
    "site": ("locatie", "vestiging", "bedrijfssite"),
    "company": ("bedrijf", "onderneming", "firma", "bedrijfsnaam"),
    "type": ("soort vraag", "vraagtype", "type vraag", "soort"),
    "received_on": ("ontvangen", "ontvangen op", "datum", "aanvraagdatum", "received"),
    "space_m2": ("oppervlakte", "gevraagde oppervlakte", "ruimte m2", "m2"),
    "outcome": ("uitkomst", "resultaat"),
    "outcome_site": ("nieuwe locatie", "eindlocatie", "nieuwe site"),
    "moves": ("stadia", "historiek", "verloop"),
    "types": ("soort hinder", "hindertype", "type", "soort"),
    "reported_by": ("gemeld door", "melder", "klager"),
    "reported_on": ("gemeld op", "meldingsdatum", "datum melding", "datum"),
    "severity": ("ernst", "zwaarte"),
    "timing": ("wanneer", "tijdstip", "moment"),
    "frequency": ("frequentie", "hoe vaak"),
    "result": ("afloop", "resultaat"),
    "closed_on": ("afgesloten op", "gesloten op"),
    "case": ("hinderdossier", "dossier", "melding"),
    "due": ("uiterlijk", "tegen", "deadline", "termijn"),
    "cost_eur": ("kost", "kostprijs", "kosten", "bedrag", "cost"),
    "uuid": ("guid",),
    "id": ("nr", "nummer", "#"),
}


def header_key(text: str) -> str:
    """``"E-mail adres "`` -> ``"emailadres"``: what header matching compares."""
    return re.sub(r"[^0-9a-z#]", "", fold(text))


def _synonym_index(noun: str) -> dict[str, str]:
    index: dict[str, str] = {}
    for name in FIELDS[noun]:
        index[header_key(name)] = name
    for name in FIELDS[noun]:
        for synonym in _SYNONYMS.get(name, ()):
            index.setdefault(header_key(synonym), name)
    return index


class ProfileError(VerweefError):
    """A mapping profile that cannot be used."""


@dataclass
class NounProfile:
    columns: dict[str, str] = field(default_factory=dict)  # header key -> field
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # field -> folded value -> term
    constants: dict[str, str] = field(default_factory=dict)  # field -> value
    ignore: set[str] = field(default_factory=set)  # header keys


@dataclass
class Profile:
    path: Path | None = None
    delimiter: str | None = None
    encoding: str | None = None
    date_format: str | None = None
    decimal: str | None = None
    nouns: dict[str, NounProfile] = field(default_factory=dict)

    def for_noun(self, noun: str) -> NounProfile:
        return self.nouns.get(noun, NounProfile())


_FORMAT_KEYS = ("delimiter", "encoding", "date_format", "decimal")
_NOUN_KEYS = ("columns", "values", "constants", "ignore")


def load_profile(path: Path) -> Profile:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ProfileError(f"{path}: no such mapping profile") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(f"{path}: cannot read the mapping profile: {exc}") from None
    reader = NodeReader(path, ProfileError)
    root = reader.compose(text)
    profile = Profile(path=path)
    if root is None:
        return profile
    for key, key_node, value in reader.mapping(root, "the mapping profile"):
        if key == "format":
            for name, name_node, item in reader.mapping(value, "format"):
                if name not in _FORMAT_KEYS:
                    raise reader.fail(name_node, f"unknown format key {name!r} (known: {', '.join(_FORMAT_KEYS)})")
                raw = item.value if not reader.is_null(item) else None
                text_value = None if raw is None else str(raw)
                if name == "decimal" and text_value not in (None, "comma", "point"):
                    raise reader.fail(item, "decimal is 'comma' or 'point'")
                setattr(profile, name, text_value)
        elif key in NOUNS:
            profile.nouns[key] = _noun(reader, key, value)
        else:
            raise reader.fail(key_node, f"unknown key {key!r} (known: format, {', '.join(NOUNS)})")
    return profile


def _noun(reader: NodeReader, noun: str, node: object) -> NounProfile:
    import yaml

    assert isinstance(node, yaml.Node)
    out = NounProfile()
    fields = FIELDS[noun]
    for key, key_node, value in reader.mapping(node, noun):
        if key not in _NOUN_KEYS:
            raise reader.fail(key_node, f"{noun}: unknown key {key!r} (known: {', '.join(_NOUN_KEYS)})")
        if key == "columns":
            for column, column_node, target in reader.mapping(value, f"{noun}.columns"):
                name = reader.scalar(target, f"{noun}.columns.{column}")
                if name not in fields:
                    raise reader.fail(
                        column_node, f"{noun}.columns: {column!r} maps to unknown field {name!r} ({', '.join(fields)})"
                    )
                out.columns[header_key(column)] = name
        elif key == "values":
            for name, name_node, table in reader.mapping(value, f"{noun}.values"):
                if name not in fields:
                    raise reader.fail(name_node, f"{noun}.values: unknown field {name!r}")
                out.values[name] = {
                    fold(source): reader.scalar(target, f"{noun}.values.{name}.{source}") or ""
                    for source, _, target in reader.mapping(table, f"{noun}.values.{name}")
                }
        elif key == "constants":
            for name, name_node, constant in reader.mapping(value, f"{noun}.constants"):
                if name not in fields or name in ("id", "uuid"):
                    raise reader.fail(name_node, f"{noun}.constants: unknown field {name!r}")
                out.constants[name] = reader.scalar(constant, f"{noun}.constants.{name}") or ""
        else:
            items = reader.sequence(value, f"{noun}.ignore")
            out.ignore = {header_key(reader.scalar(item, f"{noun}.ignore") or "") for item in items}
    return out


@dataclass
class Columns:
    """How the columns of one file map onto fields."""

    fields: list[str | None]  # per column: the field, or None when ignored
    names: dict[str, str]  # field -> the column's name in the file (for messages)


def map_header(noun: str, header: list[str], profile: NounProfile, source: str) -> Columns:
    """Match the header row; unknown, repeated or missing columns are errors."""
    synonyms = _synonym_index(noun)
    fields: list[str | None] = []
    names: dict[str, str] = {}
    for index, raw in enumerate(header):
        column = raw.strip().lstrip("\ufeff")
        key = header_key(column)
        if not column:
            if any(header[index + 1 :]):
                raise VerweefError(f"{source}:1: column {index + 1} has no name")
            fields.append(None)  # a trailing empty column (Excel writes these)
            continue
        if key in profile.ignore:
            fields.append(None)
            continue
        name = profile.columns.get(key) or synonyms.get(key)
        if name is None:
            raise VerweefError(
                f"{source}:1: unknown column {column!r} for {noun} (known: {', '.join(FIELDS[noun])}); "
                "rename it, or map or ignore it in a --mapping profile"
            )
        if name in names:
            raise VerweefError(f"{source}:1: columns {names[name]!r} and {column!r} are both {name!r}")
        fields.append(name)
        names[name] = column
    missing = [f for f in REQUIRED[noun] if f not in names and f not in profile.constants]
    if missing:
        raise VerweefError(f"{source}:1: missing column {', '.join(repr(m) for m in missing)} for {noun}")
    return Columns(fields, names)
