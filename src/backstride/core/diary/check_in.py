"""What a check-in holds (spec clinical.md D.4): the ``CheckIn`` record, the fields a form may send,
the A.8 safety items asked at every check-in, and the pain extent (E5) read from the locations. The
other diary modules build on this one; it needs nothing from them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

# Where it hurts today. Back: central, left, right; spreading: buttock, thigh, below the knee.
LOCATIONS: tuple[str, ...] = ("central", "left", "right", "buttock", "thigh", "below_knee")
# questionnaire.json pain_extent choice for the furthest location (leg locations, furthest last).
_EXTENT_OF_LOCATION = {
    "central": "back_only",
    "left": "back_only",
    "right": "back_only",
    "buttock": "buttock",
    "thigh": "thigh",
    "below_knee": "below_knee",
}
_EXTENT_ORDER = ("back_only", "buttock", "thigh", "below_knee")

# Spec A.8: E1-E6 and E8-E9 are asked again at every check-in, in the full check's asking order
# (triage/flow.py). E5 also reads pain_extent, which comes from the locations (see above).
# leg_pain_side is asked when pain reaches the buttock or leg, neuro_worsening when a leg is
# numb or weak: the full check's own skip logic (flow.is_applicable) decides.
A8_ITEMS: tuple[str, ...] = (
    "pregnancy_warning",  # E13: while the latest full check says pregnant (K.7)
    "saddle_numbness",  # E1
    "bladder_change",  # E2
    "bowel_change",  # E3
    "sexual_change",  # E4
    "leg_pain_side",  # E5 (with pain_extent)
    "numbness_tingling",  # E5, E6
    "leg_weakness",  # E5, E6 (one leg: D8)
    "neuro_worsening",  # E6
    "loin_colic",  # K.7: T1, and E12/E14/PG-2 with the full check's answers about the person
    "aaa_warning",  # E8
    "chest_pain_breathless",  # E9
)

MAX_NOTE_CHARS = 5000  # app policy: a few paragraphs; longer text belongs elsewhere
RUN_RATINGS: tuple[str, ...] = ("pain_before_run", "pain_during_run", "pain_after_run", "pain_next_morning")
HOURS_FIELDS: tuple[str, ...] = ("sitting_hours", "sleep_hours")

RedFlagAnswer = bool | str


@dataclass(frozen=True)
class CheckIn:
    """One day of the diary. Optional ratings are None when not given."""

    day: date
    pain_now: int  # 0-10
    locations: frozenset[str] = frozenset()
    stiffness: int | None = None  # 0-10
    sitting_hours: float | None = None  # 0-24
    sleep_hours: float | None = None  # 0-24
    note: str = ""
    socks_shoes_difficult: bool | None = None  # D.2 R3 (seed 004: acute and disabling)
    ran: bool = False
    pain_before_run: int | None = None
    pain_during_run: int | None = None
    pain_after_run: int | None = None
    pain_next_morning: int | None = None  # may be filled in on the next day
    exercises_done: bool | None = None
    red_flags: Mapping[str, RedFlagAnswer] = field(default_factory=dict)  # A8_ITEMS ids -> answer

    @property
    def pain_extent(self) -> str | None:
        """The questionnaire's pain_extent for the furthest location, or None with no location."""
        return pain_extent_of(self.locations)


def pain_extent_of(locations: Iterable[str]) -> str | None:
    """The questionnaire's pain_extent for the furthest of these locations (None for none)."""
    extents = [_EXTENT_OF_LOCATION[loc] for loc in locations if loc in _EXTENT_OF_LOCATION]
    return max(extents, key=_EXTENT_ORDER.index, default=None)
