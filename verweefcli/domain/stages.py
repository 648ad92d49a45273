"""A site's stage history, derived from its events by one function.

The events are the stage changes people recorded (``stage_change``: the first
one recorded is the site's identification) and the site's activities. The rules:

- a site is identified from the earliest of its recorded identification, its
  first activity and its other recorded changes;
- a recorded stage change takes effect on its date (a change to the stage the
  site is already in adds nothing);
- a visit lifts an ``identified`` site to ``visited`` as of the visit's date and
  never moves a later stage back;
- on one day, the identification comes first, then visits, then recorded changes.

:func:`derive` applies them; :func:`refresh_stages` recomputes the stored history
(``site_stage``) and current stage (``site.stage``) of the sites a write touched.
Every write path calls it (add, edit, remove, import, examples) and ``db check``
compares its result with what is stored.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from operator import itemgetter

from verweefcli.storage import Store, now_stamp

IDENTIFIED, VISITED = "identified", "visited"
_SINCE = itemgetter(1)


#: One line of a site's history: (stage, since, the visit that made it 'visited' or None).
#: Plain tuples: a recompute after an import makes hundreds of thousands of them.
Entry = tuple[str, str, int | None]


@dataclass(slots=True)
class Events:
    """What a site's history is derived from."""

    changes: list[tuple[str, str]]  # (stage, since) as recorded: the first is the identification
    first_activity: str | None = None
    visits: list[tuple[str, int]] | None = None  # (date, activity id), by date then id


def derive(events: Events) -> list[Entry]:
    """The whole history of one site from its events (see the module's rules)."""
    first, visits = events.first_activity, events.visits or []
    if events.changes:
        (stage, day), changes = events.changes[0], events.changes[1:]
        if len(changes) > 1:
            changes = sorted(changes, key=_SINCE)
        start = min(day, first or day, changes[0][1] if changes else day)
        if start != day:  # known before its recorded identification
            if stage != IDENTIFIED:
                changes = sorted([(stage, day), *changes], key=_SINCE)
            stage, day = IDENTIFIED, start
    elif first is not None:
        (stage, day), changes = (IDENTIFIED, first), []
    else:
        return []
    history: list[Entry] = [(stage, day, None)]
    current, i, j = stage, 0, 0
    while i < len(changes) or j < len(visits):
        if j < len(visits) and (i >= len(changes) or visits[j][0] <= changes[i][1]):
            day, activity = visits[j]
            j += 1
            if current == IDENTIFIED:
                current = VISITED
                history.append((VISITED, day, activity))
        else:
            stage, day = changes[i]
            i += 1
            if stage != current:
                current = stage
                history.append((stage, day, None))
    return history


# -- reading the events and the stored history ------------------------------------------

_ONLY = "{column} IN (SELECT value FROM json_each(:ids))"


def _where(column: str, ids: Sequence[int] | None, word: str = "WHERE") -> str:
    return f" {word} {_ONLY.format(column=column)}" if ids is not None else ""


def _sites(ids: Sequence[int] | None) -> str:
    """``FROM`` the given sites, found by id whatever SQLite's statistics say (None: all sites)."""
    if ids is None:
        return "FROM site"
    return "FROM json_each(:ids) AS wanted CROSS JOIN site ON site.id = wanted.value"


def events_of(store: Store, ids: Sequence[int] | None) -> dict[int, Events]:
    """The events of the given sites (all sites when ``ids`` is None).

    Of the visits, only those that can lift a site are read: its first, unless a recorded
    change may make it 'identified' again (then every visit). A site visited hundreds of times
    would otherwise hold every visit in memory, and read them (tests/test_stage_events.py).
    """
    params = {"ids": json.dumps(list(ids or []))}
    events: dict[int, Events] = {}
    for site_id, stage, since in store.tuples(
        f"SELECT site_id, stage, since FROM stage_change{_where('site_id', ids)} ORDER BY site_id, id", params
    ):
        events.setdefault(site_id, Events([])).changes.append((stage, since))
    # site links carry their activity's date and kind (schema 0004): one index seek each
    site, sites = ("wanted.value", "json_each(:ids) AS wanted") if ids is not None else ("site.id", "site")
    for site_id, first, visit in store.tuples(
        f"SELECT {site}, (SELECT min(l.date) FROM activity_site l WHERE l.site_id = {site}), "
        f"(SELECT v.date || '|' || v.activity_id FROM activity_site v WHERE v.site_id = {site} AND v.kind = 'visit' "
        f"ORDER BY v.date, v.activity_id LIMIT 1) FROM {sites}",
        params,
    ):
        if first is not None:
            found = events.setdefault(site_id, Events([]))
            found.first_activity = first
            if visit is not None:
                day, _, activity_id = visit.partition("|")
                found.visits = [(day, int(activity_id))]
    every: dict[int, list[tuple[str, int]]] = {
        site_id: [] for site_id, found in events.items() if _identified_again(found.changes)
    }
    if every:
        for site_id, day, activity_id in store.tuples(
            "SELECT site_id, date, activity_id FROM activity_site WHERE kind = 'visit' "
            "AND site_id IN (SELECT value FROM json_each(:again)) ORDER BY site_id, date, activity_id",
            {"again": json.dumps(list(every))},
        ):
            every[site_id].append((day, activity_id))
        for site_id, visits in every.items():
            events[site_id].visits = visits
    return events


def _identified_again(changes: list[tuple[str, str]]) -> bool:
    """Whether recorded changes after the identification may make a site 'identified' again: then
    a later visit lifts it once more, and :func:`derive` needs every visit, not just the first."""
    return any(stage == IDENTIFIED for stage, _ in changes[1:])


def stored_histories(store: Store, ids: Sequence[int] | None) -> dict[int, tuple[str, list[Entry]]]:
    """Per site: its stored current stage and stored history."""
    params = {"ids": json.dumps(list(ids or []))}
    sql = f"SELECT site.id, stage {_sites(ids)}"
    out: dict[int, tuple[str, list[Entry]]] = {site_id: (stage, []) for site_id, stage in store.tuples(sql, params)}
    for site_id, stage, since, visit in store.tuples(
        f"SELECT site_id, stage, since, activity_id FROM site_stage{_where('site_id', ids)} "
        "ORDER BY site_id, since, id",
        params,
    ):
        if site_id in out:
            out[site_id][1].append((stage, since, visit))
    return out


@dataclass(frozen=True)
class Difference:
    site_id: int
    stored_stage: str
    stored: list[Entry]
    expected: list[Entry]


def differences(store: Store, ids: Sequence[int] | None = None) -> list[Difference]:
    """Sites whose stored history or stage is not what their events give."""
    events = events_of(store, ids)
    found = []
    for site_id, (stage, history) in stored_histories(store, ids).items():
        expected = derive(events.get(site_id, Events([])))
        current = expected[-1][0] if expected else stage
        if history != expected or stage != current:
            found.append(Difference(site_id, stage, history, expected))
    return found


#: sites recomputed at a time: memory stays flat whatever the number of sites
CHUNK = 2000


def refresh_stages(store: Store, ids: Iterable[int] | None) -> int:
    """Recompute and store the history and stage of these sites (None: all); return how many changed."""
    chosen = sorted(set(ids)) if ids is not None else [r[0] for r in store.rows("SELECT id FROM site ORDER BY id")]
    changed = 0
    for start in range(0, len(chosen), CHUNK):
        changed += _store(store, differences(store, chosen[start : start + CHUNK]))
    return changed


def _store(store: Store, changed: list[Difference]) -> int:
    if not changed:
        return 0
    with store.write():
        store.executemany("DELETE FROM site_stage WHERE site_id = ?", [(d.site_id,) for d in changed])
        store.executemany(
            "INSERT INTO site_stage (site_id, stage, since, activity_id) VALUES (?, ?, ?, ?)",
            [(d.site_id, *entry) for d in changed for entry in d.expected],
        )
        # derived: the site's own fields did not change, nor does when they last did (merges compare it)
        store.executemany(
            "UPDATE site SET stage = ? WHERE id = ? AND stage != ?",
            [(d.expected[-1][0], d.site_id, d.expected[-1][0]) for d in changed if d.expected],
        )
    return len(changed)


def record_change(store: Store, site_id: int, stage: str, since: str) -> bool:
    """Record a stage change people made (not a visit's); False if it was already recorded."""
    if store.value("SELECT 1 FROM stage_change WHERE site_id = ? AND stage = ? AND since = ?", (site_id, stage, since)):
        return False
    store.execute(
        "INSERT INTO stage_change (site_id, stage, since, recorded_at) VALUES (?, ?, ?, ?)",
        (site_id, stage, since, now_stamp()),
    )
    return True


def recorded_changes(store: Store, ids: Sequence[int]) -> dict[int, list[dict[str, str]]]:
    """The stage changes recorded for these sites, as ``{"stage", "since"}`` items in order."""
    out: dict[int, list[dict[str, str]]] = {site_id: [] for site_id in ids}
    for site_id, stage, since in store.rows(
        f"SELECT site_id, stage, since FROM stage_change{_where('site_id', ids)} ORDER BY site_id, id",
        {"ids": json.dumps(list(ids))},
    ):
        out[site_id].append({"stage": stage, "since": since})
    return out


def stage_effects(store: Store, ids: Sequence[int], change: Callable[[], None]) -> list[str]:
    """What ``change`` would do to the stage of these sites, in words; the change is undone."""
    if not ids:
        return []
    sql = f"SELECT site.id, name, stage {_sites(ids)}"
    params = {"ids": json.dumps(list(ids))}
    before = {r[0]: (r[1], r[2]) for r in store.rows(sql, params)}
    with store.trial():
        change()
        after = {r[0]: r[2] for r in store.rows(sql, params)}
    return [
        f"site {name!r} goes from {stage} to {after[site_id]}"
        for site_id, (name, stage) in before.items()
        if site_id in after and after[site_id] != stage
    ]
