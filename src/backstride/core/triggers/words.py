"""The trigger analysis in a runner's words: one sentence per finding, per-factor or joint, always
with its interval, its number of days and "an association, not proof of cause"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from backstride.core.triggers.factors import Factor, factor_by_key
from backstride.core.triggers.outcomes import Outcome

if TYPE_CHECKING:
    from backstride.core.triggers.joint import JointEffect

# Short names of the factors, for "taking ... into account" and for the reasons a factor is left
# out; a yes/no factor without one is named from its ``per`` ("a run on trail" -> "runs on trail").
NAMES = {
    "run_km": "the day's km",
    "run_min": "the day's running time",
    "km_7d": "the 7-day km",
    "min_7d": "the 7-day running time",
    "km_change_pct": "the change in weekly km",
    "long_run_share_pct": "the long run's share of the week",
    "climb_per_km": "the climb per km",
    "descent_per_km": "the descent per km",
    "srpe": "session effort",
    "heart_rate": "heart rate",
    "shoe_km": "the shoe's km",
    "cadence": "cadence",
    "sitting_hours": "sitting",
    "sleep_hours": "sleep",
    "stiffness": "stiffness",
    "days_since_rest": "days since the last rest day",
    "plan_adherence": "plan adherence",
    "speed_kmh": "pace",
}


def factor_name(factor: Factor) -> str:
    """A short name of the factor for a sentence ("the 7-day km", "runs on trail")."""
    if factor.key in NAMES:
        return NAMES[factor.key]
    if factor.per.startswith("a run "):
        return "runs " + factor.per.removeprefix("a run ")
    return factor.key.replace("_", " ")


def sentence(
    outcome: Outcome,
    factor: Factor,
    lag: int,
    effect: float,
    low: float,
    high: float,
    days: int,
    others: list[Factor],
) -> str:
    """In plain words, with what was held constant first; with no ``others``, word for word the
    per-factor finding's sentence."""
    lead = f"after {factor.per}" if factor.binary else f"for {factor.per}"
    if others:
        names = [factor_name(o) for o in others]
        held = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        lead = f"Taking {held} into account as well, {lead}"
    units = outcome.units

    def side(v: float) -> str:
        return f"{abs(v):.1f} {units} {'higher' if v >= 0 else 'lower'}"

    if (low >= 0) == (high >= 0):
        ends = (abs(low), abs(high)) if effect >= 0 else (abs(high), abs(low))
        interval = f"likely between {ends[0]:.1f} and {ends[1]:.1f}"
    else:
        interval = f"likely between {side(low)} and {side(high)}"
    return (
        f"{lead[0].upper()}{lead[1:]}, {outcome.words[lag]} was on average {side(effect)}, {interval}; "
        f"{days} days; an association, not proof of cause."
    )


def _joined(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def together_note(effect: JointEffect) -> str:
    """What the joint model says of one finding, in a line for its card ("" when it stood alone)."""
    if not effect.others:
        return ""
    names = [factor_name(f) for f in (factor_by_key(key) for key in effect.others) if f is not None]
    held = _joined(names)
    if effect.low <= 0 <= effect.high:
        return (
            f"Taken together with {held}, this one no longer stands out: it may only have come along "
            f"with {'it' if len(names) == 1 else 'them'}."
        )
    return f"Taken together with {held}, it still stands out."
