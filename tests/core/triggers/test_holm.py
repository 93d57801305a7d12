"""Holm's correction, written out in the analysis (statsmodels' runs a garbage collection per call),
must give statsmodels' adjusted p-values and decisions."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from statsmodels.stats.multitest import multipletests

from backstride.core.triggers.analysis import FAMILY_ALPHA, holm

p_values = st.lists(st.floats(min_value=0.0, max_value=1.0, allow_nan=False), min_size=1, max_size=200)


@given(p_values)
def test_holm_agrees_with_statsmodels(values: list[float]) -> None:
    reject, adjusted, _, _ = multipletests(values, alpha=FAMILY_ALPHA, method="holm")
    ours = holm(values)
    assert np.allclose(ours, adjusted, rtol=1e-12, atol=0)
    assert [a <= FAMILY_ALPHA for a in ours] == list(reject)


def test_holm_by_hand() -> None:
    # Sorted 0.01, 0.02, 0.04 times 3, 2, 1: 0.03, 0.04, then max(0.04, 0.04).
    assert holm([0.04, 0.01, 0.02]) == [0.04, 0.03, 0.04]
