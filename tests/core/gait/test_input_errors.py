"""Bad input: each a GaitInputError with a code and a hint about what to film instead."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from tests.core.gait.synthetic import rear_gait, side_gait

from backstride.core.gait.analysis import GaitInputError, analyse
from backstride.core.gait.keypoints import PoseSeries


def raised(series: PoseSeries, view: str = "side") -> GaitInputError:
    with pytest.raises(GaitInputError) as info:
        analyse(series, view)  # type: ignore[arg-type]
    return info.value


def test_fewer_than_seven_steps():
    err = raised(side_gait(cadence_spm=150.0, seconds=2.4).series)
    assert err.code == "too_few_steps"
    assert "7" in str(err)
    assert "60 fps" in err.how_to_film and "landscape" in err.how_to_film and "3-5 m" in err.how_to_film


def test_seven_steps_are_enough():
    result = analyse(side_gait(cadence_spm=180.0, seconds=3.0).series)
    assert result.steps == 9  # 3 s at 180 steps a minute
    assert any("steadier" in w for w in result.warnings)


def test_too_short_clip():
    assert raised(side_gait(seconds=1.5).series).code == "too_short"


def test_no_person_and_mostly_missing_legs():
    syn = side_gait()
    nothing = syn.series.with_xy(np.full_like(syn.series.xy, np.nan))
    assert raised(nothing).code == "no_person"
    mostly = syn.series.xy.copy()
    mostly[np.arange(len(mostly)) % 4 != 0] = np.nan  # found in only every fourth frame
    err = raised(syn.series.with_xy(mostly))
    assert err.code == "no_person"
    assert "%" in str(err)


def test_a_rear_view_clip_sent_as_side_view():
    err = raised(rear_gait().series, "side")
    assert err.code == "looks_like_rear"
    assert "side" in err.how_to_film


def test_a_side_view_clip_sent_as_rear_view():
    err = raised(side_gait().series, "rear")
    assert err.code == "looks_like_side"
    assert "behind" in err.how_to_film


def test_error_is_a_value_error_that_survives_pickling():
    """Video jobs run in spawned worker processes, which pickle exceptions."""
    assert issubclass(GaitInputError, ValueError)
    err = pickle.loads(pickle.dumps(GaitInputError("too_short", "Too short.", "Film longer.")))
    assert (err.code, str(err), err.how_to_film) == ("too_short", "Too short.", "Film longer.")


def test_a_runner_in_view_for_part_of_the_clip_is_analysed():
    """Overground: nobody in frame before and after the runner crosses it."""
    syn = side_gait(seconds=10.0)
    xy = syn.series.xy.copy()
    xy[:150] = np.nan
    xy[-200:] = np.nan
    result = analyse(syn.series.with_xy(xy))
    assert result.steps == 12  # 250 frames in view at 60 fps (4.2 s) at 170 steps a minute
    assert result.cadence_spm == pytest.approx(170.0, rel=0.01)


def test_an_unknown_view_is_a_programming_error():
    with pytest.raises(ValueError, match="view"):
        analyse(side_gait().series, "front")  # type: ignore[arg-type]
