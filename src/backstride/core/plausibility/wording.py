"""How the plausibility rules say what they found, in an activity's ``partial_reason``: distances and
durations written the way a person reads them. Shared by every rule, so each reason reads alike."""

from __future__ import annotations

from .limits import DAY_S


def distance_text(metres: float) -> str:
    """Metres as a reader says them: km from 10 km up, the sign dropped."""
    metres = abs(metres)
    return f"{metres / 1000:,.0f} km" if metres >= 10_000 else f"{metres:,.0f} m"


def duration_text(seconds: float) -> str:
    """Seconds in the unit a reader would pick (s, min, h or days)."""
    if seconds < 0:
        return "negative time"
    if seconds < 120:
        return f"{seconds:.3g} s"
    if seconds < 2 * DAY_S:
        return f"{seconds / 3600:.1f} h" if seconds >= 3600 else f"{seconds / 60:.0f} min"
    return f"{seconds / DAY_S:.0f} days"
