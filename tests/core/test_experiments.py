"""core.experiments: the verdict on synthetic fortnights and the adherence of each kind."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from backstride.core import experiments as core

START = date(2026, 11, 1)


def fortnight(rng: random.Random, level: float, missing: float = 0.1) -> list[float | None]:
    """14 days of 0-10 pain around ``level``: AR(1) noise (phi 0.5, sd 1.2) and some days not rated."""
    values: list[float | None] = []
    noise = 0.0
    for _ in range(core.DAYS):
        noise = 0.5 * noise + rng.gauss(0, 1.2)
        value = min(10.0, max(0.0, round(level + noise)))
        values.append(None if rng.random() < missing else value)
    return values


ALL_KEPT = core.Adherence(14, 14, "day")


def test_a_planted_two_point_drop_is_a_clear_difference() -> None:
    clear = 0
    for seed in range(40):
        rng = random.Random(seed)
        result = core.verdict(fortnight(rng, 5.0), fortnight(rng, 3.0), ALL_KEPT, "Two weeks without hills")
        clear += result.verdict == core.CLEAR
        assert result.verdict != core.CLEAR or (result.difference or 0) < 0  # never the wrong way
    assert clear >= 22  # noisy days: the rest are an honest "no clear difference" (29 of 40 now)
    rng = random.Random(1)
    result = core.verdict(fortnight(rng, 5.0, 0), fortnight(rng, 3.0, 0), ALL_KEPT, "Two weeks without hills")
    assert result.verdict == core.CLEAR
    assert result.low is not None and result.high is not None and result.low < result.high < 0
    assert "lower" in result.words and "A-B-A" in result.words and core.NOT_PROOF in result.words
    assert result.before_days == result.during_days == 14


def test_no_change_is_no_clear_difference_in_most_seeds() -> None:
    verdicts = []
    for seed in range(40):
        rng = random.Random(100 + seed)
        result = core.verdict(fortnight(rng, 4.0), fortnight(rng, 4.0), ALL_KEPT, "Switch shoes")
        verdicts.append(result.verdict)
    assert verdicts.count(core.NO_CLEAR) >= 35
    assert core.NOT_ENOUGH not in verdicts


def test_six_days_is_not_enough_data() -> None:
    rng = random.Random(3)
    during = fortnight(rng, 2.0, 0)[:6] + [None] * 8
    result = core.verdict(fortnight(rng, 5.0, 0), during, ALL_KEPT, "Switch shoes")
    assert result.verdict == core.NOT_ENOUGH and result.difference is None
    assert result.during_days == 6 and "6 days with a pain rating during" in result.words
    assert core.NOT_PROOF in result.words


def test_low_adherence_is_not_enough_data() -> None:
    rng = random.Random(4)
    result = core.verdict(fortnight(rng, 5.0, 0), fortnight(rng, 2.0, 0), core.Adherence(6, 10, "run"), "x")
    assert result.verdict == core.NOT_ENOUGH and "kept on 6 of 10 runs (60%)" in result.words


def test_the_interval_is_seeded() -> None:
    before, during = [4.0, 5, 6, 5, 4, 5, 6, 5, 4, 5, 6, 5], [3.0, 4, 3, 2, 3, 4, 3, 2, 3, 4, 3, 2]
    assert core.difference_interval(before, during) == core.difference_interval(before, during)


def day(offset: int, *runs: core.Run, sitting: float | None = None) -> core.DayRecord:
    return core.DayRecord(START + timedelta(days=offset), 3.0, sitting, runs)


def test_adherence_no_hills_counts_runs_over_the_climb_limit() -> None:
    kind, param = core.read_param("no_hills", None)
    assert param == "15"
    days = [day(0, core.Run(10, 100, "")), day(1), day(2, core.Run(5, 200, ""))]
    days.append(day(3, core.Run(8, None, "")))
    kept = core.adherence(kind, param, days, None)
    assert (kept.kept, kept.counted, kept.unit) == (2, 3, "run")


def test_adherence_switch_shoes_needs_the_named_pair() -> None:
    kind, param = core.read_param("switch_shoes", " Pegasus ")
    days = [day(0, core.Run(10, 0, "pegasus")), day(2, core.Run(5, 0, "Old ones"))]
    assert core.adherence(kind, param, days, None).kept == 1
    with pytest.raises(core.BadExperiment) as error:
        core.read_param("switch_shoes", "")
    assert error.value.field == "param"


def test_adherence_break_up_sitting_reads_the_check_in() -> None:
    kind, param = core.read_param("break_up_sitting", "5")
    days = [day(0, sitting=4), day(1, sitting=7), day(2), day(3, sitting=4.5)]
    kept = core.adherence(kind, param, days, None)
    assert (kept.kept, kept.counted, kept.unit) == (2, 3, "day")


def test_adherence_shorter_long_run_uses_the_usual_week() -> None:
    kind, param = core.read_param("shorter_long_run", None)
    days = [day(0, core.Run(8, 0, "")), day(3, core.Run(15, 0, ""))]
    assert core.adherence(kind, param, days, 40.0).kept == 1  # 30% of 40 km is 12 km
    assert core.adherence(kind, param, days, None).kept == 2  # no usual week: nothing to break


def test_adherence_rest_day_after_long_run() -> None:
    kind, param = core.read_param("rest_day_after_long_run", "12")
    days = [day(0, core.Run(14, 0, "")), day(1), day(2, core.Run(20, 0, "")), day(3, core.Run(5, 0, "")),
            day(4, core.Run(16, 0, ""))]  # fmt: skip
    kept = core.adherence(kind, param, days, None)
    assert (kept.kept, kept.counted) == (1, 2)  # the last day's long run has no next day yet
    assert kept.words() == "kept on 1 of 2 long runs (50%)"


def test_bad_kinds_and_parameters_are_refused_with_the_field() -> None:
    with pytest.raises(core.BadExperiment) as error:
        core.read_param("no_coffee", None)
    assert error.value.field == "kind" and "experiments offered" in error.value.message
    for bad in ("steep", "0", "-3", "nan", "5000"):
        with pytest.raises(core.BadExperiment):
            core.read_param("no_hills", bad)
