"""Roland-Morris Disability Questionnaire (24 items): score and whether a change matters.

Minimal important change: 5 points or 30% of the baseline score (Ostelo et al. 2008), the
spec's choice (clinical.md C.2).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

ITEM_COUNT = 24
MIC_POINTS = 5
MIC_PERCENT = 30


class InvalidRmdq(ValueError):
    pass


def score(ticked: Iterable[int]) -> tuple[int, tuple[int, ...]]:
    """(score, sorted unique items) for the ticked statement numbers 1-24."""
    items = sorted(set(ticked))
    bad = [
        item for item in items if not isinstance(item, int) or isinstance(item, bool) or not 1 <= item <= 24
    ]
    if bad:
        raise InvalidRmdq(f"statement numbers must be whole numbers from 1 to {ITEM_COUNT} (got {bad})")
    return len(items), tuple(items)


@dataclass(frozen=True)
class Change:
    baseline: int
    current: int
    direction: str  # "better" | "worse" | "no_important_change"

    @property
    def points(self) -> int:
        return self.current - self.baseline

    def message(self) -> str:
        drop = self.baseline - self.current
        if self.direction == "better":
            return (
                f"Your score has dropped by {_points(drop)} since your first score ({self.baseline}). "
                "That passes the minimal important change (5 points or 30%): a real improvement."
            )
        if self.direction == "worse":
            return (
                f"Your score has risen by {_points(-drop)} since your first score ({self.baseline}). "
                "That passes the minimal important change: worth a re-check and talking to a clinician."
            )
        return (
            f"Change since your first score ({self.baseline}): {_points(self.points, signed=True)}. "
            "Not yet beyond the minimal important change (5 points or 30%)."
        )


def _points(count: int, *, signed: bool = False) -> str:
    """ "1 point", "+3 points", "0 points": the count with its noun in the right form."""
    number = f"{count:+d}" if signed else str(count)
    return f"{number} point{'' if abs(count) == 1 else 's'}"


def change(baseline: int, current: int) -> Change:
    """Compare with the baseline: an improvement counts from 5 points or 30% of the baseline."""
    drop = baseline - current
    if drop > 0 and (drop >= MIC_POINTS or drop * 100 >= MIC_PERCENT * baseline):
        direction = "better"
    elif -drop >= MIC_POINTS:
        direction = "worse"
    else:
        direction = "no_important_change"
    return Change(baseline=baseline, current=current, direction=direction)
