"""A refused form in words a runner reads (issue 13 item 2): each problem names the field by the label
the form shows and says what to type, and sits next to its field.

The services name problems by their field keys ("distance_km must be a number ... (got '')"), which the
CLI's JSON keeps as they are (a public contract). Here, and only for the web, each (field, message)
becomes one sentence: "Distance (km): type a number more than 0 and at most 400 km, such as 8.5."
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal, TypedDict

Kind = Literal["number", "scale", "date", "choice", "text", "file"]


@dataclass(frozen=True)
class Field:
    """A form field as the runner sees it."""

    label: str  # as the form shows it ("Distance (km)")
    kind: Kind = "text"
    example: str = ""  # a value to type ("8.5"), for numbers and dates
    anchor: str = ""  # the id of the control on the page, when it is not the field's own key


class Problem(TypedDict):
    """One problem as the summary at the top of a form lists it (a link to the field)."""

    anchor: str
    text: str


_AFTERTHOUGHTS = (
    re.compile(r"\s*\((?:got|spec) [^)]*\)"),  # "(got '')", "(spec A.8)": the raw value, a spec section
    re.compile(r"\s*:?\s*`backstride [^`]*`[^.;]*"),  # a hint for the command line
)
_NUMBER = re.compile(r"^must be (a (?:whole )?number .*?)(, without decimals)?$")
_SNAKE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")


def plain(message: str) -> str:
    """A service's message without what a runner does not need: the raw value typed (the field still
    shows it), a spec section, a hint for the command line."""
    for pattern in _AFTERTHOUGHTS:
        message = pattern.sub("", message)
    return message.strip().rstrip(".")


def _needed(field: Field) -> str:
    if field.kind == "number":
        return f"{field.label} is needed: type it as a number, such as {field.example}."
    if field.kind == "scale":
        return f"{field.label} is needed: choose a number."
    if field.kind == "date":
        return f"{field.label} is needed: choose a day, such as {field.example}."
    if field.kind in ("choice", "file"):
        return f"{field.label}: please choose one."
    return f"{field.label} is needed: please fill it in."


def sentence(key: str, message: str, fields: Mapping[str, Field]) -> str:
    """One problem as the runner reads it, starting with the field's label."""
    field = fields.get(key) or Field(key.replace("_", " ").capitalize())
    text = plain(message)
    if text.startswith(("is required", "is missing", "a retirement date is required")):
        return _needed(field)
    if text.startswith("must be answered"):
        return "Please answer this question."
    number = _NUMBER.match(text)
    if number and field.kind in ("number", "scale"):
        wanted = number.group(1)
        if field.kind == "scale":
            return f"{field.label}: choose {wanted}."
        example = f", such as {field.example}" if field.example else ""
        return f"{field.label}: type {wanted}{example}{' (no decimals)' if number.group(2) else ''}."
    if text.startswith("must be a date") or text.startswith("is not a day of the calendar"):
        return f"{field.label}: choose a day on the calendar, such as {field.example}."
    if text.startswith("must be one of") or text.startswith("must be true or false"):
        return f"{field.label}: choose one of the options given."
    for start, words in _SAID_ANEW.items():
        if text.startswith(start):
            return f"{field.label}: {words}."
    text = _in_words(text, fields)
    joined = " " if text.startswith(("is ", "must ", "can ")) else ": "
    return f"{field.label}{joined}{text}."


# Messages of the check-in's validator that read better said anew than relabelled.
_SAID_ANEW = {
    "is a run's rating, but ran is not true": (
        "you said you did not run that day. Choose Yes under “Did you run today?”, or clear this box"
    ),
    "can be rated tomorrow morning": "add this tomorrow morning; leave it empty on the day of the run",
    "sitting (": "hours sitting and hours of sleep add up to more than 24. Check both numbers",
}


def _in_words(text: str, fields: Mapping[str, Field]) -> str:
    """A service's own sentence with any field key in it said as the field's label."""

    def label(match: re.Match[str]) -> str:
        known = fields.get(match.group(0))
        return f"“{known.label}”" if known else match.group(0).replace("_", " ")

    text = _SNAKE.sub(label, text)
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def field_errors(
    problems: Iterable[tuple[str, str]], fields: Mapping[str, Field]
) -> tuple[dict[str, str], list[Problem]]:
    """(every field key -> its error, "" when none; the problems for the summary, in the order the
    form shows its fields). Every key is there so that a template may print ``errors.<key>``."""
    errors = dict.fromkeys(fields, "")
    order = {key: place for place, key in enumerate(fields)}
    ranked: list[tuple[int, Problem]] = []
    for key, message in problems:
        text = sentence(key, message, fields)
        if key in errors:
            errors[key] = f"{errors[key]} {text}".strip()
        field = fields.get(key)
        anchor = (field.anchor or key) if field else ""
        ranked.append((order.get(key, len(order)), {"anchor": anchor, "text": text}))
    ranked.sort(key=lambda pair: pair[0])  # stable: a field's problems keep their order
    return errors, [problem for _, problem in ranked]
