"""Relative dates as people type them, in Dutch and English: ``+3d``, ``morgen``, ``dinsdag``, ``over 2 weken``.

Every form means one day, counted from today:

- ``today``/``vandaag``, ``tomorrow``/``morgen``, ``overmorgen``, ``yesterday``/``gisteren``, ``eergisteren``;
- ``+3d``, ``+2w``, ``+1m`` (days, weeks, months), also ``+3 dagen``, ``+2 weeks``;
- ``in 3 days``, ``in 2 weeks``, ``in 1 month``, ``over 3 dagen``, ``over 2 weken``, ``over 1 maand``;
- ``next week``/``volgende week``: the same weekday, a week later (``+1w``);
- a weekday (``dinsdag``, ``di``, ``tuesday``, ``tue``): the next one, never today (on a Tuesday,
  ``dinsdag`` is next week's).

``next tuesday``/``volgende dinsdag`` can mean this week's or next week's: an error, never a guess.
A month later is the same day of the month, or its last day (31 January + 1 month: 28 or 29 February).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from verweefcli.errors import InvalidValue

_DAYS = {"today": 0, "vandaag": 0, "tomorrow": 1, "morgen": 1, "overmorgen": 2}
_DAYS |= {"yesterday": -1, "gisteren": -1, "eergisteren": -2}
_WEEKDAYS = {
    name: number
    for number, names in enumerate(
        [
            ("maandag", "ma", "monday", "mon"),
            ("dinsdag", "di", "tuesday", "tue", "tues"),
            ("woensdag", "wo", "wednesday", "wed"),
            ("donderdag", "do", "thursday", "thu", "thur", "thurs"),
            ("vrijdag", "vr", "friday", "fri"),
            ("zaterdag", "za", "saturday", "sat"),
            ("zondag", "zo", "sunday", "sun"),
        ]
    )
    for name in names
}
_UNITS = {
    "d": "day",
    "dag": "day",
    "dagen": "day",
    "day": "day",
    "days": "day",
    "w": "week",
    "wk": "week",
    "week": "week",
    "weken": "week",
    "weeks": "week",
    "m": "month",
    "maand": "month",
    "maanden": "month",
    "month": "month",
    "months": "month",
}
_COUNT = re.compile(r"(?:\+\s*|in\s+|over\s+)(\d{1,3})\s*([a-z]+)")
_NEXT = re.compile(r"(?:next|volgende)\s+([a-z]+)")


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day if it is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def _counted(number: int, unit: str, today: dt.date) -> dt.date:
    if unit == "day":
        return today + dt.timedelta(days=number)
    if unit == "week":
        return today + dt.timedelta(weeks=number)
    return add_months(today, number)


def relative_date(text: str, today: dt.date) -> dt.date | None:
    """The day ``text`` means counted from ``today``; None if it is no relative form at all."""
    value = " ".join(text.strip().lower().split())
    if value in _DAYS:
        return today + dt.timedelta(days=_DAYS[value])
    if value in _WEEKDAYS:
        return today + dt.timedelta(days=(_WEEKDAYS[value] - today.weekday() - 1) % 7 + 1)
    if value in ("next week", "volgende week"):
        return today + dt.timedelta(weeks=1)
    if m := _COUNT.fullmatch(value):
        unit = _UNITS.get(m[2])
        if unit is None:
            raise InvalidValue(f"not a date: {text!r}: {m[2]!r} is no unit (days, weeks or months: d, w, m)")
        return _counted(int(m[1]), unit, today)
    if (m := _NEXT.fullmatch(value)) and m[1] in _WEEKDAYS:
        raise InvalidValue(
            f"not a date: {text!r} can mean this week's or next week's {m[1]}; "
            f"write {m[1]!r} (the next one) or the date"
        )
    return None
