"""The SQL behind the quarterly report: one statement per question.

Statements in :data:`PROGRAMME` run once for all regions and group by region
(:data:`CONTACTS_FIRST_MET` runs once too);
statements in :data:`PER_REGION` list a few items and run once per region
(``:region``), so each stops after ``:limit`` rows instead of ranking them all.
All take the named parameters of :func:`parameters`. ``benchmarks/report.py``
runs these same statements in the sqlite3 shell to measure what the report
costs beyond the aggregations themselves.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from verweefcli.domain.follow_ups import open_on

#: How many items a list in the report shows per region.
LIST_LIMIT = 10

_IN_REGIONS = "region_id IN (SELECT value FROM json_each(:regions))"
# a follow-up counts while it is open on the reference day (done later: still open then)
_OPEN, _A_OPEN = open_on(), open_on("a")
# Activities of a period are read through the covering index over the report's columns:
# on a million activities it is 1.7x faster than the (region_id, date) index SQLite's
# statistics lead it to, and 5x faster than a scan (benchmarks/report.py).
_PERIOD = "INDEXED BY activity_report"
_FIRST_SITE = """(SELECT s.name FROM activity_site x JOIN site s ON s.id = x.site_id
   WHERE x.activity_id = a.id ORDER BY x.position LIMIT 1)"""

PROGRAMME = {
    "regions": """
        SELECT region.id AS region_id, name, coach, coach_status, appointed_on, ends_on
        FROM json_each(:regions) AS wanted CROSS JOIN region ON region.id = wanted.value  -- by id, always
        ORDER BY name_key
    """,
    # activities per region, kind and month, with the time spent
    "work": f"""
        SELECT region_id, kind, substr(date, 1, 7) AS month, count(*) AS n, coalesce(sum(minutes), 0) AS minutes
        FROM activity {_PERIOD} WHERE date BETWEEN :start AND :end AND {_IN_REGIONS}
        GROUP BY region_id, kind, month
    """,
    # activities dated after the reference day (the as-of day in the current quarter): planned, not done
    "planned": f"""
        SELECT region_id, count(*) AS n FROM activity {_PERIOD}
        WHERE date > :end AND date <= :period_end AND {_IN_REGIONS}
        GROUP BY region_id
    """,
    "previous_work": f"""
        SELECT region_id, kind, count(*) AS n, coalesce(sum(minutes), 0) AS minutes
        FROM activity {_PERIOD} WHERE date BETWEEN :prev_start AND :prev_end AND {_IN_REGIONS}
        GROUP BY region_id, kind
    """,
    "highlights": f"""
        SELECT region_id, count(*) AS n FROM activity {_PERIOD}
        WHERE date BETWEEN :start AND :end AND highlight = 1 AND {_IN_REGIONS}
        GROUP BY region_id
    """,
    # sites identified (the first entry of their stage history) in the period
    "sites_mapped": f"""
        SELECT s.region_id, count(DISTINCT st.site_id) AS n
        FROM site_stage st INDEXED BY site_stage_since JOIN site s ON s.id = st.site_id
        WHERE st.since BETWEEN :start AND :end AND s.{_IN_REGIONS}
          AND NOT EXISTS (SELECT 1 FROM site_stage e WHERE e.site_id = st.site_id AND e.since < :start)
        GROUP BY s.region_id
    """,
    "sites_visited": f"""
        SELECT DISTINCT a.region_id, x.site_id
        FROM activity a {_PERIOD} CROSS JOIN activity_site x ON x.activity_id = a.id
        WHERE a.date BETWEEN :start AND :end AND a.kind = 'visit' AND a.{_IN_REGIONS}
    """,
    "stage_changes": f"""
        SELECT s.region_id, st.stage, count(*) AS n
        FROM site_stage st INDEXED BY site_stage_since JOIN site s ON s.id = st.site_id
        WHERE st.since BETWEEN :start AND :end AND s.{_IN_REGIONS}
        GROUP BY s.region_id, st.stage
    """,
    # the stage of every site at the end of the period (sites not known yet are left out)
    "funnel": f"""
        SELECT region_id, stage, count(*) AS n FROM (
          SELECT region_id, (SELECT stage FROM site_stage WHERE site_id = s.id AND since <= :end
                             ORDER BY since DESC, id DESC LIMIT 1) AS stage
          FROM site s INDEXED BY site_region_stage WHERE {_IN_REGIONS}
        ) WHERE stage IS NOT NULL
        GROUP BY region_id, stage
    """,
    # who was met in the period, per region
    "contacts_met": f"""
        SELECT DISTINCT a.region_id, x.contact_id
        FROM activity a {_PERIOD} CROSS JOIN activity_contact x ON x.activity_id = a.id
        WHERE a.date BETWEEN :start AND :end AND a.{_IN_REGIONS}
    """,
    # contacts recorded in the period who have not been met yet
    "contacts_recorded": f"""
        SELECT region_id, id AS contact_id, role FROM contact c INDEXED BY contact_recorded
        WHERE recorded_on BETWEEN :start AND :end AND {_IN_REGIONS}
          AND NOT EXISTS (SELECT 1 FROM activity_contact y WHERE y.contact_id = c.id)
    """,
    # follow-ups through their own (partial) index: the region filter must not lead SQLite
    # to the (region_id, date) index, which walks every activity of the regions (1.5 s on 1M)
    "follow_ups_next": f"""
        SELECT region_id, count(*) AS n FROM activity INDEXED BY activity_follow_up
        WHERE follow_up IS NOT NULL AND follow_up BETWEEN :next_start AND :next_end AND date <= :ref
          AND {_OPEN} AND {_IN_REGIONS}
        GROUP BY region_id
    """,
    "follow_ups_overdue": f"""
        SELECT region_id, count(*) AS n FROM activity INDEXED BY activity_follow_up
        WHERE follow_up IS NOT NULL AND follow_up < :ref AND date <= :ref AND {_OPEN} AND {_IN_REGIONS}
        GROUP BY region_id
    """,
}

# Contacts met in the period for the first time (whatever the region).
CONTACTS_FIRST_MET = f"""
    SELECT c.id AS contact_id, c.role FROM contact c
    WHERE c.id IN (SELECT x.contact_id FROM activity a {_PERIOD} CROSS JOIN activity_contact x ON x.activity_id = a.id
                   WHERE a.date BETWEEN :start AND :end)
      AND NOT EXISTS (SELECT 1 FROM activity_contact y WHERE y.contact_id = c.id AND y.date < :start)
"""

PER_REGION = {
    "highlights": f"""
        SELECT a.id, a.date, a.kind, a.title, {_FIRST_SITE} AS site
        FROM activity a {_PERIOD}
        WHERE a.date BETWEEN :start AND :end AND a.highlight = 1 AND a.region_id = :region
        ORDER BY a.date, a.id LIMIT :limit
    """,
    "never_visited": """
        SELECT s.name, st.since AS identified_on
        FROM site s INDEXED BY site_region_stage CROSS JOIN site_stage st INDEXED BY site_stage_site
          ON st.site_id = s.id
        WHERE st.stage = 'identified' AND st.since <= :end AND s.region_id = :region
          AND NOT EXISTS (SELECT 1 FROM site_stage later
                          WHERE later.site_id = st.site_id AND later.since <= :end
                            AND (later.since > st.since OR (later.since = st.since AND later.id > st.id)))
        ORDER BY st.since, s.name_key, s.id LIMIT :limit
    """,
    "follow_ups_next": f"""
        SELECT a.id, a.follow_up, a.follow_up_note, a.date, a.kind, a.title, {_FIRST_SITE} AS site
        FROM activity a INDEXED BY activity_region_follow_up
        WHERE a.follow_up IS NOT NULL AND a.follow_up BETWEEN :next_start AND :next_end AND a.date <= :ref
          AND {_A_OPEN} AND a.region_id = :region
        ORDER BY a.follow_up, a.id LIMIT :limit
    """,
    "follow_ups_overdue": f"""
        SELECT a.id, a.follow_up, a.follow_up_note, a.date, a.kind, a.title, {_FIRST_SITE} AS site
        FROM activity a INDEXED BY activity_region_follow_up
        WHERE a.follow_up IS NOT NULL AND a.follow_up < :ref AND a.date <= :ref AND {_A_OPEN}
          AND a.region_id = :region
        ORDER BY a.follow_up, a.id LIMIT :limit
    """,
}


def parameters(
    region_ids: list[int],
    start: dt.date,
    end: dt.date,
    previous: tuple[dt.date, dt.date],
    following: tuple[dt.date, dt.date],
    ref: dt.date,
) -> dict[str, Any]:
    """The named parameters every statement above draws from (``:region`` is set per region).

    What was done is counted up to the reference day (``:end``); later activities
    of the period (up to ``:period_end``) are planned.
    """
    return {
        "regions": json.dumps(region_ids),
        "region": None,
        "start": start.isoformat(),
        "end": min(end, ref).isoformat(),
        "period_end": end.isoformat(),
        "prev_start": previous[0].isoformat(),
        "prev_end": previous[1].isoformat(),
        "next_start": following[0].isoformat(),
        "next_end": following[1].isoformat(),
        "ref": ref.isoformat(),
        "limit": LIST_LIMIT,
    }
