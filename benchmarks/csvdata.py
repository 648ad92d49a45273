"""Realistic CSV files of regions, sites, contacts and activities, as coaches keep them.

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
  contact (read from the database they go into), with follow-ups and highlights.

Files are made with a fixed seed: the file of n rows is the first n rows of the
file of 4n rows. Names of sites and contacts are unique, since activities name them.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

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
