"""The shipped example data: the situation of the parliamentary answer, 2020.

The YAML file lives in ``examples/`` in the source tree and is packaged inside
the wheel as ``verweefcli/_examples/``; both places are looked up.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from verweefcli.domain import activities, contacts, regions, sites
from verweefcli.errors import Conflict, VerweefError
from verweefcli.storage import MEMORY, Store, open_store
from verweefcli.textnorm import fold
from verweefcli.vocab import Vocabulary

EXAMPLE_FILE = "stand-van-zaken-2020.yaml"
# The example records get the same uuids every time they are loaded.
_NAMESPACE = uuid.UUID("5d3c1c52-1f1e-4f5e-9a61-5d7a1c0e2b90")


def _uuid(*parts: object) -> str:
    return str(uuid.uuid5(_NAMESPACE, "/".join(str(p) for p in parts)))


def example_path() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here / "_examples" / EXAMPLE_FILE, here.parent / "examples" / EXAMPLE_FILE):
        if candidate.is_file():
            return candidate
    raise VerweefError(f"the example data ({EXAMPLE_FILE}) is missing from this installation")


def read_example(path: Path | None = None) -> dict[str, Any]:
    import yaml

    data = yaml.safe_load((path or example_path()).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise VerweefError(f"{path}: not an example data file")
    return data


def _stage_changes(site: dict[str, Any]) -> list[dict[str, str]]:
    """The site's identification (its stage, or identified, as of ``identified_on``) and later changes."""
    first = {"stage": site.get("stage") or "identified", "since": str(site["identified_on"])}
    return [first, *({"stage": c["stage"], "since": str(c["since"])} for c in site.get("stages") or [])]


def load_example(store: Store, data: dict[str, Any] | None = None) -> dict[str, int]:
    """Load the example records in one transaction; refuse if they are already there."""
    data = data or read_example()
    counts = {"regions": 0, "sites": 0, "contacts": 0, "activities": 0}
    activity_ids: dict[str, int] = {}
    with store.write():
        for region in data.get("regions", []):
            if store.value("SELECT id FROM region WHERE name_key = ?", (fold(region["name"]),)):
                raise Conflict(
                    f"region {region['name']!r} is already in the database; "
                    "load the example data into an empty database (--db NEW.db)"
                )
            regions.add_region(store, {"uuid": _uuid("region", region["name"]), **region})
            counts["regions"] += 1
        for site in data.get("sites", []):
            values = {k: v for k, v in site.items() if k not in ("identified_on", "stages", "stage")}
            values["uuid"] = _uuid("site", site["name"])
            values["stage_changes"] = _stage_changes(site)
            sites.add_site(store, values)
            counts["sites"] += 1
        for contact in data.get("contacts", []):
            values = {"uuid": _uuid("contact", contact["name"]), **contact}
            values["sites"] = [
                f"{link['site']} ({link['role']})" if link.get("role") else link["site"]
                for link in contact.get("sites") or []
            ]
            contacts.add_contact(store, values)
            counts["contacts"] += 1
        ordered = sorted(data.get("activities", []), key=lambda a: str(a["date"]))
        for number, activity in enumerate(ordered):
            added = activities.add_activity(store, {"uuid": _uuid("activity", activity["date"], number), **activity})
            activity_ids[f"{activity['date']} {activity.get('title')}"] = added["id"]
            counts["activities"] += 1
        counts.update(_load_cases(store, data, activity_ids))
    return counts


def _load_cases(store: Store, data: dict[str, Any], activity_ids: dict[str, int]) -> dict[str, int]:
    """Companies, their requests (with their moves and the activities that worked on them), nuisance cases
    and their measures (with their moves), through the domain as a coach would type them."""
    from verweefcli.domain import companies, measures, nuisance, requests

    for company in data.get("companies", []):
        companies.insert_company(store, {"uuid": _uuid("company", company["name"]), **company})
    for number, request in enumerate(data.get("requests", [])):
        values = {k: v for k, v in request.items() if k not in ("moves", "close", "activities")}
        rid = requests.insert_request(store, {"uuid": _uuid("request", number), **values})
        for move in request.get("moves") or []:
            requests.move_request(store, rid, move["stage"], on=move["date"])
        if close := request.get("close"):
            requests.close_request(store, rid, close["outcome"], site=close.get("site"), on=close["date"])
        for label in request.get("activities") or []:
            activities.edit_activity(store, activity_ids[label], {"request": str(rid)})
    measure_count = 0
    for number, case in enumerate(data.get("nuisance", [])):
        values = {k: v for k, v in case.items() if k not in ("measures", "close")}
        case_id = nuisance.insert_case(store, {"uuid": _uuid("nuisance", number), **values})
        for index, measure in enumerate(case.get("measures") or []):
            first, *later = measure["moves"]
            values = {k: v for k, v in measure.items() if k != "moves"}
            measure_id = measures.insert_measure(
                store, case_id, {"uuid": _uuid("measure", number, index), **values}, on=first["date"]
            )
            for move in later:
                measures.move_measure(store, measure_id, move["status"], on=move["date"], effect=move.get("effect"))
            measure_count += 1
        if close := case.get("close"):
            nuisance.close_case(store, case_id, close["result"], on=close["date"])
    return {
        "companies": len(data.get("companies", [])),
        "requests": len(data.get("requests", [])),
        "nuisance cases": len(data.get("nuisance", [])),
        "measures": measure_count,
    }


_cache: dict[str, Any] = {}


def example_store(vocab: Vocabulary | None = None) -> Store:
    """A private in-memory database holding the example data (``--example``)."""
    store = open_store(MEMORY, vocab)
    if "data" not in _cache:
        _cache["data"] = read_example()
    load_example(store, _cache["data"])
    return store
