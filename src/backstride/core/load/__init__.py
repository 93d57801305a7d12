"""Training load, pure values: daily and weekly totals, session-RPE monotony and strain, the 2-week distance
progression (Nielsen 2014), the single-run spike (Frandsen 2025) and ACWR (rolling and EWMA).

Formulas: spec activity.md section 4 (4.1, 4.5, 4.6). Use: spec clinical.md section F. Every number
here is *descriptive* ("how does this week compare with your own recent weeks"), never an injury-risk
probability: the cohort hazard ratios behind the thresholds are borderline (Nielsen 2014) or population
averages (Frandsen 2025), and ACWR in particular is shown with its critique (the note in
services.load_text).

No clock: `today` is always a parameter. No I/O. No prose: each figure says which case it is (an
enum) and carries its numbers; services.load_text words them and services.load_json shapes the JSON.

Modules: common (session, thresholds, usable numbers), totals (daily/weekly, monotony), progression
(Nielsen), spike (Frandsen), acute_chronic (ACWR), figures (all of them for one request).

Documented choices (one each):
- Rest days are materialised as zeros: `daily_loads` returns every day of start..end.
- A session counts on its local start day (`Session.day`); only sports in `sports` count (default running).
- Non-finite, negative or implausible (> 1e7) numbers are treated as missing, as are an RPE outside
  0-10 (CR-10) and an uphill share outside 0-1; a run under 1 m has no distance for the spike.
- sRPE (Foster 2001) = RPE x moving minutes. A session without an RPE (or without a duration) adds nothing
  to sRPE and is counted in `unrated_sessions`.
- Monotony (Foster 1998) = mean / population SD (7 days are the whole week, not a sample) of the 7 daily
  sRPE loads; None unless the week is complete, every session in it is rated and SD > 0. Capped at 10
  as Runalyze does, because a near-zero SD makes the ratio explode. Strain = weekly sRPE x monotony.
- Weeks start on Monday (ISO 8601). `complete` = all 7 days are inside the range.
- Elevation per km uses only sessions that report both elevation gain and distance; uphill share is the
  moving-time-weighted mean over sessions that report one.
- 2-week progression (Nielsen 2014, "progression of weekly distance over a 2-week window"): distance of
  the 7 days ending today (today-6..today) vs the 7 days before (today-13..today-7); flagged when the
  rise is > 30 % (30.0 % exactly is not flagged). No percentage when the earlier week is empty.
- Spike (Frandsen 2025): distance of a run / the longest run in the 30 calendar days before its day
  (day-30..day-1; other runs on the same day are not "before" it, as sessions carry no start time).
  Bands follow the spec's "> 110 %": none <= 1.10 < small <= 1.30 < moderate <= 2.00 < large (the
  lower edge is exclusive, the upper inclusive). No earlier run in the window: band "no_history".
- Flags and bands are decided on the reported, rounded value (ratio to 3 decimals, percent to 1), so
  the number a user sees and its flag always agree.
- ACWR coverage: values are None (with the gap saying why) until the days from the first recorded session to
  `today`, both counted, reach 28 (27 -> None, 28 -> a value), and when the chronic window is
  all zeros; no division by zero ever. For the sRPE metric the history starts at the first *rated*
  session. Days outside `daily` count as rest days, so pass daily loads reaching today.
- ACWR rolling coupled = 7-day sum / (28-day sum / 4); uncoupled = (7-day sum / 7) / (sum of days
  8-28 before today / 21). EWMA: lambda = 2 / (N + 1), N = 7 and 28, seeded with the load of the first
  recorded day, reported only after the same 28-day warm-up.
"""

from .acute_chronic import Acwr, AcwrGap, acwr
from .common import (
    ACUTE_DAYS,
    CHRONIC_DAYS,
    DEFAULT_SPORTS,
    EWMA_ACUTE_N,
    EWMA_CHRONIC_N,
    MAX_PLAUSIBLE,
    METRICS,
    MIN_DISTANCE_M,
    MONOTONY_CAP,
    PROGRESSION_FLAG_PERCENT,
    RPE_MAX,
    SOURCE_IDS,
    SPIKE_LARGE,
    SPIKE_MODERATE,
    SPIKE_SMALL,
    SPIKE_WINDOW_DAYS,
    Band,
    Metric,
    Session,
    week_start,
)
from .figures import LoadFigures, load_figures
from .progression import Progression, ProgressionCase, two_week_progression
from .spike import Spike, SpikeCase, latest_spike, run_spike
from .totals import DayLoad, MonotonyGap, WeekLoad, daily_loads, weekly_loads

__all__ = [
    "ACUTE_DAYS",
    "CHRONIC_DAYS",
    "DEFAULT_SPORTS",
    "EWMA_ACUTE_N",
    "EWMA_CHRONIC_N",
    "MAX_PLAUSIBLE",
    "METRICS",
    "MIN_DISTANCE_M",
    "MONOTONY_CAP",
    "PROGRESSION_FLAG_PERCENT",
    "RPE_MAX",
    "SOURCE_IDS",
    "SPIKE_LARGE",
    "SPIKE_MODERATE",
    "SPIKE_SMALL",
    "SPIKE_WINDOW_DAYS",
    "Acwr",
    "AcwrGap",
    "Band",
    "DayLoad",
    "LoadFigures",
    "Metric",
    "MonotonyGap",
    "Progression",
    "ProgressionCase",
    "Session",
    "Spike",
    "SpikeCase",
    "WeekLoad",
    "acwr",
    "daily_loads",
    "latest_spike",
    "load_figures",
    "run_spike",
    "two_week_progression",
    "week_start",
    "weekly_loads",
]
