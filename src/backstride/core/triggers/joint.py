"""The joint model (issue 16 item 3: "a model per factor and a joint model").

The per-factor tests in ``analysis`` look at one factor at a time, so a factor that merely comes with
a real trigger (trail runs that are mostly hilly, the 7-day km that rises with the 7-day time) is
reported as if it were one. For each outcome with reported findings, the joint model fits ONE
regression of that outcome on all its reported factors together, each once, at the lag of its
strongest finding (lowest Holm-adjusted p), with the same intercept, trend and AR(1) errors on the
calendar as the per-factor tests (``regression.fit_factors`` with several factor columns).
Each factor's joint effect is then its association with pain with the others held constant.

It does not decide what is reported (the per-factor tests and their correction do); it says which
reported associations stand once the others are taken into account. Before fitting, factors the
model cannot separate are left out, each with the reason in words (``Dropped``):

* too few days where all are known (fewer than ``MIN_FACTOR_DAYS``): the factor known on the fewest
  days goes, until enough remain;
* too little variation on the days where all are known (a run-day-only factor can make another one
  constant);
* moving together with a stronger finding (``MAX_CORRELATION``): the weaker of the two goes;
* a design the fit still cannot solve: the weakest goes.

An outcome left with a single factor (one finding, or the others left out) has no joint model: its
joint effect is the per-factor finding itself, with ``others == ()`` and ``sentence == ""`` (nothing new
to say beside the finding's own sentence; a page shows joint sentences only where they are not empty).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from backstride.core.triggers.factors import (
    MIN_FACTOR_DAYS,
    MIN_MINORITY_DAYS,
    Factor,
    FactorTable,
    Values,
)
from backstride.core.triggers.outcomes import OUTCOMES, Outcome
from backstride.core.triggers.regression import Estimate, Fit, fit_factors
from backstride.core.triggers.words import factor_name, sentence

if TYPE_CHECKING:
    from backstride.core.triggers.analysis import Finding

# Two factors whose values on the joint days correlate at |r| >= 0.8 are not fitted together: the
# variance inflation is then 1 / (1 - r^2) >= 2.8, so each interval is at least 1.7 times as wide as
# alone, and with the 60-150 days a runner has, neither effect is any longer told apart from the
# other (climb per km and hilly runs, 7-day km and 7-day time correlate at 0.85-0.99). Below it, as
# with trail runs that are mostly hilly (r about 0.65), the joint fit can still separate them.
MAX_CORRELATION = 0.8


@dataclass(frozen=True)
class JointEffect(Estimate):
    """One factor's effect in its outcome's joint model, with ``others`` (factor keys) held constant.
    ``effect``, ``low`` and ``high`` (95%) are in the same reporting units as ``Finding`` (per
    ``factor.unit``, times ``outcome.scale``); ``days`` are the days where all were known; ``p`` is
    the joint fit's own p-value (not corrected: the per-factor tests decided what is reported)."""

    others: tuple[str, ...]
    sentence: str


@dataclass(frozen=True)
class Dropped:
    """A reported factor left out of its outcome's joint model, and why, in words."""

    outcome: str
    factor: str
    lag: int
    reason: str


@dataclass(frozen=True)
class JointResult:
    """Every outcome's joint effects (outcomes in ``OUTCOMES`` order, strongest finding first) and
    the factors left out of them."""

    effects: list[JointEffect]
    dropped: list[Dropped]


@dataclass(frozen=True)
class _Candidate:
    """A reported factor at the lag of its strongest finding, laid on the outcome's days."""

    finding: Finding
    factor: Factor
    lagged: Values  # the factor ``lag`` days before each outcome day


def adjust(table: FactorTable, outcomes: dict[str, Values], findings: list[Finding]) -> JointResult:
    """The joint model of each outcome with reported findings (``findings`` as in
    ``TriggerReport.findings``; tests not reported are ignored)."""
    effects: list[JointEffect] = []
    dropped: list[Dropped] = []
    for outcome in OUTCOMES:
        strongest = _strongest_per_factor([f for f in findings if f.reported and f.outcome == outcome.key])
        if not strongest:
            continue
        candidates = [
            _Candidate(f, table.factors[f.factor], _lagged(table.values[f.factor], f.lag)) for f in strongest
        ]
        more_effects, more_dropped = _joint_model(outcome, outcomes[outcome.key], candidates)
        effects += more_effects
        dropped += more_dropped
    return JointResult(effects, dropped)


def _strongest_per_factor(findings: list[Finding]) -> list[Finding]:
    """Each factor once, at its strongest finding; strongest first."""
    ordered = sorted(findings, key=lambda f: (f.p_adjusted, f.p, -abs(f.effect)))
    seen: set[str] = set()
    out: list[Finding] = []
    for f in ordered:
        if f.factor not in seen:
            seen.add(f.factor)
            out.append(f)
    return out


def _lagged(values: Values, lag: int) -> Values:
    """The factor ``lag`` days before each day (None for the first ``lag`` days)."""
    return [values[t - lag] if t >= lag else None for t in range(len(values))]


def _rows(candidates: list[_Candidate], ys: Values) -> list[int]:
    """The outcome days where the outcome and every candidate are known."""
    return [t for t, y in enumerate(ys) if y is not None and all(c.lagged[t] is not None for c in candidates)]


def _known(values: Values, rows: list[int]) -> list[float]:
    """The values on ``rows``, all known there (see ``_rows``)."""
    out: list[float] = []
    for t in rows:
        v = values[t]
        assert v is not None
        out.append(v)
    return out


def _column(c: _Candidate, rows: list[int]) -> list[float]:
    return _known(c.lagged, rows)


def _joint_model(
    outcome: Outcome, ys: Values, candidates: list[_Candidate]
) -> tuple[list[JointEffect], list[Dropped]]:
    dropped: list[Dropped] = []
    remaining = candidates
    while len(remaining) > 1:
        kept = _enough_days(outcome, ys, remaining, dropped)
        kept = _separable(outcome, ys, kept, dropped)
        if len(kept) <= 1:
            remaining = kept
            break
        rows = _rows(kept, ys)
        fits = fit_factors(rows, [_column(c, rows) for c in kept], _known(ys, rows))
        if fits is not None:
            return [_effect(outcome, c, fit, kept) for c, fit in zip(kept, fits, strict=True)], dropped
        weakest = kept[-1]
        reason = f"cannot be told apart from the others on the {len(rows)} days where all are known"
        dropped.append(_dropped(outcome, weakest, reason))
        remaining = kept[:-1]
    return [_alone(c.finding) for c in remaining], dropped


def _enough_days(
    outcome: Outcome, ys: Values, candidates: list[_Candidate], dropped: list[Dropped]
) -> list[_Candidate]:
    """Drop the factor known on the fewest days until enough days have all of them known."""
    kept = list(candidates)
    while len(kept) > 1 and len(rows := _rows(kept, ys)) < MIN_FACTOR_DAYS:
        fewest = min(reversed(kept), key=lambda c: len(_rows([c], ys)))  # on a tie, the weaker goes
        reason = (
            f"known together with the pain rating on only {len(_rows([fewest], ys))} days; with it, "
            f"only {len(rows)} days have all the factors known (needs {MIN_FACTOR_DAYS})"
        )
        dropped.append(_dropped(outcome, fewest, reason))
        kept.remove(fewest)
    return kept


def _separable(
    outcome: Outcome, ys: Values, candidates: list[_Candidate], dropped: list[Dropped]
) -> list[_Candidate]:
    """Strongest first, keep each factor that varies on the joint days and does not move together
    with one already kept."""
    if len(candidates) <= 1:
        return candidates
    rows = _rows(candidates, ys)
    kept: list[tuple[_Candidate, np.ndarray]] = []
    left: list[Dropped] = []
    for c in candidates:
        x = np.asarray(_column(c, rows))
        flat = _too_little_variation(c.factor, x)
        if flat:
            left.append(_dropped(outcome, c, flat))
            continue
        for other, ox in kept:
            r = float(np.corrcoef(x, ox)[0, 1])
            if abs(r) >= MAX_CORRELATION:
                reason = (
                    f"moves together with {factor_name(other.factor)} (correlation {r:.2f}): "
                    "its effect cannot be told apart"
                )
                left.append(_dropped(outcome, c, reason))
                break
        else:
            kept.append((c, x))
    if not kept:  # none varies on the joint days: the strongest stands alone, as reported
        dropped += left[1:]
        return candidates[:1]
    dropped += left
    return [c for c, _ in kept]


def _too_little_variation(factor: Factor, x: np.ndarray) -> str | None:
    n = len(x)
    if np.ptp(x) == 0:
        return f"the same ({x[0]:g}) on all {n} days where all are known"
    if factor.binary:
        rarer = int(min((x != 0).sum(), (x == 0).sum()))
        if rarer < MIN_MINORITY_DAYS:
            return f"only {rarer} of the {n} days where all are known differ (needs {MIN_MINORITY_DAYS})"
    return None


def _dropped(outcome: Outcome, c: _Candidate, reason: str) -> Dropped:
    return Dropped(outcome.key, c.factor.key, c.finding.lag, reason)


def _alone(f: Finding) -> JointEffect:
    """A factor alone in its outcome's model: the per-factor finding itself."""
    return JointEffect(f.outcome, f.factor, f.lag, f.effect, f.low, f.high, f.days, f.p, (), "")


def _effect(outcome: Outcome, c: _Candidate, fit: Fit, kept: list[_Candidate]) -> JointEffect:
    k = c.factor.unit * outcome.scale
    effect, low, high = fit.effect * k, fit.low * k, fit.high * k
    others = [o.factor for o in kept if o is not c]
    text = sentence(outcome, c.factor, c.finding.lag, effect, low, high, fit.days, others)
    return JointEffect(
        outcome.key,
        c.factor.key,
        c.finding.lag,
        effect,
        low,
        high,
        fit.days,
        fit.p,
        tuple(o.key for o in others),
        text,
    )
