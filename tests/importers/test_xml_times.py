"""Track point times: `parse_epoch` reads the usual "YYYY-MM-DDTHH:MM:SS(.fff)Z" without a datetime and
must give exactly `parse_time(text).timestamp()` for every text, that form or not."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backstride.importers.xmlutil import parse_epoch, parse_time


def reference(text: str | None) -> float | None:
    when = parse_time(text)
    return None if when is None else when.timestamp()


@pytest.mark.parametrize(
    "text",
    [
        "2011-11-22T17:36:09Z",
        "2011-11-22T17:36:09.123Z",
        "1969-12-31T23:59:59.999Z",  # before the epoch
        "2012-02-29T10:00:00Z",
        "2011-02-29T10:00:00Z",  # no such day
        "2011-11-22T24:00:00Z",
        "2011-11-22T23:60:00Z",
        "2011-11-22T23:59:60Z",  # a leap second: datetime has none
        "2011-11-22t17:36:09Z",
        "2011-11-22 17:36:09Z",
        "2011-11-22T17:36:09.12Z",
        "2011-11-22T17:36:09.1234Z",
        "2011-11-22T17:36:09+02:00",
        "2011-11-22T17:36:09",
        "٢٠١١-11-22T17:36:09Z",  # digits that are not ASCII
        "2011-11-22T17:36:٠٩Z",
        "2011-11-22T17:36:09.٠٠٠Z",
        "+011-11-22T17:36:09Z",
        "2011-11-22T-1:36:09Z",
        " 2011-11-22T17:36:09Z",
        "",
        None,
    ],
)
def test_edge_cases_read_as_parse_time_reads_them(text: str | None) -> None:
    assert parse_epoch(text) == reference(text)


FIELD = st.integers(0, 99).map(lambda n: f"{n:02d}")


@settings(max_examples=3000, deadline=None)
@given(
    st.integers(1, 9999),
    FIELD,
    FIELD,
    FIELD,
    FIELD,
    FIELD,
    st.sampled_from(["Z", ".000Z", ".999Z", ".5Z", "", "+01:00", ".123456Z"]),
    st.data(),
)
def test_any_time_reads_as_parse_time_reads_it(
    year: int, month: str, day: str, hour: str, minute: str, second: str, tail: str, data: st.DataObject
) -> None:
    text = f"{year:04d}-{month}-{day}T{hour}:{minute}:{second}{tail}"
    if data.draw(st.booleans()):  # and one character anywhere changed
        at = data.draw(st.integers(0, len(text) - 1))
        text = text[:at] + data.draw(st.sampled_from(list("0123456789-:TZ. x٣"))) + text[at + 1 :]
    assert parse_epoch(text) == reference(text)
