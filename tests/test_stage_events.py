"""A site's history is derived from its events; reading them keeps only the visits that can matter.

A site visited hundreds of times would otherwise hold every visit in memory while
an import recomputes it (a million activities on 5,000 sites: 16 MB more). Only
a site that is 'identified' is lifted by a visit, so only the first visit after
each moment a site is 'identified' counts: the first one, unless a recorded
change makes it 'identified' again (then every visit is read).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

from conftest import Run
from hypothesis import given, settings
from hypothesis import strategies as st

from verweefcli.domain.stages import IDENTIFIED, Events, _identified_again, derive

STAGES = ("identified", "visited", "studied", "candidate", "dropped")
day_text = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2020, 3, 1)).map(dt.date.isoformat)


@settings(max_examples=300, deadline=None)
@given(
    changes=st.lists(st.tuples(st.sampled_from(STAGES), day_text), max_size=5),
    visit_days=st.lists(day_text, max_size=8),
    first_other=st.one_of(st.none(), day_text),
)
def test_the_visits_read_give_the_history_all_visits_give(
    changes: list[tuple[str, str]], visit_days: list[str], first_other: str | None
) -> None:
    visits = sorted((day, number) for number, day in enumerate(visit_days, start=1))
    first = min([d for d, _ in visits] + ([first_other] if first_other else []), default=None)
    everything = derive(Events(list(changes), first, list(visits)))
    read = visits if _identified_again(changes) else visits[:1]
    assert derive(Events(list(changes), first, list(read))) == everything


def history(run: Run, site: str) -> list[tuple[str, str]]:
    shown = json.loads(run("site", "show", site, "--format", "json").stdout)
    return [(h["stage"], h["since"]) for h in shown["stages"]]


def test_a_site_made_identified_again_is_lifted_by_its_next_visit(gent: Run, cli: Run, db_file: Path) -> None:
    for day in ("2020-07-01", "2020-07-05", "2020-09-01", "2020-09-03"):
        gent("visit", "add", "Oude Weverij", "--date", day)
    gent("site", "edit", "Oude Weverij", "--stage", IDENTIFIED, "--date", "2020-08-01")
    assert history(gent, "Oude Weverij") == [
        ("identified", "2020-06-03"),
        ("visited", "2020-07-01"),
        ("identified", "2020-08-01"),
        ("visited", "2020-09-01"),
    ]
    assert gent("db", "check").stdout == "ok\n"
    conn = sqlite3.connect(db_file)
    conn.execute("DELETE FROM site_stage")  # around verweef: the repair derives it again from the events
    conn.commit()
    conn.close()
    assert cli("db", "check").exit_code == 1
    assert "stage histories" in gent("db", "check", "--repair").stdout
    assert history(gent, "Oude Weverij")[-1] == ("visited", "2020-09-01")
