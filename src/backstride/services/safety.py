"""The daily check-in's safety screen, the same in the terminal and on the web: which of the
repeated red-flag questions are asked (spec A.8, K.7) and the urgent warning an answer raises.

Which questions: every A.8 item the full check's own skip logic (``flow.is_applicable``) allows,
given what is known when it is asked — the latest full check's answers about the person (so
``pregnancy_warning`` only while it says pregnant, K.7), the pain's extent from the check-in's
locations (``leg_pain_side``, E5) and the answers before it (``neuro_worsening`` only with a numb or
weak leg, E6). This is the set the check-in's validator requires (``core.diary``). A form shown as
one page cannot skip on what is typed on that same page, so it shows the items whose skip logic
reads the page itself (SAME_PAGE) whenever they may apply; the terminal asks one at a time and
knows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from django.contrib.auth.models import User

from backstride.core.diary import A8_ITEMS, LOCATIONS, pain_extent_of
from backstride.core.triage import TriageResult, flow
from backstride.core.triage.model import Answer
from backstride.knowledge import catalog
from backstride.knowledge.questionnaire import questionnaire_items

from .standing import standing
from .urgency_text import UrgencyText, urgency_text
from .users import profile_for

# A.8 items whose skip logic reads the check-in itself: where the pain is, and the numbness and
# weakness answers asked just before.
SAME_PAGE: tuple[str, ...] = ("leg_pain_side", "neuro_worsening")
# A.8 items one "None of these" answers ("no", or "none" for a leg), as the CLI's --no-red-flags.
# Never the leg pain's side (with leg pain it decides bilateral sciatica: asked on its own) nor
# whether numbness is getting worse (asked only when there is numbness or weakness).
NONE_OF_THESE: tuple[str, ...] = tuple(item for item in A8_ITEMS if item not in SAME_PAGE)


def none_of_these_answers(item_ids: Iterable[str]) -> dict[str, Answer]:
    """The answers "None of these" gives to those of ``item_ids`` it covers."""
    items = questionnaire_items()
    return {
        item_id: "none" if items[item_id].type == "choice" else False
        for item_id in item_ids
        if item_id in NONE_OF_THESE
    }


def filled_by_none_of_these(item_ids: Iterable[str], given: Mapping[str, object]) -> dict[str, object]:
    """``given`` with "None of these" filling every covered item of ``item_ids`` not answered (an
    answer given, a "yes" above all, is never overwritten), and worsening numbness answered "no" when
    there is then neither numbness nor weakness: nothing can be getting worse."""
    asked = list(item_ids)
    filled = {**none_of_these_answers(asked), **given}
    no_numbness = filled.get("numbness_tingling") == "none" and filled.get("leg_weakness") == "none"
    if "neuro_worsening" in asked and "neuro_worsening" not in given and no_numbness:
        filled["neuro_worsening"] = False
    return filled


def safety_screen(user: User, today: date, locations: Iterable[str] | None = None) -> dict[str, Answer]:
    """What the skip logic reads before any safety answer: the latest full check's answers about the
    person and, when the locations are known, the pain's extent."""
    screen: dict[str, Answer] = dict(standing(user, today).context)
    if locations is not None:
        extent = pain_extent_of(place for place in locations if place in LOCATIONS)
        if extent:
            screen["pain_extent"] = extent
    return screen


def is_asked(item_id: str, screen: Mapping[str, Answer], answers: Mapping[str, Answer]) -> bool:
    """Whether the terminal asks ``item_id`` next, given the screen and the answers so far."""
    return flow.is_applicable(item_id, {**screen, **answers})


def form_questions(user: User, today: date) -> list[str]:
    """The A.8 items a one-page form shows, in asking order: those the skip logic allows from what
    is known before the page is filled in, and the SAME_PAGE items (they may apply)."""
    screen = safety_screen(user, today)
    return [item for item in A8_ITEMS if item in SAME_PAGE or flow.is_applicable(item, screen)]


def urgent_warning(user: User, result: TriageResult) -> UrgencyText:
    """The urgent warning (headline and action, with the user's emergency number) for a safety
    answer that reached ``doctor_soon`` or ``emergency``: the words a full check would use."""
    contact = catalog.emergency_contact(profile_for(user).country or None)
    return urgency_text(result.urgency, [rule.rule_id for rule in result.urgency_rules], contact)
