"""Roland-Morris scoring and the minimal important change (5 points or 30%, Ostelo 2008)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backstride.core import rmdq


def test_score_counts_unique_ticks():
    assert rmdq.score([1, 5, 5, 24]) == (3, (1, 5, 24))


@pytest.mark.parametrize("bad", [[0], [25], [-1], [True]])
def test_score_rejects_items_outside_1_to_24(bad):
    with pytest.raises(rmdq.InvalidRmdq):
        rmdq.score(bad)


@pytest.mark.parametrize(
    ("baseline", "current", "direction"),
    [
        (20, 15, "better"),  # 5 points
        (20, 16, "no_important_change"),  # 4 points, 20%
        (10, 7, "better"),  # 3 points but 30%
        (10, 8, "no_important_change"),  # 20%
        (8, 13, "worse"),
        (8, 12, "no_important_change"),
    ],
)
def test_minimal_important_change(baseline, current, direction):
    assert rmdq.change(baseline, current).direction == direction


@given(st.lists(st.integers(min_value=1, max_value=24)))
def test_score_stays_in_range(ticks):
    assert 0 <= rmdq.score(ticks)[0] <= 24
