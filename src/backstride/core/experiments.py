"""Two-week experiments (N-of-1, issue 16 item 4): the runner changes one thing for 14 days, the app reads
from the diary and the runs how well the rule was kept, then compares the mean daily pain of those 14 days
with the 14 days before. Pure: no Django, no I/O. Every result is one runner's comparison, never proof.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import fmean, stdev

DAYS = 14  # the length of an experiment and of the "before" window it is compared with
HILL_LIMIT_M_PER_KM = 15.0  # "no hills": no run with more climb than this per km (issue 16's example)
SITTING_LIMIT_HOURS = 6.0  # "break up sitting": sitting hours on the check-in below this
LONG_RUN_SHARE = 0.30  # "shorter long run": no run over this share of the weekly distance
LONG_RUN_MIN_KM = 10.0  # "rest day after a long run": a run of at least this is a long run
MIN_PAIN_DAYS = 10  # fewer days with a pain rating on either side: not enough data
MIN_ADHERENCE = 0.70  # rule kept less often than this: the two weeks did not test the change
# The smallest difference called clear. Spec clinical.md gives 2 points (or 30%) on the 0-10 scale as
# the minimal important change for one person over a course of care (Ostelo 2008); a mean of 14 daily
# ratings is steadier than one rating, so 1 point is app policy here, and the words say when a
# difference is below those 2 points.
CLEAR_POINTS = 1.0
IMPORTANT_POINTS = 2.0  # Ostelo 2008 (spec clinical.md, NRS row)
BLOCK_DAYS = 4  # bootstrap block: pain on one day is like the next few days' (autocorrelation)
RESAMPLES = 2000
SEED = 16  # the interval is the same every time the page is opened

CLEAR = "clear difference"
NO_CLEAR = "no clear difference"
NOT_ENOUGH = "not enough data"
NOT_PROOF = "This is one runner's comparison of two fortnights, not proof of cause."


@dataclass(frozen=True)
class Kind:
    key: str
    title: str  # the experiment in words
    rule: str  # what the runner does, with {param}
    unit: str  # what adherence counts: "run", "day", "long run"
    param_label: str  # "" when the kind takes no parameter
    default: float | None  # the parameter's default (None: the kind needs one given, or none)


KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        Kind("no_hills", "Two weeks without hills",
             "No run with more than {param} m of climb per km.", "run", "Most climb per km (m)",
             HILL_LIMIT_M_PER_KM),
        Kind("switch_shoes", "Switch shoes",
             "Every run in your other pair: {param}.", "run", "The shoes to run in", None),
        Kind("break_up_sitting", "Break up sitting",
             "Sit less than {param} hours a day, with breaks before runs.", "day",
             "Most sitting hours a day", SITTING_LIMIT_HOURS),
        Kind("shorter_long_run", "Shorter long run",
             "No run longer than {param}% of your weekly distance.", "run",
             "Longest run, % of the week", LONG_RUN_SHARE * 100),
        Kind("rest_day_after_long_run", "Rest day after a long run",
             "A day without running after every run of {param} km or more.", "long run",
             "A long run is at least (km)", LONG_RUN_MIN_KM),
    )
}  # fmt: skip


# Which experiment tests a trigger finding where more of the factor went with more pain (the factor
# keys are core.triggers.factors'). A factor with no kind here (sleep, heart rate...) gets none.
KIND_FOR_FACTOR = {
    "hilly_run": "no_hills",
    "climb_per_km": "no_hills",
    "descent_per_km": "no_hills",
    "shoe_km": "switch_shoes",
    "sitting_hours": "break_up_sitting",
    "long_run_share_pct": "shorter_long_run",
    "spike": "shorter_long_run",
    "run_km": "shorter_long_run",
    "days_since_rest": "rest_day_after_long_run",
}


def kind_for_factor(factor_key: str) -> str | None:
    if factor_key.startswith("in_shoe_"):  # runs in one pair went with more pain: try another pair
        return "switch_shoes"
    return KIND_FOR_FACTOR.get(factor_key)


class BadExperiment(ValueError):
    """A kind or parameter that cannot be used; ``field`` names what was given."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def read_param(kind_key: str, raw: str | None) -> tuple[Kind, str]:
    """The kind and its parameter as stored text (a number for most kinds, a shoe name for switch_shoes)."""
    kind = KINDS.get(kind_key)
    if kind is None:
        raise BadExperiment("kind", "choose one of the experiments offered")
    text = (raw or "").strip()
    if kind.key == "switch_shoes":
        if not text:
            raise BadExperiment("param", "name the shoes to switch to (as on the Shoes page)")
        if not text.isprintable():
            raise BadExperiment(
                "param", "a shoe name has no control characters: type it as on the Shoes page"
            )
        return kind, text[:200]
    if not text:
        return kind, f"{kind.default:g}"
    try:
        value = float(text)
    except ValueError:
        raise BadExperiment("param", f"{kind.param_label} must be a number, like {kind.default:g}") from None
    if not 0 < value <= 1000 or value != value:
        raise BadExperiment("param", f"{kind.param_label} must be above 0 and at most 1000")
    return kind, f"{value:g}"


def rule_text(kind: Kind, param: str) -> str:
    return kind.rule.format(param=param)


@dataclass(frozen=True)
class Run:
    distance_km: float
    climb_m: float | None
    shoe: str  # "" when no shoe is linked


@dataclass(frozen=True)
class DayRecord:
    day: date
    pain: float | None  # next-morning pain, else the check-in's pain (see daily_pain)
    sitting_hours: float | None
    runs: tuple[Run, ...] = ()


def daily_pain(pain_next_morning: int | None, pain_now: int | None) -> float | None:
    """The day's pain: the next-morning rating when given (what a run left behind), else the check-in's."""
    if pain_next_morning is not None:
        return float(pain_next_morning)
    return None if pain_now is None else float(pain_now)


@dataclass(frozen=True)
class Adherence:
    kept: int
    counted: int
    unit: str

    @property
    def share(self) -> float | None:
        return self.kept / self.counted if self.counted else None

    def words(self) -> str:
        if not self.counted:
            return f"no {self.unit}s to judge yet"
        plural = "" if self.counted == 1 else "s"
        percent = round(100 * self.kept / self.counted)
        return f"kept on {self.kept} of {self.counted} {self.unit}{plural} ({percent}%)"


def adherence(kind: Kind, param: str, days: Sequence[DayRecord], weekly_km: float | None) -> Adherence:
    """How often the rule was kept in ``days`` (the experiment's days so far, in order). ``weekly_km`` is
    the runner's usual week (the 4 weeks before the start) for "shorter long run"."""
    kept = counted = 0
    if kind.key == "break_up_sitting":
        for record in days:
            if record.sitting_hours is not None:
                counted += 1
                kept += record.sitting_hours < float(param)
        return Adherence(kept, counted, kind.unit)
    if kind.key == "rest_day_after_long_run":
        ran = {record.day for record in days if record.runs}
        last = days[-1].day if days else None
        for record in days:
            if any(run.distance_km >= float(param) for run in record.runs) and record.day != last:
                counted += 1
                kept += record.day + timedelta(days=1) not in ran
        return Adherence(kept, counted, kind.unit)
    for record in days:
        for run in record.runs:
            counted += 1
            kept += _run_kept(kind.key, param, run, weekly_km)
    return Adherence(kept, counted, kind.unit)


def _run_kept(key: str, param: str, run: Run, weekly_km: float | None) -> bool:
    if key == "no_hills":
        if run.climb_m is None or run.distance_km <= 0:
            return True  # a run without elevation (treadmill, by hand) has no hill to count
        return run.climb_m / run.distance_km <= float(param)
    if key == "switch_shoes":
        return run.shoe.casefold() == param.casefold()
    if not weekly_km:
        return True  # no usual week to compare with: a run cannot break the share rule
    return run.distance_km <= weekly_km * float(param) / 100


@dataclass(frozen=True)
class Verdict:
    verdict: str  # CLEAR, NO_CLEAR or NOT_ENOUGH
    difference: float | None  # mean during minus mean before (negative: less pain during)
    low: float | None
    high: float | None
    before_days: int
    during_days: int
    before_mean: float | None
    during_mean: float | None
    words: str  # the verdict in plain words, ending with the A-B-A suggestion and NOT_PROOF


def _block_mean(values: Sequence[float], rng: random.Random) -> float:
    """One moving-block bootstrap mean: blocks of BLOCK_DAYS neighbouring days keep the day-to-day
    correlation that resampling single days would throw away (which would make the interval too narrow)."""
    size = min(BLOCK_DAYS, len(values))
    starts = len(values) - size + 1
    drawn: list[float] = []
    while len(drawn) < len(values):
        start = rng.randrange(starts)
        drawn.extend(values[start : start + size])
    return fmean(drawn[: len(values)])


# Two-sided 95% t quantiles by degrees of freedom (from any t table); past 30, 2.0 is near enough.
T_975 = {1: 12.71, 2: 4.30, 3: 3.18, 4: 2.78, 5: 2.57, 6: 2.45, 7: 2.36, 8: 2.31, 9: 2.26, 10: 2.23}


def difference_interval(before: Sequence[float], during: Sequence[float]) -> tuple[float, float]:
    """95% interval of mean(during) - mean(before): the spread of the difference from a seeded
    moving-block bootstrap of each fortnight (blocks of 4 days keep most of the day-to-day
    autocorrelation), times a t quantile whose degrees of freedom count blocks, not days. Why: a plain
    percentile bootstrap of 10-14 correlated days was too narrow (it called 1 in 6 unchanged fortnights
    different in the tests' simulation; now about 1 in 15, with the interval covering no change 93-94%
    of the time and a planted 2-point drop found about 6 times in 10); a t-interval on weekly means
    would leave 2 degrees of freedom and an interval too wide to say anything."""
    rng = random.Random(SEED)
    diffs = [_block_mean(during, rng) - _block_mean(before, rng) for _ in range(RESAMPLES)]
    # Moving blocks under-sample the ends of a short series, so their spread runs low by about
    # (n - block) / n in variance (Kuensch 1989); scaled back up here.
    spread = stdev(diffs) * max(_shrink(len(before)), _shrink(len(during)))
    blocks = (len(before) + len(during)) // BLOCK_DAYS
    quantile = T_975.get(max(1, blocks - 2), 2.0)
    centre = fmean(during) - fmean(before)
    return centre - quantile * spread, centre + quantile * spread


def _range_words(low: float, high: float) -> str:
    """An interval of a difference in words: "between 1.1 and 3.2 points lower", or across no change."""
    if high < 0:
        return f"between {-high:.1f} and {-low:.1f} points lower"
    if low > 0:
        return f"between {low:.1f} and {high:.1f} points higher"
    return f"anywhere from {-low:.1f} points lower to {high:.1f} points higher"


def _shrink(days: int) -> float:
    return float((days / max(1, days - BLOCK_DAYS + 1)) ** 0.5)


def verdict(
    before: Sequence[float | None], during: Sequence[float | None], kept: Adherence, title: str
) -> Verdict:
    """Compare the daily pain of the fortnight before (in day order, None for a day without a rating)
    with the fortnight during. ``title`` names the change in the words."""
    b = [value for value in before if value is not None]
    d = [value for value in during if value is not None]
    share = kept.share
    if len(b) < MIN_PAIN_DAYS or len(d) < MIN_PAIN_DAYS or (share is not None and share < MIN_ADHERENCE):
        missing = []
        if len(b) < MIN_PAIN_DAYS:
            missing.append(f"{len(b)} days with a pain rating in the two weeks before")
        if len(d) < MIN_PAIN_DAYS:
            missing.append(f"{len(d)} days with a pain rating during the experiment")
        if share is not None and share < MIN_ADHERENCE:
            missing.append(f"the change {kept.words()}, under {round(100 * MIN_ADHERENCE)}%")
        words = (
            f"Not enough data to compare: {'; '.join(missing)}. A comparison needs at least "
            f"{MIN_PAIN_DAYS} rated days on each side and the change kept at least "
            f"{round(100 * MIN_ADHERENCE)}% of the time. {NOT_PROOF}"
        )
        means = (fmean(b) if b else None, fmean(d) if d else None)
        return Verdict(NOT_ENOUGH, None, None, None, len(b), len(d), *means, words)
    diff = fmean(d) - fmean(b)
    low, high = difference_interval(b, d)
    clear = (low > 0 or high < 0) and abs(diff) >= CLEAR_POINTS
    direction = "lower" if diff < 0 else "higher"
    said = (
        f"During \u201c{title}\u201d your daily pain averaged {abs(diff):.1f} points {direction} than in "
        f"the two weeks before (likely {_range_words(low, high)}; {len(b)} and {len(d)} rated days)."
    )
    if clear:
        small = (
            ""
            if abs(diff) >= IMPORTANT_POINTS
            else " It is smaller than the 2 points usually called important."
        )
        words = (
            f"{said} That is a clear difference.{small} To check it was the change and not the time, "
            f"go back to how you ran before for two weeks, then try the change again (A-B-A). {NOT_PROOF}"
        )
    else:
        words = (
            f"{said} That is no clear difference: it could be chance, or too small to tell in two weeks. "
            f"Going back for two weeks and trying again (A-B-A) would tell more. {NOT_PROOF}"
        )
    return Verdict(CLEAR if clear else NO_CLEAR, diff, low, high, len(b), len(d), fmean(b), fmean(d), words)
