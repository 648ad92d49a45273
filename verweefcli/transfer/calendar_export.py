"""``export activities --format ics``: the activities' follow-ups as an iCalendar file.

The calendar is the agenda's (:func:`verweefcli.render.ics.to_ics`, written with the
``icalendar`` library): one VTODO per follow-up, NEEDS-ACTION while open and COMPLETED
once done, or with ``events`` one all-day VEVENT on its due day; the UID comes from the
activity's uuid, so a newer file updates what an older one put in a calendar. Unlike
``verweef agenda -f ics`` (what is open now, grouped from today), the export holds the
follow-up of every exported activity, open or done, by due day: the same data gives
the same file, whatever the day.
"""

from __future__ import annotations

import datetime as dt
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from verweefcli.domain.follow_ups import Item
    from verweefcli.storage import Store

CALENDAR_NAME = "verweef follow-ups"


def follow_up_items(store: Store) -> list[Item]:
    """The follow-up of every activity that has one, open or done, by due day (then id)."""
    from verweefcli.domain.follow_ups import agenda

    # everything=True: no horizon, done ones too; the groups depend on today, the file must not
    items = agenda(store, store.today, everything=True)
    return sorted(items, key=lambda item: (item.due, item.id))


def export_ics(store: Store, stream: IO[str], *, events: bool = False, now: dt.datetime | None = None) -> int:
    """Write the follow-ups as an iCalendar file (CRLF line ends); return how many."""
    from verweefcli.render.ics import to_ics

    items = follow_up_items(store)
    stream.write(to_ics(items, events=events, name=CALENDAR_NAME, now=now or dt.datetime.now(dt.UTC)))
    return len(items)
