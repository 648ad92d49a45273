"""Vocabularies: the fixed and extendable lists of values verweef knows.

Every term has a stable ASCII ``key`` (stored in the database, used in CSV and
JSON) and a Dutch and an English label (used in tables and reports). Users type
either the key or a label in any language; matching ignores case and accents.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from verweefcli.errors import InvalidValue
from verweefcli.textnorm import fold

LANGUAGES = ("nl", "en")


@dataclass(frozen=True)
class Term:
    key: str
    nl: str
    en: str
    category: str | None = None

    def label(self, lang: str) -> str:
        return self.nl if lang == "nl" else self.en


def _terms(*rows: tuple[str, ...]) -> dict[str, Term]:
    out: dict[str, Term] = {}
    for row in rows:
        key, nl, en, *rest = row
        out[key] = Term(key, nl, en, rest[0] if rest else None)
    return out


ACTIVITY_CATEGORIES = _terms(
    ("knowledge", "Kennisopbouw en netwerk", "Knowledge & network"),
    ("local", "Lokaal niveau", "Local level"),
    ("internal", "Intern", "Internal"),
)

ACTIVITY_KINDS = _terms(
    ("dossier", "Inlezen in dossiers", "Dossier study", "knowledge"),
    ("introduction", "Kennismakingsoverleg", "Introductory meeting", "knowledge"),
    ("network", "Netwerkevent", "Network event", "knowledge"),
    ("visit", "Plaatsbezoek", "Site visit", "local"),
    ("plan-review", "Doornemen plan/RUP", "Plan/RUP review", "local"),
    ("request", "Opvolging bedrijfsaanvraag", "Company request follow-up", "local"),
    ("consultation", "Overleg over een site", "Consultation on a site", "local"),
    ("communication", "Communicatieplan", "Communication plan", "internal"),
    ("developer-contact", "Contact met ontwikkelaars", "Contact with developers", "internal"),
    ("mapping", "Sites in kaart brengen", "Mapping sites", "internal"),
    ("example", "Voorbeelden verzamelen", "Collecting examples", "internal"),
)

SITE_KINDS = _terms(
    ("company-site", "Bedrijfssite", "Company site"),
    ("building", "Pand", "Building"),
    ("vacant-building", "Leegstaand pand", "Vacant building"),
    ("business-zone", "Bedrijventerrein", "Business zone"),
    ("craft-zone", "Ambachtelijke zone", "Craft zone"),
    ("office-zone", "Kantoorzone", "Office zone"),
    ("retail-zone", "Winkelzone", "Retail zone"),
    ("port-zone", "Haventerrein", "Port zone"),
    ("mixed-project", "Gemengd project", "Mixed-use project"),
    ("brownfield", "Brownfield", "Brownfield"),
)

# The funnel order matters: the report walks it from left to right.
SITE_STAGES = _terms(
    ("identified", "Geïdentificeerd", "Identified"),
    ("visited", "Bezocht", "Visited"),
    ("studied", "Onderzocht", "Studied"),
    ("candidate", "Kandidaat", "Candidate"),
    ("woven", "Verweven", "Woven"),
    ("dropped", "Afgevallen", "Dropped"),
)
FUNNEL = ("identified", "visited", "studied", "candidate", "woven")

CONTACT_ROLES = _terms(
    ("wijkregisseur", "Wijkregisseur", "Neighbourhood director"),
    ("buurtcomite", "Buurtcomité", "Neighbourhood committee"),
    ("ruimtelijk-planner", "Ruimtelijk planner", "Spatial planner"),
    ("projectontwikkelaar", "Projectontwikkelaar", "Project developer"),
    ("ondernemer", "Ondernemer", "Entrepreneur"),
    ("eigenaar", "Eigenaar", "Owner"),
    ("lokaal-bestuur", "Lokaal bestuur", "Local government"),
    ("stadsdienst", "Stadsdienst", "City department"),
    ("vlaio", "VLAIO", "VLAIO"),
    ("voka-unizo", "Voka/Unizo", "Voka/Unizo"),
    ("andere", "Andere", "Other"),
)

# How a contact relates to a site.
LINK_ROLES = _terms(
    ("owner", "Eigenaar", "Owner"),
    ("tenant", "Huurder", "Tenant"),
    ("neighbour", "Buur", "Neighbour"),
    ("developer", "Ontwikkelaar", "Developer"),
    ("manager", "Beheerder", "Manager"),
    ("advisor", "Adviseur", "Advisor"),
)

COACH_STATUSES = _terms(
    ("planned", "Gepland", "Planned"),
    ("selecting", "Selectie loopt", "Selection under way"),
    ("appointed", "Aangesteld", "Appointed"),
    ("not_yet", "Nog niet gestart", "Not started yet"),
    ("ended", "Beëindigd", "Ended"),
)

#: sectors of companies: manufacturing (maakeconomie) and its usual subsectors first (NACE-BEL sections)
COMPANY_SECTORS = _terms(
    ("manufacturing", "Maakeconomie", "Manufacturing"),
    ("food", "Voeding en dranken", "Food and drink"),
    ("textile", "Textiel en kleding", "Textiles and clothing"),
    ("wood-furniture", "Hout en meubelen", "Wood and furniture"),
    ("chemicals-plastics", "Chemie en kunststoffen", "Chemicals and plastics"),
    ("metal", "Metaal en metaalbewerking", "Metal and metalworking"),
    ("machinery", "Machinebouw en elektronica", "Machinery and electronics"),
    ("printing", "Drukkerijen", "Printing"),
    ("construction", "Bouw", "Construction"),
    ("repair-crafts", "Herstelling en ambacht", "Repair and crafts"),
    ("logistics", "Transport en logistiek", "Transport and logistics"),
    ("wholesale", "Groothandel", "Wholesale"),
    ("recycling", "Afval en recyclage", "Waste and recycling"),
    ("energy", "Energie", "Energy"),
    ("services", "Diensten", "Services"),
    ("other", "Andere", "Other"),
)

REQUEST_TYPES = _terms(
    ("location-search", "Locatievraag", "Location search"),
    ("expansion", "Uitbreiding ter plaatse", "Expansion on site"),
    ("relocation", "Herlokalisatie", "Relocation"),
    ("permit", "Vergunning/regelgeving", "Permit or regulation question"),
    ("nuisance-complaint", "Hinderklacht", "Nuisance complaint received"),
    ("building-reuse", "Heringebruikname", "Re-use of a building"),
    ("temporary-use", "Tijdelijke invulling", "Temporary use"),
    ("other", "Andere", "Other"),
)

#: a request's stages, in their order; ``closed`` needs an outcome
REQUEST_STAGES = _terms(
    ("received", "Ontvangen", "Received"),
    ("intake", "Intake", "Intake"),
    ("analysis", "Analyse", "Analysis"),
    ("advice", "Advies", "Advice"),
    ("follow-up", "Opvolging", "Follow-up"),
    ("closed", "Afgesloten", "Closed"),
)

REQUEST_OUTCOMES = _terms(
    ("grew-on-site", "Gebleven en gegroeid ter plaatse", "Stayed and grew on site"),
    ("moved-within-core", "Verhuisd binnen de kern", "Moved within the core"),
    ("moved-to-business-park", "Verhuisd naar een bedrijventerrein", "Moved to a business park"),
    ("left-region", "Regio verlaten", "Left the region"),
    ("no-solution", "Geen oplossing gevonden", "No solution found"),
    ("withdrawn", "Ingetrokken", "Withdrawn"),
)

NUISANCE_TYPES = _terms(
    ("noise", "Geluid", "Noise"),
    ("smell", "Geur", "Smell"),
    ("dust-smoke", "Stof/rook", "Dust/smoke"),
    ("light", "Licht", "Light"),
    ("vibration", "Trillingen", "Vibration"),
    ("traffic", "Verkeer", "Traffic"),
    ("parking", "Parkeren", "Parking"),
    ("loading", "Laden en lossen", "Loading and unloading"),
    ("visual", "Visueel", "Visual"),
    ("waste", "Afval", "Waste"),
    ("safety", "Veiligheid", "Safety"),
)

NUISANCE_TIMINGS = _terms(
    ("day", "Overdag", "Day"),
    ("night", "'s Nachts", "Night"),
    ("weekend", "Weekend", "Weekend"),
)

NUISANCE_FREQUENCIES = _terms(
    ("once", "Eenmalig", "Once"),
    ("occasional", "Af en toe", "Occasionally"),
    ("weekly", "Wekelijks", "Weekly"),
    ("daily", "Dagelijks", "Daily"),
    ("continuous", "Voortdurend", "Continuously"),
)

#: how a nuisance case is closed (and what an evaluated measure achieved)
NUISANCE_RESULTS = _terms(
    ("solved", "Opgelost", "Solved"),
    ("reduced", "Verminderd", "Reduced"),
    ("no-effect", "Geen effect", "No effect"),
)

MEASURE_KINDS = _terms(
    ("organisational", "Organisatorisch", "Organisational"),
    ("technical", "Technisch", "Technical"),
    ("spatial", "Ruimtelijk", "Spatial"),
    ("communicative", "Communicatief", "Communicative"),
    ("legal", "Juridisch", "Legal"),
    ("relocation", "Herlokalisatie", "Relocation"),
)

#: a measure's statuses, in their order; ``rejected`` may follow any but ``evaluated``
MEASURE_STATUSES = _terms(
    ("proposed", "Voorgesteld", "Proposed"),
    ("agreed", "Afgesproken", "Agreed"),
    ("implemented", "Uitgevoerd", "Implemented"),
    ("evaluated", "Geëvalueerd", "Evaluated"),
    ("rejected", "Afgewezen", "Rejected"),
)

# Names of the extendable vocabularies as they appear in the config file.
EXTENDABLE = (
    "activity_categories",
    "activity_kinds",
    "site_kinds",
    "site_stages",
    "contact_roles",
    "link_roles",
    "company_sectors",
    "request_types",
    "nuisance_types",
    "measure_kinds",
)

# What a value of each vocabulary is called in messages.
_NOUN = {
    "activity_categories": "activity category",
    "activity_kinds": "activity kind",
    "site_kinds": "site kind",
    "site_stages": "site stage",
    "contact_roles": "contact role",
    "link_roles": "site link role",
    "coach_statuses": "coach status",
    "company_sectors": "company sector",
    "request_types": "request type",
    "request_stages": "request stage",
    "request_outcomes": "request outcome",
    "nuisance_types": "nuisance type",
    "nuisance_timings": "nuisance timing",
    "nuisance_frequencies": "nuisance frequency",
    "nuisance_results": "nuisance result",
    "measure_kinds": "measure kind",
    "measure_statuses": "measure status",
}


@dataclass
class Vocabulary:
    activity_categories: dict[str, Term] = field(default_factory=lambda: dict(ACTIVITY_CATEGORIES))
    activity_kinds: dict[str, Term] = field(default_factory=lambda: dict(ACTIVITY_KINDS))
    site_kinds: dict[str, Term] = field(default_factory=lambda: dict(SITE_KINDS))
    site_stages: dict[str, Term] = field(default_factory=lambda: dict(SITE_STAGES))
    contact_roles: dict[str, Term] = field(default_factory=lambda: dict(CONTACT_ROLES))
    link_roles: dict[str, Term] = field(default_factory=lambda: dict(LINK_ROLES))
    coach_statuses: dict[str, Term] = field(default_factory=lambda: dict(COACH_STATUSES))
    company_sectors: dict[str, Term] = field(default_factory=lambda: dict(COMPANY_SECTORS))
    request_types: dict[str, Term] = field(default_factory=lambda: dict(REQUEST_TYPES))
    request_stages: dict[str, Term] = field(default_factory=lambda: dict(REQUEST_STAGES))
    request_outcomes: dict[str, Term] = field(default_factory=lambda: dict(REQUEST_OUTCOMES))
    nuisance_types: dict[str, Term] = field(default_factory=lambda: dict(NUISANCE_TYPES))
    nuisance_timings: dict[str, Term] = field(default_factory=lambda: dict(NUISANCE_TIMINGS))
    nuisance_frequencies: dict[str, Term] = field(default_factory=lambda: dict(NUISANCE_FREQUENCIES))
    nuisance_results: dict[str, Term] = field(default_factory=lambda: dict(NUISANCE_RESULTS))
    measure_kinds: dict[str, Term] = field(default_factory=lambda: dict(MEASURE_KINDS))
    measure_statuses: dict[str, Term] = field(default_factory=lambda: dict(MEASURE_STATUSES))
    _index: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)

    def terms(self, name: str) -> dict[str, Term]:
        terms: dict[str, Term] = getattr(self, name)
        return terms

    def extend(self, name: str, term: Term) -> None:
        """Add a term, or relabel an existing one (keys are never removed)."""
        terms = self.terms(name)
        old = terms.get(term.key)
        if old is not None:
            term = replace(
                old,
                nl=term.nl or old.nl,
                en=term.en or old.en,
                category=term.category or old.category,
            )
        terms[term.key] = term
        self._index.pop(name, None)

    def resolve(self, name: str, text: str) -> str:
        """Return the key for ``text``: a key or a label, ignoring case and accents."""
        index = self._index.get(name)
        if index is None:
            index = {}
            for term in self.terms(name).values():
                for alias in (term.nl, term.en, term.key.replace("-", " "), term.key):
                    index.setdefault(fold(alias), term.key)
            self._index[name] = index
        key = index.get(fold(text))
        if key is None:
            known = ", ".join(self.terms(name))
            raise InvalidValue(f"unknown {_NOUN[name]} {text!r} (known: {known})")
        return key

    def label(self, name: str, key: str | None, lang: str) -> str:
        if key is None:
            return ""
        term = self.terms(name).get(key)
        return term.label(lang) if term else key

    def category_of(self, kind: str) -> str:
        term = self.activity_kinds.get(kind)
        return term.category if term and term.category else "internal"

    def stage_order(self) -> list[str]:
        """The funnel stages first, then user-added stages, then ``dropped``."""
        extra = [k for k in self.site_stages if k not in FUNNEL and k != "dropped"]
        return [*FUNNEL, *extra, "dropped"]
