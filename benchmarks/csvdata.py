"""Realistic CSV files of every noun verweef imports, as coaches keep them.

Dutch and French-Belgian names with accents, Flemish municipalities and streets,
e-mail addresses, phone numbers, notes with quotes, semicolons and line breaks.
Each noun has the format a real source of it has:

- regions: UTF-8, ``,``, English headers (a verweef export);
- sites: Belgian Excel: ``;``, Windows-1252, Dutch headers and labels, dates
  ``dd/mm/yyyy``, decimal commas;
- contacts: Belgian Excel saved as UTF-8 with a byte-order mark: ``;``, Dutch
  headers, dates ``dd/mm/yyyy``, every contact with its own e-mail address;
- activities: UTF-8, ``,``, English headers, in date order (as coaches record
  them); each names one existing site, that site's region and one existing
  contact (read from the database they go into), with follow-ups and highlights;
- companies: Belgian Excel saved as UTF-8 with a byte-order mark (``;``, Dutch
  headers and sector labels): a valid enterprise number (mod 97) written the
  ways people write them (``0403.170.701``, ``BE0403170701``, nine digits...),
  NACE codes, staff, an existing site (else a region and an address) and
  existing contacts by name;
- requests: a ``verweef export requests`` file (UTF-8, ``,``, English headers,
  ISO dates, vocabulary keys): an existing company and sites by name, and
  ``moves`` in date order from ``received`` on (a closed one with its outcome);
- nuisance cases: a municipality's complaint register in Belgian Excel (UTF-8
  with BOM, ``;``, Dutch headers and labels, ``dd/mm/yyyy``): an existing site,
  its company, the contact who reported it, closed ones with their result;
- measures: a ``verweef export measures`` file: the case by its uuid (some by
  id), ``moves`` in date order from ``proposed`` on, not before the case was reported.

Files are made with a fixed seed: the file of n rows is the first n rows of the
file of 4n rows. Names of sites, contacts and companies are unique, since other
files name them; no two rows of a file are the same record (its natural key).
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import sqlite3
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from verweefcli.kbo import check_digits
from verweefcli.textnorm import fold


def _list(text: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in text.split(","))


FIRST_NAMES = _list(
    "Jan, Els, Koen, Hanne, Wout, Gaëlle, Raphaël, Françoise, Noël, Zoë, Chloé, Joëlle, Anaïs, Mathéo, "
    "Jérôme, Inès, Michaël, Ine, Lotte, Senne, Noor, Yasmine, Tom, Nathalie, Pieter, Bart, An, Sofie, "
    "Lien, Wim, Dirk, Hélène, Geneviève, Noémie, Maïté, Stijn, Annelies, Griet, Hilde, Karel, Jef, Mieke, "
    "Lieve, Bram, Jonas, Lucas, Arthur, Louis, Emma, Olivia, Marie, Elise, Fien, Nore, Lena, Julie, Ruben, "
    "Thibault, Cédric, Frédéric, Benoît, Stéphanie, Valérie, Aurélie, Amélie, Dries, Jens, Kobe, Warre, "
    "Nand, Lise, Febe, Ellen, Katrien, Veerle, Kristof, Tine, Sarah, Ilse, Filip, Geert, Luc, Marc, Johan, "
    "Patrick, Rudi, Myriam, Chantal, Ahmed, Fatima, Mohamed, Youssef, Samira, Hüseyin, Ayşe, Emre, Özlem, "
    "Elif, Björn, Søren, Andrzej, Małgorzata, Ewa, Piotr, Ioana, Mihai, Giuseppe, Chiara, Matteo, José, "
    "Inês, João, Léa, Zoé, Baptiste, Quentin, Maxime, Sébastien, Gérard, Agnès"
)
LAST_NAMES = _list(
    "Peeters, Janssens, Maes, Jacobs, Mertens, Willems, Claes, Goossens, Wouters, Smet, Dyck, Vandormael, "
    "Coppens, Nuyts, Dubois, Lefèvre, Desmedt, Broeck, D'Hondt, Vanderhoven, Verbruggen, Hendrickx, "
    "Lemaître, Moors, Reynders, Vandenbulcke, Vermeulen, Pauwels, Dumont, Leclercq, Hermans, Michiels, "
    "Aerts, Lambrechts, Stevens, Martens, Verhoeven, Declercq, Vermeersch, Desmet, Verstraete, Cools, "
    "Bogaert, Vervoort, Dewulf, Parmentier, Baert, Segers, Lemmens, Engelen, Gielen, Geerts, Lenaerts, "
    "Thys, Vos, Vandamme, Laureys, Françoys, Vanhoutte, Ghysels, Schepens, Devos, Bertrand, Mathieu, Noël, "
    "Thiry, Gérard, Wéry, Delcourt, Collignon, Hubert, Renard, Öztürk, Yılmaz, Çelik, Demir, El Amrani, "
    "Benali, Nowak, Kowalski, Łukasz, Popescu, Rossi, Ferreira, Sørensen, Müller, Schröder, Van Damme, "
    "De Backer, Van Acker"
)
PARTICLES = ("", "", "", "", "Van ", "De ", "Van den ", "Vanden ", "Van de ", "Verhaegen-")
MUNICIPALITIES = _list(
    "Aalst, Aalter, Aarschot, Anzegem, Asse, Avelgem, Beernem, Beringen, Bilzen, Bornem, Brakel, Brugge, "
    "Deerlijk, Deinze, Dendermonde, Diest, Diksmuide, Dilbeek, Drogenbos, Eeklo, Geel, Genk, Gent, "
    "Geraardsbergen, Grimbergen, Haacht, Halle, Hamont-Achel, Harelbeke, Hasselt, Herentals, Herk-de-Stad, "
    "Hoogstraten, Ieper, Izegem, Kaprijke, Kortemark, Kortrijk, Kuurne, Lanaken, Lede, Lendelede, Leuven, "
    "Lier, Lokeren, Lommel, Maaseik, Mechelen, Menen, Mol, Ninove, Oostende, Oudenaarde, Overijse, "
    "Poperinge, Roeselare, Ronse, Schoten, Sint-Genesius-Rode, Sint-Niklaas, Sint-Truiden, Spiere-Helkijn, "
    "Temse, Tielt, Tienen, Tongeren, Turnhout, Veurne, Vilvoorde, Waregem, Wervik, Wevelgem, Zaventem, "
    "Zele, Zottegem, Zwevegem, Zoutleeuw, Kinrooi, Bocholt, Bree, Peer, Hechtel-Eksel, "
    "Houthalen-Helchteren"
)
STREETS = _list(
    "Kerkstraat, Stationsstraat, Molenstraat, Nieuwstraat, Dorpsstraat, Schoolstraat, Kapelstraat, "
    "Beekstraat, Industrielaan, Ambachtenlaan, Brugsesteenweg, Tiensesteenweg, Luikersteenweg, "
    "Naamsesteenweg, Gentsesteenweg, Leopoldlaan, Rue de l'Église, Chaussée de Bruxelles, Vaartkaai, "
    "Havenlaan, Zandstraat, Hoogstraat, Veldstraat, Meersstraat, Bosstraat, Broekstraat, Lindenlaan, "
    "Kouter, Groenplaats, Oude Vest, Ringlaan, Grote Markt"
)
SITE_WORDS = (
    "Brouwerij",
    "Schrijnwerkerij",
    "Drukkerij",
    "Bakkerij",
    "Garage",
    "Loods",
    "Werkplaats",
    "Oude fabriek",
    "Voormalige zuivelfabriek",
    "Weverij",
    "Vlasfabriek",
    "Smidse",
    "Bedrijvenzone",
    "Ambachtelijke zone",
    "Kantorenzone",
    "Project",
    "Site",
    "Pakhuis",
    "Hangar",
    "Fruitveiling",
    "Steenbakkerij",
    "Meubelfabriek",
    "Textielsite",
    "Brouwerij Het Anker",
    "Atelier",
)
ORGANISATIONS = (
    "Stad {m}",
    "Gemeente {m}",
    "Stad {m} - Dienst Ruimtelijke Planning",
    "Gemeente {m} - Dienst Economie",
    "Buurtcomité {m}-Centrum",
    "VLAIO",
    "Voka Oost-Vlaanderen",
    "Unizo {m}",
    "{l} Vastgoed nv",
    "{l} & Zonen bv",
    "Schrijnwerkerij {l}",
    "Intercommunale Leiedal",
    "Provincie Limburg",
    "Haspengouw Ontwikkeling cv",
    "Architectenbureau {l}",
)
ROLE_LABELS = (
    "Wijkregisseur",
    "Buurtcomité",
    "Ruimtelijk planner",
    "Projectontwikkelaar",
    "Ondernemer",
    "Eigenaar",
    "Lokaal bestuur",
    "Stadsdienst",
    "VLAIO",
    "Voka/Unizo",
    "",
)
SITE_KIND_LABELS = (
    "Bedrijfssite",
    "Pand",
    "Leegstaand pand",
    "Bedrijventerrein",
    "Ambachtelijke zone",
    "Kantoorzone",
    "Gemengd project",
    "Brownfield",
)
STAGE_LABELS = ("Geïdentificeerd", "Bezocht", "Onderzocht", "Kandidaat", "Verweven")
TAGS = ("geur", "lawaai", "verkeer", "groei", "leegstand", "bodemsanering", "circulair", "verdichting", "klimaat")
SITE_NOTES = (
    "Voormalige fabriek met grote loodsen; de eigenaar wil herbestemmen.",
    'Buren klagen over "vroege leveringen" en zaaglawaai.',
    "Wil uitbreiden, maar ligt zonevreemd.\nGesprek met de gemeente gepland.",
    "Leegstand sinds 2019. Interesse van een maakbedrijf (ca. 1.200 m²).",
    "",
    "",
)
CONTACT_NOTES = (
    "Vast aanspreekpunt voor RUP's en omgevingsvergunningen.",
    "Kent de klachten van de buren; bereikbaar na 16 u.",
    'Zegt: "liever eerst een plaatsbezoek".',
    "",
    "",
    "",
)
KINDS = (
    ("dossier", 6),
    ("introduction", 8),
    ("network", 4),
    ("visit", 20),
    ("plan-review", 8),
    ("request", 12),
    ("consultation", 12),
    ("communication", 8),
    ("developer-contact", 6),
    ("mapping", 8),
    ("example", 4),
)
TITLES = {
    "dossier": "Inlezen dossier {s}",
    "introduction": "Kennismaking met {c}",
    "network": "Netwerkmoment Bedrijvige Kern",
    "visit": "Plaatsbezoek {s}",
    "plan-review": "RUP doornemen voor {s}",
    "request": "Opvolging aanvraag uitbreiding {s}",
    "consultation": "Overleg over {s} met {c}",
    "communication": "Nieuwsbrief: verweving in de praktijk",
    "developer-contact": "Gesprek met ontwikkelaar over {s}",
    "mapping": "Sites in kaart brengen rond {s}",
    "example": "Voorbeeld verzamelen: {s}",
}
ACTIVITY_NOTES = (
    "Geurhinder besproken",
    "Vraag naar uitbreiding; zie nota",
    'Buren vrezen "meer vrachtverkeer"',
    "Budget van € 25.000 gevraagd voor een haalbaarheidsstudie.",
    "Afspraak: eerst een plaatsbezoek,\ndan een voorstel aan het college.",
    "",
    "",
    "",
)
#: The regions every other file refers to (the generator's five, and seven more).
BASE_REGIONS = (
    ("Gent", "2020-06-01"),
    ("Sint-Truiden", "2020-02-17"),
    ("Turnhout", "2020-06-01"),
    ("Vilvoorde", "2021-01-04"),
    ("Zuid-West-Vlaanderen", "2020-06-01"),
    ("Westhoek", "2021-09-01"),
    ("Kempen", "2022-01-10"),
    ("Noord-Limburg", "2022-03-01"),
    ("Waasland", "2023-02-01"),
    ("Leuven", "2023-09-04"),
    ("Mechelen", ""),
    ("Aalst", ""),
)
AREAS = _list(
    "Leiedal, Westhoek, Kempen, Haspengouw, Noord-Limburg, Waasland, Meetjesland, Pajottenland, "
    "Vlaamse-Ardennen, Rivierenland, Voorkempen, Maasland, Hageland, Dijleland, Zennevallei, Denderstreek, "
    "Brugse-Ommeland, Polders"
)
START = dt.date(2020, 1, 1)
TODAY = dt.date.today()
TERM = dt.timedelta(days=3 * 365)
SPAN = 2500  # days: activities run from 2020-01-01 to 2026-11


def _person(rnd: random.Random) -> str:
    return f"{rnd.choice(FIRST_NAMES)} {rnd.choice(PARTICLES)}{rnd.choice(LAST_NAMES)}"


def unique_people(rnd: random.Random) -> Iterator[str]:
    """Person names, never the same one twice (ignoring case and accents): activities name contacts."""
    seen: set[str] = set()
    while True:
        name = _person(rnd)
        if rnd.random() < 0.35:  # a double family name, as many have
            name = f"{name}-{rnd.choice(LAST_NAMES)}"
        key = fold(name)
        if key not in seen:
            seen.add(key)
            yield name


_LATIN = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "ß": "ss"})


def _ascii(text: str) -> str:
    """``Małgorzata Öztürk`` -> ``malgorzata.ozturk``: what an e-mail address makes of a name."""
    plain = fold(text).translate(_LATIN).encode("ascii", "ignore").decode()
    return "".join(c for c in plain if c.isalnum() or c in ".-")


def _stage_history(rnd: random.Random, date_format: str) -> str:
    day = START + dt.timedelta(days=rnd.randint(0, SPAN - 30))
    changes = []
    for step in range(rnd.choices([1, 2, 3, 4], [35, 40, 18, 7])[0]):
        stage = "Afgevallen" if step and rnd.random() < 0.05 else STAGE_LABELS[step]
        changes.append(f"{stage} {day.strftime(date_format)}")
        day += dt.timedelta(days=rnd.randint(5, 200))
        if day >= START + dt.timedelta(days=SPAN) or stage == "Afgevallen":
            break
    return "; ".join(changes)


def write_base_regions(path: Path) -> list[str]:
    """The regions the other files refer to; returns their names."""
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["name", "municipalities", "coach", "coach_status", "appointed_on", "ends_on", "notes"])
        rnd = random.Random(3)
        for name, appointed in BASE_REGIONS:
            towns = ", ".join(sorted(rnd.sample(MUNICIPALITIES, rnd.randint(1, 8))))
            if appointed:
                ends = f"{int(appointed[:4]) + 5}{appointed[4:]}"
                writer.writerow([name, towns, _person(rnd), "appointed", appointed, ends, ""])
            else:
                writer.writerow([name, towns, "", "selecting", "", "", "Selectie van de coach loopt."])
    return [name for name, _ in BASE_REGIONS]


def write_regions(path: Path, rows: int, seed: int = 5) -> None:
    """``rows`` regions with unique names, a coach, municipalities and dates (UTF-8, ``,``)."""
    rnd = random.Random(seed)
    seen: set[str] = set()
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["name", "municipalities", "coach", "coach_status", "appointed_on", "ends_on", "notes"])
        count = 0
        while count < rows:
            name = f"{rnd.choice(AREAS)} – {rnd.choice(MUNICIPALITIES)}"
            if rnd.random() < 0.5:
                name += f" {rnd.choice(['Noord', 'Zuid', 'Oost', 'West', 'Centrum', 'Haven', 'Kanaalzone'])}"
            if fold(name) in seen:
                continue
            seen.add(fold(name))
            count += 1
            towns = ", ".join(sorted(rnd.sample(MUNICIPALITIES, rnd.randint(1, 13))))
            status = rnd.choices(["appointed", "ended", "planned", "selecting"], [60, 20, 10, 10])[0]
            if status in ("appointed", "ended"):  # a term of three years, ended before today or not
                first, last = (START, TODAY - TERM) if status == "ended" else (TODAY - TERM, TODAY)
                day = first + dt.timedelta(days=rnd.randint(1, (last - first).days - 1))
                row = [name, towns, _person(rnd), status, day.isoformat(), (day + TERM).isoformat()]
            else:
                row = [name, towns, "", status, "", ""]
            notes = rnd.choice(
                ["Regionale coach, ingebed in de dienst Economie.", 'Werkt "op de grens" van twee provincies.', ""]
            )
            writer.writerow([*row, notes])


def write_sites(path: Path, rows: int, regions: list[str], seed: int = 7) -> None:
    """``rows`` sites in Belgian Excel format (``;``, Windows-1252, Dutch, decimal commas)."""
    rnd = random.Random(seed)
    seen: set[str] = set()
    header = [
        "Naam",
        "Adres",
        "Gemeente",
        "Regio",
        "Soort",
        "Oppervlakte",
        "Eigenaar",
        "Bestemming",
        "Lat",
        "Lon",
        "Trefwoorden",
        "Opmerkingen",
        "stage_changes",
    ]
    with path.open("w", encoding="cp1252", errors="replace", newline="") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(header)
        count = 0
        while count < rows:
            town = rnd.choice(MUNICIPALITIES)
            street = rnd.choice(STREETS)
            word = rnd.choice(SITE_WORDS)
            name = rnd.choice([f"{word} {rnd.choice(LAST_NAMES)}", f"{word} {street}", f"{word} {street} {town}"])
            if rnd.random() < 0.5:
                name += f" {rnd.randint(1, 250)}"
            if fold(name) in seen or name.encode("cp1252", errors="replace").decode("cp1252") != name:
                continue  # unique names (activities name them) that the file's encoding can hold
            seen.add(fold(name))
            count += 1
            area = f"{rnd.uniform(150, 45000):.1f}".replace(".", ",")
            writer.writerow(
                [
                    name,
                    f"{street} {rnd.randint(1, 240)}, {town}",
                    town,
                    rnd.choice(regions),
                    rnd.choice(SITE_KIND_LABELS),
                    area if rnd.random() < 0.8 else "",
                    rnd.choice(["", f"{rnd.choice(LAST_NAMES)} Vastgoed nv", "Familie " + rnd.choice(LAST_NAMES)]),
                    rnd.choice(["", "woongebied", "gemengd woongebied", "industriegebied", "KMO-zone"]),
                    f"{50.7 + rnd.random() * 0.6:.6f}".replace(".", ","),
                    f"{2.6 + rnd.random() * 3.0:.6f}".replace(".", ","),
                    ",".join(rnd.sample(TAGS, rnd.randint(0, 3))),
                    rnd.choice(SITE_NOTES),
                    _stage_history(rnd, "%d/%m/%Y"),
                ]
            )


def write_contacts(path: Path, rows: int, regions: list[str], seed: int = 9) -> None:
    """``rows`` contacts, each with an e-mail address, as Belgian Excel saves UTF-8 (BOM, ``;``)."""
    rnd = random.Random(seed)
    people = unique_people(rnd)
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(["Naam", "Organisatie", "Rol", "E-mail", "Telefoon", "Regio", "Opmerkingen", "recorded_on"])
        for _ in range(rows):
            name = next(people)
            town = rnd.choice(MUNICIPALITIES)
            last = name.split(" ")[-1]
            organisation = rnd.choice(ORGANISATIONS).format(m=town, l=last)
            domain = rnd.choice([f"{_ascii(town)}.be", "telenet.be", "gmail.com", "skynet.be", "vlaio.be"])
            email = f"{_ascii(name.replace(' ', '.'))}@{domain}"
            if rnd.random() < 0.5:
                phone = f"04{rnd.randint(70, 99)} {rnd.randint(10, 99)} {rnd.randint(10, 99)} {rnd.randint(10, 99)}"
            else:
                zone, number = rnd.choice([2, 9, 11, 56]), rnd.randint(100, 999)
                phone = f"+32 {zone} {number} {rnd.randint(10, 99)} {rnd.randint(10, 99)}"
            recorded = START + dt.timedelta(days=rnd.randint(0, SPAN))
            writer.writerow(
                [
                    name,
                    organisation,
                    rnd.choice(ROLE_LABELS),
                    email,
                    phone,
                    rnd.choice(regions),
                    rnd.choice(CONTACT_NOTES),
                    recorded.strftime("%d/%m/%Y"),
                ]
            )


def write_activities(path: Path, db: Path, rows: int, seed: int = 11) -> None:
    """``rows`` activities in date order, each naming one site of ``db``, its region and one contact."""
    conn = sqlite3.connect(db)
    sites = conn.execute(
        "SELECT s.name, r.name FROM site s JOIN region r ON r.id = s.region_id ORDER BY s.id"
    ).fetchall()
    contact_names = [r[0] for r in conn.execute("SELECT name FROM contact ORDER BY id")]
    conn.close()
    if not sites or not contact_names:
        raise SystemExit(f"{db} has no sites or no contacts to name")
    rnd = random.Random(seed)
    kinds, weights = zip(*KINDS, strict=True)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(
            ["date", "kind", "title", "region", "minutes", "sites", "contacts", "notes", "follow_up", "highlight"]
        )
        for i in range(1, rows + 1):
            day = START + dt.timedelta(days=i * SPAN // rows)
            site, region = rnd.choice(sites)  # an activity is in its site's region
            contact = rnd.choice(contact_names)
            kind = rnd.choices(kinds, weights)[0]
            follow = ""
            if rnd.random() < 0.1:
                follow = (day + dt.timedelta(days=rnd.randint(7, 120))).isoformat()
            writer.writerow(
                [
                    day.isoformat(),
                    kind,
                    TITLES[kind].format(s=site, c=contact),
                    region,
                    rnd.choice([15, 30, 45, 60, 90, 120]),
                    site,
                    contact,
                    rnd.choice(ACTIVITY_NOTES),
                    follow,
                    "yes" if rnd.random() < 0.01 else "",
                ]
            )


# -- companies, requests, nuisance cases and measures ---------------------------------

#: per sector: its Dutch label (as a Belgian spreadsheet has it), words for a firm's name, NACE-BEL codes
SECTORS = {
    "food": (
        "Voeding en dranken",
        ("Bakkerij", "Brouwerij", "Koffiebranderij", "Chocolaterie", "Slagerij", "Boulangerie", "Voeding"),
        ("10.71", "11.05", "10.13", "10.83", "10.82", "10.85"),
    ),
    "textile": (
        "Textiel en kleding",
        ("Weverij", "Confectie", "Textiel", "Tapijtfabriek"),
        ("13.20", "13.92", "14.13"),
    ),
    "wood-furniture": (
        "Hout en meubelen",
        ("Schrijnwerkerij", "Meubelmakerij", "Houthandel", "Menuiserie", "Trappenmakerij"),
        ("16.23", "31.09", "43.32", "16.10"),
    ),
    "chemicals-plastics": (
        "Chemie en kunststoffen",
        ("Kunststoffen", "Verffabriek", "Plastics", "Coatings"),
        ("20.30", "22.22", "22.29"),
    ),
    "metal": (
        "Metaal en metaalbewerking",
        ("Metaalconstructie", "Smederij", "Métallerie", "Staalbouw", "Lasbedrijf", "Poederlakkerij"),
        ("25.11", "25.62", "24.33", "25.61"),
    ),
    "machinery": (
        "Machinebouw en elektronica",
        ("Machinebouw", "Elektronica", "Automation"),
        ("28.29", "27.12", "26.51"),
    ),
    "printing": ("Drukkerijen", ("Drukkerij", "Imprimerie", "Zeefdruk"), ("18.12", "18.13")),
    "construction": (
        "Bouw",
        ("Bouwbedrijf", "Aannemingen", "Dakwerken", "Sanitair", "Elektriciteitswerken"),
        ("41.20", "43.22", "43.91", "43.21"),
    ),
    "repair-crafts": (
        "Herstelling en ambacht",
        ("Garage", "Carrosserie", "Fietsherstel", "Atelier"),
        ("45.20", "33.12", "95.24"),
    ),
    "logistics": (
        "Transport en logistiek",
        ("Transport", "Transports", "Logistiek", "Koeriers"),
        ("49.41", "52.10", "53.20"),
    ),
    "wholesale": ("Groothandel", ("Groothandel", "Bouwmaterialen", "Handelshuis"), ("46.90", "46.73", "46.31")),
    "recycling": ("Afval en recyclage", ("Recyclage", "Containerdienst", "Metaalrecyclage"), ("38.32", "38.11")),
    "energy": ("Energie", ("Zonne-energie", "Warmtenet"), ("35.11", "35.30")),
    "services": ("Diensten", ("Studiebureau", "Ingenieursbureau", "Architectenbureau"), ("71.12", "71.11", "62.01")),
    "manufacturing": ("Maakeconomie", ("Productie", "Maakbedrijf", "Fabricage"), ("32.99", "25.99", "28.99")),
    "other": ("Andere", ("Handelszaak", "Bedrijf"), ("96.09", "82.99")),
}
SECTOR_WEIGHTS = {
    "food": 12,
    "metal": 12,
    "wood-furniture": 10,
    "construction": 12,
    "repair-crafts": 10,
    "logistics": 8,
}
LEGAL_FORMS = ("bv", "bv", "bv", "bv", "nv", "nv", "cv", "vof", "commv", "srl", "sa", "")
COMPANY_TAGS = ("familiebedrijf", "maakbedrijf", "groei", "zonevreemd", "starter", "circulair", "export", "uitbreiding")
COMPANY_NOTES = (
    "Familiebedrijf in de derde generatie; wil in de kern blijven.",
    'Zaakvoerder: "we zitten hier al sinds 1962".',
    "Zoekt een stapelplaats dicht bij de kern; nu verspreid over drie gehuurde terreinen.",
    "Buren klagen over leveringen vóór 7 u.\nAfspraak met de schepen van economie gepland.",
    "Overweegt een verhuis naar het bedrijventerrein (ca. 2.000 m²).",
    "",
    "",
    "",
)
#: how often each request type comes in, and which ask for space
REQUEST_TYPES = (
    ("location-search", 18),
    ("expansion", 22),
    ("relocation", 10),
    ("permit", 18),
    ("nuisance-complaint", 8),
    ("building-reuse", 12),
    ("temporary-use", 6),
    ("other", 6),
)
SPACE_ASKED = {"location-search", "expansion", "relocation", "building-reuse", "temporary-use"}
REQUEST_OPEN_STAGES = ("intake", "analysis", "advice", "follow-up")
REQUEST_OUTCOMES = (
    ("grew-on-site", 30),
    ("moved-within-core", 15),
    ("moved-to-business-park", 15),
    ("left-region", 5),
    ("no-solution", 15),
    ("withdrawn", 20),
)
MOVED = {"moved-within-core", "moved-to-business-park"}
REQUEST_NOTES = (
    "Wil de werkplaats met 400 m² uitbreiden op het eigen perceel; de buren vrezen meer geluid.",
    "De drukpersen passen niet meer in het pand in de kern; zoekt 2.500 m² met vlotte ontsluiting.",
    "Mag een deel van de werkplaats een toonzaal worden in woongebied?",
    'Vraagt hulp bij de geurstudie die de omgevingsvergunning oplegt; "dringend".',
    "Bijkomende opslag in het leegstaande pand aan de overkant; eigenaar akkoord.\nPrijs nog te bespreken.",
    "",
    "",
)
NUISANCE_TYPES = (
    ("Geluid", 30),
    ("Geur", 15),
    ("Stof/rook", 8),
    ("Licht", 4),
    ("Trillingen", 5),
    ("Verkeer", 12),
    ("Parkeren", 8),
    ("Laden en lossen", 12),
    ("Visueel", 2),
    ("Afval", 3),
    ("Veiligheid", 1),
)
TIMINGS = ("Overdag", "Overdag", "Overdag", "'s Nachts", "Weekend", "Overdag, 's Nachts", "Overdag, Weekend")
FREQUENCIES = ("Eenmalig", "Af en toe", "Af en toe", "Wekelijks", "Dagelijks", "Dagelijks", "Voortdurend", "")
RESULTS = ("Opgelost", "Opgelost", "Verminderd", "Verminderd", "Geen effect")
NUISANCE_NOTES = (
    "Zaaggeluid aan de perceelsgrens, vooral in de voormiddag.",
    "Vrachtwagens laden en lossen op straat en blokkeren de fietsroute.",
    'Brandgeur in de straat op branddagen; "ramen moeten dicht".',
    "Melding via het meldpunt van de stad; buurman belt ook de politie.",
    "Compressor draait 's nachts;\nmeting door de milieudienst gevraagd.",
    "",
    "",
)
MEASURE_KINDS = (
    ("organisational", 30),
    ("technical", 30),
    ("spatial", 12),
    ("communicative", 18),
    ("legal", 5),
    ("relocation", 5),
)
MEASURE_NOTES = {
    "organisational": "Zaagwerk alleen tussen 8 en 17 uur, poort dicht tijdens het zagen.",
    "technical": "Geluidsscherm langs de perceelsgrens (vergunning aangevraagd).",
    "spatial": "Laadzone op eigen terrein in het verweefpact opnemen.",
    "communicative": 'Buurtbrief over de werken; "een vast aanspreekpunt" bij het bedrijf.',
    "legal": "Bijzondere voorwaarden in de omgevingsvergunning; controle door de milieudienst.",
    "relocation": "Lawaaierige activiteiten naar de loods op het bedrijventerrein.",
}
#: a measure's last status, how often
MEASURE_ENDS = (("proposed", 20), ("agreed", 25), ("implemented", 20), ("evaluated", 25), ("rejected", 10))
EFFECTS = (("solved", 40), ("reduced", 45), ("no-effect", 15))


def _weighted(rnd: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    return rnd.choices([key for key, _ in pairs], [weight for _, weight in pairs])[0]


def enterprise_number(rnd: random.Random, seen: set[str]) -> str:
    """A new valid Belgian enterprise number (ten digits, the last two 97 - the first eight mod 97)."""
    while True:
        first = (
            f"0{rnd.randint(2_000_000, 8_999_999):07d}" if rnd.random() < 0.85 else f"1{rnd.randint(0, 9_999_999):07d}"
        )
        ten = first + check_digits(first)
        if ten not in seen:
            seen.add(ten)
            return ten


def written_number(rnd: random.Random, ten: str) -> str:
    """An enterprise number as people write it: ``0403.170.701``, ``BE 0403.170.701``, ``BE0403170701``..."""
    dotted = f"{ten[:4]}.{ten[4:7]}.{ten[7:]}"
    form = rnd.choices(["dotted", "vat", "plain-vat", "digits", "old"], [60, 15, 10, 10, 5])[0]
    if form == "vat":
        return f"BE {dotted}"
    if form == "plain-vat":
        return f"BE{ten}"
    if form == "digits":
        return ten
    if form == "old" and ten.startswith("0"):  # from before 2005: nine digits, no leading 0
        return dotted[1:]
    return dotted


def _day(day: dt.date, date_format: str = "%Y-%m-%d") -> str:
    return day.strftime(date_format)


def _rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _company_name(rnd: random.Random, sector: str, towns: Sequence[str]) -> str:
    words = SECTORS[sector][1]
    last = f"{rnd.choice(PARTICLES)}{rnd.choice(LAST_NAMES)}"
    shape = rnd.random()
    if shape < 0.5:
        name = f"{rnd.choice(words)} {last}"
    elif shape < 0.75:
        name = f"{last} {rnd.choice(words)}"
    elif shape < 0.9:
        name = f"{rnd.choice(words)} {rnd.choice(towns)}"
    else:
        name = f"{rnd.choice(words)} {last} & Zonen"
    form = rnd.choice(LEGAL_FORMS)
    return f"{name} {form}" if form else name


def write_companies(path: Path, db: Path, rows: int, seed: int = 13) -> None:
    """``rows`` companies in Belgian Excel (UTF-8 with BOM, ``;``, Dutch headers and labels), each with a
    valid enterprise number (but a few), on one site of ``db`` (else in a region), with its contacts."""
    sites = [r[0] for r in _rows(db, "SELECT name FROM site ORDER BY id")]
    contact_names = [r[0] for r in _rows(db, "SELECT name FROM contact ORDER BY id")]
    regions = [r[0] for r in _rows(db, "SELECT name FROM region ORDER BY id")]
    if not sites or not contact_names:
        raise SystemExit(f"{db} has no sites or no contacts to name")
    rnd = random.Random(seed)
    sectors = list(SECTORS)
    weights = [SECTOR_WEIGHTS.get(sector, 4) for sector in sectors]
    names: set[str] = set()
    numbers: set[str] = set()
    header = [
        "Naam",
        "Ondernemingsnummer",
        "NACE-code",
        "Sector",
        "Personeel",
        "Vestiging",
        "Adres",
        "Regio",
        "Contactpersonen",
        "Trefwoorden",
        "Opmerkingen",
    ]
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(header)
        count = 0
        while count < rows:
            sector = rnd.choices(sectors, weights)[0]
            name = _company_name(rnd, sector, MUNICIPALITIES)
            if fold(name) in names:
                continue  # unique names: requests and nuisance cases name them
            names.add(fold(name))
            count += 1
            number = written_number(rnd, enterprise_number(rnd, numbers)) if rnd.random() < 0.92 else ""
            codes = rnd.sample(SECTORS[sector][2], rnd.choices([1, 2], [70, 30])[0])
            if rnd.random() < 0.2:  # as typed without the point
                codes = [code.replace(".", "") for code in codes]
            nace = rnd.choice([", ", "; "]).join(codes)
            staff = rnd.choices([(1, 9), (10, 49), (50, 249), (250, 900)], [50, 35, 12, 3])[0]
            if rnd.random() < 0.8:  # on one of the sites
                site, address, region = rnd.choice(sites), "", ""
            else:  # not on a site verweef knows: its address and region
                town = rnd.choice(MUNICIPALITIES)
                site, address, region = "", f"{rnd.choice(STREETS)} {rnd.randint(1, 240)}, {town}", rnd.choice(regions)
            people = rnd.sample(contact_names, rnd.choices([0, 1, 2, 3], [30, 45, 18, 7])[0])
            writer.writerow(
                [
                    name,
                    number,
                    nace,
                    SECTORS[sector][0] if rnd.random() < 0.9 else "",
                    rnd.randint(*staff) if rnd.random() < 0.85 else "",
                    site,
                    address,
                    region,
                    "; ".join(people),
                    ",".join(rnd.sample(COMPANY_TAGS, rnd.randint(0, 2))),
                    rnd.choice(COMPANY_NOTES),
                ]
            )


def _request_moves(rnd: random.Random, received: dt.date) -> tuple[list[tuple[str, dt.date]], bool]:
    """A request's moves from ``received`` on, forward in time, stages skipped at times; closed or not."""
    moves = [("received", received)]
    day = received
    steps = rnd.choices([0, 1, 2, 3, 4], [12, 25, 25, 23, 15])[0]
    for stage in sorted(rnd.sample(REQUEST_OPEN_STAGES, steps), key=REQUEST_OPEN_STAGES.index):
        day += dt.timedelta(days=rnd.randint(0, 45))
        moves.append((stage, day))
    closed = rnd.random() < 0.4
    if closed:
        moves.append(("closed", day + dt.timedelta(days=rnd.randint(1, 90))))
    return moves, closed


def write_requests(path: Path, db: Path, rows: int, seed: int = 17) -> None:
    """``rows`` requests as ``verweef export requests`` writes them, each naming a company of ``db`` and
    its site (or another), with moves in date order; a closed request has its outcome."""
    companies = _rows(
        db,
        "SELECT c.name, s.name, coalesce(sr.name, r.name) FROM company c LEFT JOIN site s ON s.id = c.site_id "
        "LEFT JOIN region sr ON sr.id = s.region_id LEFT JOIN region r ON r.id = c.region_id ORDER BY c.id",
    )
    sites = _rows(db, "SELECT s.name, r.name FROM site s JOIN region r ON r.id = s.region_id ORDER BY s.id")
    if not companies:
        raise SystemExit(f"{db} has no companies to name")
    rnd = random.Random(seed)
    seen: set[tuple[str, str, dt.date]] = set()
    header = [
        "company",
        "type",
        "site",
        "received_on",
        "space_m2",
        "stage",
        "closed_on",
        "outcome",
        "outcome_site",
        "region",
        "follow_up",
        "notes",
        "moves",
    ]
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        count = 0
        while count < rows:
            company, own_site, company_region = rnd.choice(companies)
            kind = _weighted(rnd, REQUEST_TYPES)
            received = START + dt.timedelta(days=rnd.randint(0, SPAN - 400))
            if (company, kind, received) in seen:
                continue  # one request a company, type and day: what matches a row to a request
            seen.add((company, kind, received))
            count += 1
            site, region = own_site or "", company_region
            if kind in ("building-reuse", "temporary-use") or (kind == "relocation" and rnd.random() < 0.3):
                site, region = rnd.choice(sites)  # the building it is about
            elif rnd.random() < 0.1:
                site = ""
            moves, closed = _request_moves(rnd, received)
            outcome = outcome_site = follow_up = ""
            if closed:
                outcome = _weighted(rnd, REQUEST_OUTCOMES)
                if outcome in MOVED and rnd.random() < 0.7:
                    outcome_site = rnd.choice(sites)[0]
            elif rnd.random() < 0.5:
                follow_up = _day(moves[-1][1] + dt.timedelta(days=rnd.randint(7, 90)))
            space = ""
            if kind in SPACE_ASKED and rnd.random() < 0.8:
                space = f"{rnd.choice([150, 250, 400, 600, 800, 1200, 1500, 2500, 3000, 5000])}.0"
            writer.writerow(
                [
                    company,
                    kind,
                    site,
                    _day(received),
                    space,
                    moves[-1][0],
                    _day(moves[-1][1]) if closed else "",
                    outcome,
                    outcome_site,
                    region,
                    follow_up,
                    rnd.choice(REQUEST_NOTES),
                    "; ".join(f"{stage} {_day(day)}" for stage, day in moves),
                ]
            )


def write_nuisance(path: Path, db: Path, rows: int, seed: int = 19) -> None:
    """``rows`` nuisance cases as a complaint register in Belgian Excel (UTF-8 with BOM, ``;``, Dutch
    headers and labels, ``dd/mm/yyyy``): at a site of ``db``, mostly naming the company on it."""
    on_sites = _rows(db, "SELECT s.name, c.name FROM company c JOIN site s ON s.id = c.site_id ORDER BY c.id")
    sites = [r[0] for r in _rows(db, "SELECT name FROM site ORDER BY id")]
    contact_names = [r[0] for r in _rows(db, "SELECT name FROM contact ORDER BY id")]
    if not on_sites:
        raise SystemExit(f"{db} has no companies on a site to name")
    rnd = random.Random(seed)
    types, weights = zip(*NUISANCE_TYPES, strict=True)
    seen: set[tuple[str, dt.date, frozenset[str]]] = set()
    header = [
        "Locatie",
        "Bedrijf",
        "Soort hinder",
        "Gemeld door",
        "Gemeld op",
        "Ernst",
        "Wanneer",
        "Frequentie",
        "Afloop",
        "Afgesloten op",
        "Opvolging",
        "Opmerkingen",
    ]
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(header)
        count = 0
        while count < rows:
            site, company = rnd.choice(on_sites) if rnd.random() < 0.75 else (rnd.choice(sites), "")
            kinds = list(dict.fromkeys(rnd.choices(types, weights, k=rnd.choices([1, 2, 3], [60, 32, 8])[0])))
            reported = START + dt.timedelta(days=rnd.randint(0, SPAN - 120))
            if (site, reported, frozenset(kinds)) in seen:
                continue  # one case a site, day and types: what matches a row to a case
            seen.add((site, reported, frozenset(kinds)))
            count += 1
            result = closed = follow_up = ""
            if rnd.random() < 0.35:
                result = rnd.choice(RESULTS)
                closed = _day(reported + dt.timedelta(days=rnd.randint(5, 300)), "%d/%m/%Y")
            elif rnd.random() < 0.4:
                follow_up = _day(reported + dt.timedelta(days=rnd.randint(14, 120)), "%d/%m/%Y")
            writer.writerow(
                [
                    site,
                    company,
                    ", ".join(kinds),
                    rnd.choice(contact_names) if rnd.random() < 0.55 else "",
                    _day(reported, "%d/%m/%Y"),
                    rnd.choices([1, 2, 3, 4, 5, ""], [10, 25, 30, 18, 7, 10])[0],
                    rnd.choice(TIMINGS),
                    rnd.choice(FREQUENCIES),
                    result,
                    closed,
                    follow_up,
                    rnd.choice(NUISANCE_NOTES),
                ]
            )


def _measure_moves(rnd: random.Random, proposed: dt.date) -> list[tuple[str, dt.date, str]]:
    """A measure's moves from ``proposed`` on, forward in time (a status skipped at times)."""
    end = _weighted(rnd, MEASURE_ENDS)
    moves = [("proposed", proposed, "")]
    day = proposed
    if end == "rejected":
        return [*moves, ("rejected", day + dt.timedelta(days=rnd.randint(1, 60)), "")]
    for status in ("agreed", "implemented", "evaluated")[
        : ("proposed", "agreed", "implemented", "evaluated").index(end)
    ]:
        if status != end and rnd.random() < 0.2:
            continue  # skipped: implemented without an agreement first, as happens
        day += dt.timedelta(days=rnd.randint(1, 90))
        moves.append((status, day, _weighted(rnd, EFFECTS) if status == "evaluated" else ""))
    return moves


def write_measures(path: Path, db: Path, rows: int, seed: int = 23) -> None:
    """``rows`` measures as ``verweef export measures`` writes them, each against a case of ``db`` (by
    its uuid, some by id), proposed on or after the day the case was reported."""
    cases = _rows(
        db,
        "SELECT n.id, n.uuid, n.reported_on, s.name, s.municipality, c.name FROM nuisance n "
        "JOIN site s ON s.id = n.site_id LEFT JOIN company c ON c.id = n.company_id ORDER BY n.id",
    )
    if not cases:
        raise SystemExit(f"{db} has no nuisance cases to name")
    rnd = random.Random(seed)
    seen: set[tuple[int, str, dt.date]] = set()
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["case", "site", "kind", "owner", "status", "effect", "due", "cost_eur", "notes", "moves"])
        count = 0
        while count < rows:
            case_id, uuid, reported_on, site, town, company = rnd.choice(cases)
            kind = _weighted(rnd, MEASURE_KINDS)
            proposed = dt.date.fromisoformat(reported_on) + dt.timedelta(days=rnd.randint(0, 60))
            if (case_id, kind, proposed) in seen:
                continue  # one measure a case, kind and day proposed: what matches a row to a measure
            seen.add((case_id, kind, proposed))
            count += 1
            moves = _measure_moves(rnd, proposed)
            last = moves[-1]
            town = town or rnd.choice(MUNICIPALITIES)
            owner = (
                company
                if company and rnd.random() < 0.7
                else rnd.choice([f"Stad {town} - Dienst Omgeving", f"Gemeente {town}", "Politiezone", ""])
            )
            cost = ""
            if kind in ("technical", "spatial", "relocation") and rnd.random() < 0.6:
                cost = f"{rnd.randint(5, 800) * 100}.0"
            due = _day(proposed + dt.timedelta(days=rnd.randint(30, 365))) if rnd.random() < 0.4 else ""
            writer.writerow(
                [
                    uuid if rnd.random() < 0.85 else str(case_id),
                    site,
                    kind,
                    owner,
                    last[0],
                    last[2],
                    due,
                    cost,
                    MEASURE_NOTES[kind] if rnd.random() < 0.8 else "",
                    "; ".join(
                        " ".join(part for part in (status, _day(day), effect) if part) for status, day, effect in moves
                    ),
                ]
            )
