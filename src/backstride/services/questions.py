"""How a questionnaire item is put to a person, the same in the terminal and on the web: Keele's own
wording for STarT Back, and the fixed answers each item offers."""

from __future__ import annotations

from backstride.core.inputs import read_number
from backstride.core.triage.model import Answer
from backstride.knowledge import catalog
from backstride.knowledge.questionnaire import Item, questionnaire_items


def question_text(item: Item) -> str:
    """Keele's own wording for STarT Back items; the questionnaire's lay wording otherwise."""
    if item.id.startswith("sb_"):
        for sb_item in catalog.startback().items:
            if sb_item.app_id == item.id:
                return sb_item.text
    return item.text


def answer_options(item: Item) -> list[tuple[object, str]]:
    """(value, label) pairs for an item with fixed answers."""
    if item.id.startswith("sb_"):
        sb_item = next(sb for sb in catalog.startback().items if sb.app_id == item.id)
        return [(_sb_value(value), label) for value, label in sb_item.answers]
    if item.type == "yes_no":
        options: list[tuple[object, str]] = [(True, "Yes"), (False, "No")]
        options.extend((extra, _label(extra)) for extra in item.also_accepts)
        return options
    if item.type == "choice":
        return [(choice, _label(choice)) for choice in item.choices]
    return []


# Choice codes that read badly when only their underscores become spaces.
LABELS = {"other_or_prefer_not": "Other, or prefer not to say", "did_not_try": "I didn't try it"}


def _label(code: str) -> str:
    return LABELS.get(code, code.replace("_", " ").capitalize())


def skip_label(item: Item) -> str:
    """The button or prompt for leaving a number unanswered."""
    if item.id == "weeks_since_birth":
        return "Not in the last year"
    return "I don't know"


def _sb_value(value: object) -> object:
    """STarT Back items 1-8 are agree/disagree, stored as true/false; item 9 keeps its choice code."""
    return {"agree": True, "disagree": False}.get(str(value), value)


# Typed words for a yes/no answer: a form's radio values ("true"/"false", "agree"/"disagree" for
# STarT Back) and what people type on the command line ("yes"/"no").
YES_NO_WORDS: dict[str, bool] = {
    "true": True,
    "yes": True,
    "agree": True,
    "false": False,
    "no": False,
    "disagree": False,
}


def answer_from_text(item: Item | None, text: str) -> Answer:
    """Text as typed (a form field, a command-line value) -> the answer the engine reads, the same
    in the terminal and on the web: yes/no words for a yes/no item (or an item not in the
    questionnaire, which the validator then names), numbers read by the shared parser
    (core.inputs: "²" is not 2) for a scale or a number, other text as given. Anything that cannot
    be read is passed on as typed, for the validator (find_problems) to reject in its own words."""
    text = text.strip()
    if item is None or item.type == "yes_no":
        return YES_NO_WORDS.get(text.lower(), text)
    if item.type in ("scale_0_10", "number"):
        number = read_number(text)
        if number is None:
            return text
        return int(number) if float(number).is_integer() else number
    return text


def answer_words(item_id: str, value: Answer) -> str:
    """An answer as the person chose it on the form ("Yes", "Below knee", "3 out of 10")."""
    item = questionnaire_items().get(item_id)
    if item is not None:
        for option, label in answer_options(item):
            if option == value and type(option) is type(value):
                return label
        if item.type == "scale_0_10":
            return f"{value} out of 10"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value).replace("_", " ")
