"""Record uuids are version 7 (RFC 9562): time-ordered, so new records land at the end of the uuid index."""

from __future__ import annotations

import itertools
import time
import uuid

from hypothesis import given
from hypothesis import strategies as st

from verweefcli.domain.activity_bulk import _uuids
from verweefcli.domain.common import new_uuid, uuid7_text


@given(st.integers(0, 2**48 - 1), st.integers(0, 2**74 - 1))
def test_uuid7_text_sets_version_and_variant_and_keeps_the_time(ms: int, random: int) -> None:
    text = uuid7_text(ms, random)
    value = uuid.UUID(text)
    assert (value.version, value.variant) == (7, uuid.RFC_4122)
    assert value.int >> 80 == ms  # the first 48 bits are the time in ms
    assert str(value) == text


def test_uuids_made_one_by_one_and_in_bulk_are_the_same_kind() -> None:
    before = time.time_ns() // 1_000_000
    bulk = list(itertools.islice(_uuids(), 2500))  # more than one block of random bits
    single = [new_uuid() for _ in range(50)]
    after = time.time_ns() // 1_000_000
    for text in bulk + single:
        value = uuid.UUID(text)
        assert (value.version, value.variant) == (7, uuid.RFC_4122)
        assert before <= value.int >> 80 <= after
        assert str(value) == text  # lower case, canonical form
    assert len(set(bulk + single)) == len(bulk) + len(single)


def test_uuids_are_ordered_by_time() -> None:
    first = new_uuid()
    time.sleep(0.002)
    second = next(_uuids())
    time.sleep(0.002)
    third = new_uuid()
    assert first < second < third
