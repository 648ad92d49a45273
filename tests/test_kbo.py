"""Enterprise numbers: every usual spelling read, one form stored, the mod-97 check."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from verweefcli.errors import InvalidValue
from verweefcli.kbo import check_digits, parse_enterprise_number

#: numbers that pass the check, written as the KBO writes them
KNOWN = ("0316.380.940", "0403.170.701", "0200.065.765")


@pytest.mark.parametrize("number", KNOWN)
def test_known_numbers_pass_their_check(number: str) -> None:
    assert parse_enterprise_number(number) == number


@pytest.mark.parametrize(
    "text",
    ["0403170701", "0403.170.701", "BE0403170701", "be 0403 170 701", "BE0403.170.701", "403170701", "0403-170-701"],
)
def test_every_usual_spelling_is_stored_in_one_form(text: str) -> None:
    assert parse_enterprise_number(text) == "0403.170.701"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("0403170702", "fails its check (mod 97): the last two digits would be 01"),
        ("0403.170.7", "10 digits"),
        ("0403.170.70", "fails its check"),  # nine digits: an old number, read with a leading 0
        ("04031707011", "10 digits"),
        ("BE04O3170701", "10 digits"),
        ("2403170701", "starts with 0 or 1"),
        ("", "10 digits"),
    ],
)
def test_a_wrong_number_says_what_is_wrong(text: str, says: str) -> None:
    with pytest.raises(InvalidValue, match=r".*") as caught:
        parse_enterprise_number(text)
    assert says in str(caught.value) and repr(text) in str(caught.value)


@given(st.integers(min_value=0, max_value=19_999_999), st.sampled_from(["{}", "BE{}", "{}.{}.{}", "BE {} {} {}"]))
def test_any_valid_number_in_any_spelling_round_trips(first: int, spelling: str) -> None:
    eight = f"{first:08d}"
    ten = eight + check_digits(eight)
    text = spelling.format(ten) if spelling.count("{}") == 1 else spelling.format(ten[:4], ten[4:7], ten[7:])
    stored = parse_enterprise_number(text)
    assert stored == f"{ten[:4]}.{ten[4:7]}.{ten[7:]}"
    assert parse_enterprise_number(stored) == stored


@given(st.integers(min_value=0, max_value=19_999_999), st.integers(min_value=1, max_value=96))
def test_any_other_check_digits_are_refused(first: int, off: int) -> None:
    eight = f"{first:08d}"
    wrong = f"{(int(check_digits(eight)) + off - 1) % 97 + 1:02d}"
    if wrong == check_digits(eight):
        return
    with pytest.raises(InvalidValue, match="fails its check"):
        parse_enterprise_number(eight + wrong)
