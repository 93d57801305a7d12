"""Record a Roland-Morris score and say whether the change since the first one matters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

from django.contrib.auth.models import User
from django.db import transaction

from backstride.config import local_time
from backstride.core import rmdq
from backstride.storage.models import RmdqResponse

from .errors import BadRatings


@dataclass(frozen=True)
class RmdqOutcome:
    score: int
    change: rmdq.Change | None  # None for the first score (it becomes the baseline)
    response_id: int | None


def record_rmdq(user: User, ticked: list[int], *, save: bool = True) -> RmdqOutcome:
    try:
        score, items = rmdq.score(ticked)
    except rmdq.InvalidRmdq as error:
        raise BadRatings([("rmdq", str(error))]) from error
    with transaction.atomic():
        first = RmdqResponse.objects.filter(owner=user).order_by("created_at", "id").first()
        change = rmdq.change(first.score, score) if first else None
        response_id = None
        if save:
            response_id = RmdqResponse.objects.create(owner=user, ticked=list(items), score=score).id
    return RmdqOutcome(score=score, change=change, response_id=response_id)


class RmdqRow(TypedDict):
    """A saved score, as `backstride history --format json` and the history page show it."""

    id: int
    created_at: str  # ISO date and time, local
    score: int
    change_from_baseline: int
    direction: str  # "better" | "worse" | "no_important_change"
    message: str


def rmdq_history(user: User) -> list[RmdqRow]:
    """Oldest first, each with its change against the first (baseline) score."""
    responses = list(RmdqResponse.objects.filter(owner=user).order_by("created_at", "id"))
    rows: list[RmdqRow] = []
    for response in responses:
        change = rmdq.change(responses[0].score, response.score)
        rows.append(
            {
                "id": response.id,
                "created_at": local_time(response.created_at).isoformat(),
                "score": response.score,
                "change_from_baseline": change.points,
                "direction": change.direction,
                "message": change.message(),
            }
        )
    return rows
