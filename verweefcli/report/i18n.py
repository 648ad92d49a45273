"""The report's words in Dutch (default) and English, and how numbers and dates read.

A word that depends on a number is written ``{n|singular|plural}`` in a text:
``"{n} {n|activiteit|activiteiten}"`` reads "1 activiteit", "0 activiteiten",
"2 activiteiten" (see :func:`forms`).
"""

from __future__ import annotations

import datetime as dt
import re

_TEXT: dict[str, tuple[str, str]] = {
    "title": ("Verweefcoaches – stand van zaken {period}", "Verweefcoaches – status report {period}"),
    "period_line": ("Periode {start} – {end}", "Period {start} – {end}"),
    "as_of_line": ("stand op {date}", "as of {date}"),
    "regions_line": ("{n} {n|regio|regio's}", "{n} {n|region|regions}"),
    "summary": ("Samenvatting", "Summary"),
    "sum_appointed": (
        "Een verweefcoach is aan de slag in {a} van de {n} {n|regio|regio's}.",
        "A verweefcoach is at work in {a} of the {n} {n|region|regions}.",
    ),
    "sum_not_appointed": ("Nog geen coach aan de slag in: {names}.", "No coach at work yet in: {names}."),
    "sum_planned": (
        "{n} {n|activiteit|activiteiten} na {date} {n|is|zijn} gepland en niet meegeteld.",
        "{n} {n|activity|activities} dated after {date} {n|is|are} planned and not counted.",
    ),
    "sum_term_ended": ("Termijn van de coach afgelopen in: {names}.", "The coach's term has ended in: {names}."),
    "sum_work": (
        "{n} {n|activiteit|activiteiten} ({hours} uur); vorig kwartaal {prev}.",
        "{n} {n|activity|activities} ({hours} {hours|hour|hours}); previous quarter {prev}.",
    ),
    "sum_work_period": (
        "{n} {n|activiteit|activiteiten} ({hours} uur); vorige periode {prev}.",
        "{n} {n|activity|activities} ({hours} {hours|hour|hours}); previous period {prev}.",
    ),
    "sum_sites": (
        "{visits} {visits|plaatsbezoek|plaatsbezoeken} aan {visited} {visited|site|sites}; "
        "{mapped} {mapped|nieuwe site|nieuwe sites} in kaart gebracht.",
        "{visits} {visits|site visit|site visits} to {visited} {visited|site|sites}; "
        "{mapped} {mapped|new site|new sites} mapped.",
    ),
    "sum_contacts": (
        "{met} {met|contact|contacten} bereikt, waarvan {new} nieuw.",
        "{met} {met|contact|contacts} reached, {new} of them new.",
    ),
    "sum_next": (
        "{due} {due|opvolging|opvolgingen} gepland in {next}; {overdue} achterstallig.",
        "{due} {due|follow-up|follow-ups} due in {next}; {overdue} overdue.",
    ),
    "empty": (
        "Er zijn in deze periode geen activiteiten geregistreerd.",
        "No activities were recorded in this period.",
    ),
    "sources": ("Samengevoegd uit {files}.", "Merged from {files}."),
    "source": ("{file} (laatst gewijzigd {date})", "{file} (last changed {date})"),
    "no_regions": ("Er zijn nog geen regio's geregistreerd.", "No regions have been recorded yet."),
    "s1": ("1. Aanstelling van de coaches", "1. Appointment of the coaches"),
    "s2": ("2. Werk dit kwartaal", "2. Work this quarter"),
    "s2_period": ("2. Werk in deze periode", "2. Work in this period"),
    "s3": ("3. Sites", "3. Sites"),
    "s4": ("4. Contacten", "4. Contacts"),
    "s_requests": ("{number}. Bedrijfsvragen", "{number}. Company requests"),
    "s_nuisance": ("{number}. Hinder", "{number}. Nuisance"),
    "s5": ("7. Volgende stappen", "7. Next steps"),
    "s6": ("8. Activiteiten per maand", "8. Activities per month"),
    "type_request": ("Bedrijfsvraag", "Company request"),
    "type_nuisance": ("Hinder", "Nuisance"),
    "type_measure": ("Maatregel", "Measure"),
    "no_requests": ("Geen bedrijfsvragen geregistreerd.", "No company requests recorded."),
    "requests_received": ("Ontvangen", "Received"),
    "requests_open": ("Lopend op {date}", "Open on {date}"),
    "requests_closed": ("Afgesloten", "Closed"),
    "requests_days": (
        "Een afgesloten vraag liep gemiddeld {days} {days|dag|dagen}.",
        "A closed request ran {days} {days|day|days} on average.",
    ),
    "requests_listed": ("Vragen die liepen", "Requests under way"),
    "no_nuisance": ("Geen hindermeldingen geregistreerd.", "No nuisance cases recorded."),
    "nuisance_opened": ("Gemeld", "Reported"),
    "nuisance_open": ("Open op {date}", "Open on {date}"),
    "nuisance_closed": ("Afgesloten", "Closed"),
    "measures": ("Maatregelen", "Measures"),
    "measure_kind": ("Soort maatregel", "Kind of measure"),
    "measures_proposed": ("Voorgesteld", "Proposed"),
    "measures_implemented": ("Uitgevoerd", "Implemented"),
    "region": ("Regio", "Region"),
    "coach": ("Coach", "Coach"),
    "status": ("Status", "Status"),
    "since": ("Sinds", "Since"),
    "months_active": ("Maanden actief", "Months active"),
    "term_ends": ("Einde termijn", "Term ends"),
    "total": ("Totaal", "Total"),
    "programme": ("Programma", "Programme"),
    "state_appointed": ("aangesteld", "appointed"),
    "state_not_yet": ("nog niet aangesteld (start {date})", "not yet appointed (starts {date})"),
    "state_ended": ("termijn afgelopen ({date})", "term ended ({date})"),
    "state_selecting": ("selectie loopt", "selection under way"),
    "state_planned": ("gepland", "planned"),
    "by_category": ("Per categorie", "By category"),
    "by_kind": ("Per soort activiteit", "By kind of activity"),
    "category": ("Categorie", "Category"),
    "kind": ("Soort", "Kind"),
    "activities": ("Activiteiten", "Activities"),
    "hours": ("Uren", "Hours"),
    "previous": ("Vorig kwartaal", "Previous quarter"),
    "previous_period": ("Vorige periode", "Previous period"),
    "change": ("Verschil", "Change"),
    "highlights": ("Opvallend", "Highlights"),
    "no_highlights": ("Geen opvallende activiteiten gemarkeerd.", "No activities marked as highlights."),
    "more": ("… en nog {n}", "… and {n} more"),
    "sites_mapped": ("Nieuw in kaart gebracht", "Newly mapped"),
    "sites_visited": ("Bezocht dit kwartaal", "Visited this quarter"),
    "sites_visited_period": ("Bezocht in deze periode", "Visited in this period"),
    "stage_changes": ("Stadiumwijzigingen dit kwartaal", "Stage changes this quarter"),
    "stage_changes_period": ("Stadiumwijzigingen in deze periode", "Stage changes in this period"),
    "funnel": ("Stadium van de sites op {date}", "Stage of the sites on {date}"),
    "stage": ("Stadium", "Stage"),
    "never_visited": ("Nog nooit bezocht", "Never visited yet"),
    "never_visited_none": ("Alle gekende sites zijn bezocht.", "Every known site has been visited."),
    "identified_on": ("in kaart sinds {date}", "mapped since {date}"),
    "new_contacts": ("Nieuwe contacten per rol", "New contacts by role"),
    "role": ("Rol", "Role"),
    "no_role": ("(geen rol)", "(no role)"),
    "contacts_met": ("Netwerk bereikt (verschillende contacten)", "Network reached (distinct contacts)"),
    "contacts_new": ("Waarvan nieuw", "Of whom new"),
    "due_next": ("Opvolging gepland in {next}", "Follow-ups due in {next}"),
    "overdue": ("Achterstallige opvolging (vóór {date})", "Overdue follow-ups (before {date})"),
    "none": ("Geen.", "None."),
    "chart_title": ("Activiteiten per maand en regio", "Activities per month and region"),
    "month": ("Maand", "Month"),
    "generated": ("Opgemaakt met verweef {version}.", "Made with verweef {version}."),
    "author": ("Opgesteld door {name}.", "Prepared by {name}."),
}

_MONTHS = {
    "nl": [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}
_SHORT_MONTHS = {
    "nl": ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}


_FORMS = re.compile(r"\{(\w+)\|([^{}|]*)\|([^{}|]*)\}")


def forms(text: str, values: dict[str, object]) -> str:
    """Choose each ``{n|singular|plural}`` of ``text`` by the number ``values[n]``.

    The singular is for exactly one; every other number, zero and fractions
    included, takes the plural (in Dutch and in English alike).
    """

    def choose(match: re.Match[str]) -> str:
        count = values[match[1]]
        if not isinstance(count, int | float):  # a number already written out cannot be counted
            raise TypeError(f"{match[1]} must be a number, not {count!r}")
        return match[2] if count == 1 else match[3]

    return _FORMS.sub(choose, text)


class Words:
    """Looks up the report's words and formats numbers and dates for a language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._index = 0 if lang == "nl" else 1

    def __call__(self, key: str, **values: object) -> str:
        """The text ``key`` with ``values`` filled in; numbers are written as :meth:`number` writes them."""
        shown = {
            name: self.number(v) if isinstance(v, int | float) and not isinstance(v, bool) else v
            for name, v in values.items()
        }
        return forms(_TEXT[key][self._index], values).format(**shown)

    def number(self, value: float) -> str:
        if isinstance(value, int) or float(value).is_integer():
            text = f"{int(value):,}"
            return text.replace(",", ".") if self.lang == "nl" else text
        text = f"{value:,.1f}"
        if self.lang == "nl":
            text = text.replace(",", " ").replace(".", ",").replace(" ", ".")
        return text

    def signed(self, value: int) -> str:
        return f"+{self.number(value)}" if value > 0 else ("0" if value == 0 else f"−{self.number(-value)}")

    def long_date(self, day: dt.date) -> str:
        return f"{day.day} {_MONTHS[self.lang][day.month - 1]} {day.year}"

    def month(self, month: str) -> str:
        year, number = month.split("-")
        return f"{_SHORT_MONTHS[self.lang][int(number) - 1]} {year}"
