"""Belgian enterprise numbers (ondernemingsnummer / numéro d'entreprise, KBO/BCE).

Ten digits, the first 0 or 1, written ``0123.456.789``; the last two digits
are 97 minus the first eight modulo 97 (``0403.170.701``: 4031707 mod 97 = 96,
97 - 96 = 1). People and exports write them as ``0123456789``, ``0123.456.789``,
``BE0123456789``, ``BE 0123 456 789``, or, from before 2005, as nine digits
without the leading 0: all are read, and stored in one form, ``0123.456.789``.
"""

from __future__ import annotations

import re

from verweefcli.errors import InvalidValue

_SEPARATORS = re.compile(r"[\s.\-/]")


def digits(number: int | str) -> str:
    """The ten digits of an enterprise number (no check)."""
    text = _SEPARATORS.sub("", str(number)).upper().removeprefix("BE")
    return text.zfill(10) if len(text) == 9 and text.isdigit() else text


def check_digits(first_eight: str) -> str:
    """The two check digits of an enterprise number that starts with these eight digits."""
    return f"{97 - int(first_eight) % 97:02d}"


def formatted(ten: str) -> str:
    return f"{ten[:4]}.{ten[4:7]}.{ten[7:]}"


def parse_enterprise_number(text: str) -> str:
    """``BE 0403 170 701`` -> ``0403.170.701``; an error that says what is wrong otherwise."""
    ten = digits(text)
    if len(ten) != 10 or not ten.isdigit():
        raise InvalidValue(f"not an enterprise number: {text!r} (10 digits, as 0123.456.789 or BE0123456789)")
    if ten[0] not in "01":
        raise InvalidValue(f"not an enterprise number: {text!r} (it starts with 0 or 1)")
    if check_digits(ten[:8]) != ten[8:]:
        raise InvalidValue(
            f"enterprise number {text!r} fails its check (mod 97): the last two digits would be {check_digits(ten[:8])}"
        )
    return formatted(ten)
