"""The pain outcomes a factor may go with (issue 16 item 2), one value per calendar day ``t``:

* ``next_morning``: the pain rated on the morning after day ``t`` (so a factor of day ``t`` comes first);
* ``run_pain``: on a run day, the higher of pain during and after the run;
* ``flare``: 1 when the next morning's pain is at least ``FLARE_RISE`` points above the runner's own
  baseline, 0 when it is not (None when either is unknown).

The baseline is defined here and nowhere else: see ``rolling_baseline``.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from backstride.core.triggers.factors import DayRecord, Values

# Spec clinical.md D (pain-monitoring model, Silbernagel 2007): pain is judged against the runner's
# own usual level, and must not rise from one week to the next. App policy: the usual level is the
# median morning pain of the previous 14 days, once at least 7 of them were rated; a "flare" is a
# morning at least 2 points above it (2 points: the model's "safe" band is 0-2, and a 2-point change
# is about the smallest change in a 0-10 pain rating that people notice).
BASELINE_WINDOW_DAYS = 14
BASELINE_MIN_VALUES = 7
FLARE_RISE = 2.0


@dataclass(frozen=True)
class Outcome:
    key: str
    words: tuple[str, str, str]  # what is compared, at lag 0, 1 and 2 days after the factor
    units: str  # "points" or "percentage points"
    scale: float = 1.0  # a 0/1 outcome is shown as percentage points


OUTCOMES: tuple[Outcome, ...] = (
    Outcome(
        "next_morning",
        ("next-morning pain", "pain two mornings later", "pain three mornings later"),
        "points",
    ),
    Outcome(
        "run_pain",
        (
            "pain during or after that day's run",
            "pain during or after a run the next day",
            "pain during or after a run two days later",
        ),
        "points",
    ),
    Outcome(
        "flare",
        (
            "the chance of a flare the next morning",
            "the chance of a flare two mornings later",
            "the chance of a flare three mornings later",
        ),
        "percentage points",
        scale=100.0,
    ),
)


def rolling_baseline(morning: Values) -> Values:
    """The runner's usual morning pain before each day: the median of the previous
    ``BASELINE_WINDOW_DAYS`` days' ratings, None until ``BASELINE_MIN_VALUES`` of them are rated."""
    out: Values = []
    for i in range(len(morning)):
        before = [v for v in morning[max(0, i - BASELINE_WINDOW_DAYS) : i] if v is not None]
        out.append(median(before) if len(before) >= BASELINE_MIN_VALUES else None)
    return out


def outcome_series(cal: list[DayRecord | None]) -> dict[str, Values]:
    """Each outcome per calendar day (see the module docstring)."""
    morning: Values = [None if r is None else r.pain_morning for r in cal]
    baseline = rolling_baseline(morning)
    next_morning: Values = [*morning[1:], None]
    next_baseline: Values = [*baseline[1:], None]
    flare: Values = []
    for pain, usual in zip(next_morning, next_baseline, strict=True):
        flare.append(None if pain is None or usual is None else float(pain >= usual + FLARE_RISE))
    return {"next_morning": next_morning, "run_pain": [_run_pain(r) for r in cal], "flare": flare}


def _run_pain(rec: DayRecord | None) -> float | None:
    if rec is None or not rec.ran:
        return None
    rated = [p for p in (rec.pain_during_run, rec.pain_after_run) if p is not None]
    return max(rated) if rated else None
