"""Follow-ups as an iCalendar file (RFC 5545), written with the ``icalendar`` library.

One VTODO per follow-up (or, with ``events``, one all-day VEVENT on its due
day). The UID comes from the activity's uuid, so importing a newer file into a
calendar updates what an older one put there instead of adding it twice; a
follow-up marked done is a COMPLETED to-do. Due days are calendar days
(``VALUE=DATE``, the day as a coach in Belgium means it: no time, no time zone
to shift it); the stamps are UTC, as the standard asks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from verweefcli import __version__

if TYPE_CHECKING:
    from icalendar import Calendar

    from verweefcli.domain.follow_ups import Item

BRUSSELS = ZoneInfo("Europe/Brussels")


def uid(item: Item) -> str:
    """Stable per record: an activity's follow-up, or a request's, a case's, a measure's day."""
    prefix = "follow-up" if item.type == "activity" else item.type
    return f"{prefix}-{item.uuid}@verweef"


def summary(item: Item) -> str:
    where = f" ({item.sites[0]})" if item.sites else ""
    return f"{item.what}{where}"


def description(item: Item) -> str:
    lines = []
    if item.note and item.title:
        lines.append(item.title)
    lines.append(f"{item.type.capitalize()} #{item.id}: {item.kind} on {item.date}")
    if item.sites:
        lines.append(f"Sites: {', '.join(item.sites)}")
    if item.contacts:
        lines.append(f"Contacts: {', '.join(item.contacts)}")
    if item.region:
        lines.append(f"Region: {item.region}")
    if item.done:
        lines.append(f"Done on {item.done}" + (f": {item.done_notes}" if item.done_notes else ""))
    return "\n".join(lines)


def _stamp(text: str | None, fallback: dt.datetime) -> dt.datetime:
    """A stored UTC stamp (``2026-03-01T10:00:00.000000Z``) as an aware datetime."""
    if not text:
        return fallback
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(dt.UTC).replace(microsecond=0)
    except ValueError:
        return fallback


def calendar(items: Sequence[Item], *, events: bool = False, name: str = "verweef", now: dt.datetime) -> Calendar:
    from icalendar import Calendar, Event, Todo

    cal = Calendar()
    cal.add("prodid", f"-//verweef//verweef {__version__}//NL")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Brussels")
    stamp = now.astimezone(dt.UTC).replace(microsecond=0)
    for item in items:
        due = dt.date.fromisoformat(item.due)
        component = Event() if events else Todo()
        component.add("uid", uid(item))
        component.add("dtstamp", stamp)
        component.add("last-modified", _stamp(item.updated_at, stamp))
        component.add("summary", summary(item))
        component.add("description", description(item))
        if item.sites:
            component.add("location", "; ".join(item.sites))
        if item.region:
            component.add("categories", [item.region])
        if events:
            component.add("dtstart", due)
            component.add("dtend", due + dt.timedelta(days=1))
            component.add("transp", "TRANSPARENT")
        else:
            component.add("dtstart", dt.date.fromisoformat(item.date))
            component.add("due", due)
            if item.done:
                done = dt.datetime.combine(dt.date.fromisoformat(item.done), dt.time(12), BRUSSELS)
                component.add("status", "COMPLETED")
                component.add("completed", done.astimezone(dt.UTC))
                component.add("percent-complete", 100)
            else:
                component.add("status", "NEEDS-ACTION")
        cal.add_component(component)
    return cal


def to_ics(items: Sequence[Item], *, events: bool = False, name: str = "verweef", now: dt.datetime) -> str:
    """The calendar as text (CRLF line ends, lines folded at 75 octets, as RFC 5545 asks)."""
    data: bytes = calendar(items, events=events, name=name, now=now).to_ical()
    return data.decode("utf-8")
