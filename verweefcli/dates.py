"""Dates and periods as people in Flanders type them.

Slash and dash dates with the year last are always day first (``05/03/2026``
is 5 March); an impossible date is an error, never swapped or guessed. Dates
are between 1900 and 2100: anything else is a typing error (``0202`` for
``2020``), and keeps every period computable.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from verweefcli.errors import InvalidValue, UsageProblem

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DAY_FIRST = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})")
_SHORT_YEAR = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{2})")
FIRST_YEAR, LAST_YEAR = 1900, 2100
_HINT = "use YYYY-MM-DD, DD/MM/YYYY, D-M-YYYY, today, morgen, +2w, dinsdag..."


def parse_date(text: str, today: dt.date | None = None) -> dt.date:
    """Parse one date; raise :class:`InvalidValue` with a readable reason."""
    value = text.strip().lower()
    if m := _ISO.fullmatch(value):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif m := _DAY_FIRST.fullmatch(value):
        day, month, year = int(m[1]), int(m[3]), int(m[4])
    elif m := _SHORT_YEAR.fullmatch(value):
        raise InvalidValue(
            f"not a date: {text!r} has a two-digit year; write it in full ({m[1]}{m[2]}{m[3]}{m[2]}20{m[4]}?), "
            "or import with --date-format %d/%m/%y (date_format in a mapping profile)"
        )
    else:
        from verweefcli.relative import relative_date

        found = relative_date(value, today or dt.date.today())
        if found is None:
            raise InvalidValue(f"not a date: {text!r} ({_HINT})")
        year, month, day = found.year, found.month, found.day
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidValue(f"not a date: {text!r}: the year is outside {FIRST_YEAR}-{LAST_YEAR}")
    try:
        return dt.date(year, month, day)
    except ValueError:
        if not 1 <= month <= 12:
            reason = f"there is no month {month}"
        elif year < 1:
            reason = "there is no year 0"
        else:
            reason = f"day {day} does not exist in {year}-{month:02d}"
        raise InvalidValue(f"not a date: {text!r}: {reason} (dates are day first)") from None


def parse_optional_date(text: str | None, today: dt.date | None = None) -> dt.date | None:
    """Like :func:`parse_date`, but ``None``, ``""`` and ``none`` mean no date."""
    if text is None or text.strip().lower() in ("", "none", "geen"):
        return None
    return parse_date(text, today)


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def containing(cls, day: dt.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> dt.date:
        return self.next().start - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        return f"{self.year}Q{self.number}"

    def next(self) -> Quarter:
        if self.number == 4:
            return Quarter(self.year + 1, 1)
        return Quarter(self.year, self.number + 1)

    def previous(self) -> Quarter:
        if self.number == 1:
            return Quarter(self.year - 1, 4)
        return Quarter(self.year, self.number - 1)

    def months(self) -> list[tuple[int, int]]:
        first = 3 * self.number - 2
        return [(self.year, m) for m in range(first, first + 3)]


_QUARTER_PATTERNS = (
    re.compile(r"(?P<year>\d{4})\s*-?\s*q(?P<q>\d)"),
    re.compile(r"q(?P<q>\d)\s*-?\s*(?P<year>\d{4})"),
)


def parse_quarter(text: str) -> Quarter:
    """``2026Q2``, ``2026-Q2``, ``Q2 2026`` (any case) -> ``Quarter(2026, 2)``."""
    value = text.strip().lower()
    for pattern in _QUARTER_PATTERNS:
        if m := pattern.fullmatch(value):
            number, year = int(m["q"]), int(m["year"])
            if not 1 <= number <= 4:
                raise InvalidValue(f"not a quarter: {text!r}: quarters are Q1 to Q4")
            if not FIRST_YEAR <= year <= LAST_YEAR:
                raise InvalidValue(f"not a quarter: {text!r}: the year is outside {FIRST_YEAR}-{LAST_YEAR}")
            return Quarter(year, number)
    raise InvalidValue(f"not a quarter: {text!r} (use 2026Q2, 2026-Q2 or 'Q2 2026')")


@dataclass(frozen=True)
class Period:
    """An inclusive range of days, with the quarter it is, if it is one."""

    start: dt.date
    end: dt.date
    quarter: Quarter | None = None

    @classmethod
    def of_quarter(cls, quarter: Quarter) -> Period:
        return cls(quarter.start, quarter.end, quarter)

    @property
    def label(self) -> str:
        if self.quarter:
            return self.quarter.label
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    def previous(self) -> Period:
        """The period of the same length just before this one."""
        if self.quarter:
            return Period.of_quarter(self.quarter.previous())
        length = self.end - self.start
        end = self.start - dt.timedelta(days=1)
        return Period(end - length, end)


def period_from_options(
    quarter: str | None,
    since: str | None,
    until: str | None,
    today: dt.date | None = None,
) -> Period | None:
    """Combine ``--quarter`` / ``--since`` / ``--until`` into one period, or ``None``."""
    if quarter and (since or until):
        raise InvalidValue("use either --quarter or --since/--until, not both")
    if quarter:
        return Period.of_quarter(parse_quarter(quarter))
    if not since and not until:
        return None
    start = parse_date(since, today) if since else dt.date.min
    end = parse_date(until, today) if until else dt.date.max
    if start > end:
        raise InvalidValue(f"empty period: {start.isoformat()} is after {end.isoformat()}")
    return Period(start, end)


def report_period(quarter: str | None, start: str | None, end: str | None, as_of: dt.date) -> Period:
    """The period of a report: ``--quarter``, or ``--from`` and ``--to`` together, else the quarter
    of the as-of day. The as-of day cannot be before the period: nothing would be done yet."""
    if quarter and (start or end):
        raise UsageProblem("use either --quarter or --from/--to, not both")
    if start or end:
        if not (start and end):
            raise UsageProblem("--from and --to go together")
        period = period_from_options(None, start, end, as_of)
        assert period is not None
    else:
        period = Period.of_quarter(parse_quarter(quarter) if quarter else Quarter.containing(as_of))
    if as_of < period.start:
        raise InvalidValue(
            f"--as-of {as_of.isoformat()} is before the period starts ({period.start.isoformat()}): "
            "a report looks back on work done"
        )
    return period


def add_years(day: dt.date, years: int) -> dt.date:
    """Same day ``years`` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end`` (0 if ``end`` is before ``start``)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(months, 0)
