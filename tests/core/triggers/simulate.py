"""A synthetic runner with a known planted effect (issue 16 item 6), seeded.

Each day the runner runs with probability 0.55 (5-15 km); 30% of runs are hilly (18-30 m climb per
km, the others 0-10). Next-morning pain = 3 + a slow trend + AR(1) noise + ``effect`` after a run with
over 15 m climb per km, rounded and kept in 0-10. Every other factor (sleep, sitting, stiffness,
surface, shoe km, sRPE, heart rate, cadence, adherence) is drawn independently of pain, so any
finding about them is a false alarm. A share of days has no record at all (missing days).

For the joint model (issue 16 item 3) two optional parts, off by default (the defaults give exactly
the runners above): ``sitting_effect`` plants a second effect, next-morning pain that much higher per
2 hours more sitting the day before (around 6 hours); ``trail_when_hilly`` plants a confounder, a
hilly run is on trail with that chance and a flat one with ``TRAIL_WHEN_FLAT``, so trail runs go
with pain only through the hills: a trail run has no effect of its own.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from backstride.core.triggers.factors import DayRecord

PLANTED_FACTOR = "hilly_run"
PLANTED_OUTCOME = "next_morning"
PLANTED_EFFECT = 1.5  # points of next-morning pain after a hilly run
SITTING_FACTOR = "sitting_hours"
SITTING_EFFECT = 0.5  # points of next-morning pain per 2 hours more sitting, when planted
CONFOUNDER = "surface_trail"
TRAIL_WHEN_HILLY = 0.7  # the confounder, when planted: hilly runs mostly on trail (r about 0.65)
TRAIL_WHEN_FLAT = 0.1
# The two-factor runner for the joint model: longer and with stronger hills than the plain one, so
# that the per-factor analysis reliably reports the confounder too (its association is only about
# 0.65 of the hills' own), which is what the joint model is there to see through.
JOINT_DAYS = 180
JOINT_HILL_EFFECT = 2.5


def simulate(
    seed: int,
    days: int = 120,
    effect: float = PLANTED_EFFECT,
    missing: float = 0.1,
    ar: float = 0.5,
    noise_sd: float = 0.8,
    trend_per_year: float = -2.0,
    sitting_effect: float = 0.0,
    trail_when_hilly: float | None = None,
) -> list[DayRecord]:
    """``days`` days of one runner (fewer records: ``missing`` of the days are left out)."""
    rng = np.random.default_rng(seed)
    start = date(2026, 1, 5)
    noise = 0.0
    hilly_yesterday = False
    sitting_push = 0.0  # yesterday's sitting, in next-morning pain points
    shoe_km = float(rng.uniform(0, 300))
    records: list[DayRecord] = []
    for i in range(days):
        noise = ar * noise + float(rng.normal(0, noise_sd))
        morning = 3.0 + trend_per_year * i / 365 + noise + (effect if hilly_yesterday else 0.0)
        if sitting_push:
            morning += sitting_push
        sitting_push = 0.0
        pain = float(min(10, max(0, round(morning))))
        ran = rng.random() < 0.55
        run: dict[str, object] = {}
        hilly_yesterday = False
        if ran:
            km = float(rng.uniform(5, 15))
            hilly = rng.random() < 0.3
            climb = float(rng.uniform(18, 30) if hilly else rng.uniform(0, 10))
            hilly_yesterday = hilly
            run = {
                "run_distance_m": km * 1000,
                "run_duration_s": km * float(rng.uniform(300, 400)),
                "elevation_gain_m": climb * km,
                "descent_m": climb * km * float(rng.uniform(0.8, 1.2)),
                "surface": "trail" if rng.random() < _trail_chance(hilly, trail_when_hilly) else "road",
                "srpe": float(rng.integers(2, 9)),
                "heart_rate_bpm": float(rng.uniform(130, 165)),
                "shoe_km": shoe_km,
                "cadence_spm": float(rng.uniform(160, 182)),
                "pain_during_run": float(min(10, max(0, round(morning + rng.normal(0, 0.7))))),
                "pain_after_run": float(min(10, max(0, round(morning + rng.normal(0, 0.7))))),
            }
            shoe_km += km
        if rng.random() < missing:
            continue
        sitting = float(rng.uniform(2, 10))
        sitting_push = sitting_effect * (sitting - 6.0) / 2.0
        records.append(
            DayRecord(
                day=start + timedelta(days=i),
                pain_morning=pain,
                sitting_hours=sitting,
                sleep_hours=float(rng.uniform(5, 9)),
                stiffness=float(rng.integers(0, 6)),
                plan_adherence=float(rng.uniform(0.5, 1.0)) if ran else None,
                **run,  # type: ignore[arg-type]
            )
        )
    return records


def simulate_joint(seed: int) -> list[DayRecord]:
    """The two-factor runner: hills and sitting planted, trail runs a confounder of the hills."""
    return simulate(
        seed,
        days=JOINT_DAYS,
        effect=JOINT_HILL_EFFECT,
        sitting_effect=SITTING_EFFECT,
        trail_when_hilly=TRAIL_WHEN_HILLY,
    )


def _trail_chance(hilly: bool, trail_when_hilly: float | None) -> float:
    if trail_when_hilly is None:
        return 0.4  # the plain runner: surface has nothing to do with the hills
    return trail_when_hilly if hilly else TRAIL_WHEN_FLAT
