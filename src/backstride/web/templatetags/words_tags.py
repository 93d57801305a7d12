"""Stored codes said as words on the pages (issue 13 item 2): a runner reads "Mostly uphill", not
"uphill_heavy". The codes stay what the database, the CLI and the JSON use."""

from __future__ import annotations

import re
from pathlib import PureWindowsPath

from django import template

from backstride.knowledge import catalog
from backstride.knowledge.catalog import Source

register = template.Library()

TERRAIN_WORDS = {"flat": "Flat", "hilly": "Hilly", "uphill_heavy": "Mostly uphill"}
SURFACE_WORDS = {
    "road": "Road",
    "track": "Track",
    "trail": "Trail",
    "grass": "Grass",
    "treadmill": "Treadmill",
}
VIEW_WORDS = {"side": "From the side", "rear": "From behind"}  # a form check's camera
STATUS_WORDS = {  # a background job's state
    "queued": "Waiting to start",
    "running": "Analysing",
    "failed": "Could not be analysed",
    "done": "Done",
}
LOCATION_WORDS = {  # where the check-in's pain is
    "central": "Middle of the back",
    "left": "Left side",
    "right": "Right side",
    "buttock": "Buttock",
    "thigh": "Thigh",
    "below_knee": "Below the knee",
}
SOURCE_FORMAT_WORDS = {
    "manual": "entered by hand",
    "fit": "FIT file",
    "gpx": "GPX file",
    "tcx": "TCX file",
}


def in_words(code: str | None, words: dict[str, str]) -> str:
    """A code as its words; an unknown code with its underscores as spaces, capitalised."""
    if not code:
        return ""
    return words.get(code, code.replace("_", " ").capitalize())


@register.filter
def terrain_words(code: str | None) -> str:
    return in_words(code, TERRAIN_WORDS)


@register.filter
def surface_words(code: str | None) -> str:
    return in_words(code, SURFACE_WORDS)


@register.filter
def view_words(code: str | None) -> str:
    return in_words(code, VIEW_WORDS)


@register.filter
def status_words(code: str | None) -> str:
    return in_words(code, STATUS_WORDS)


@register.filter
def location_words(code: str | None) -> str:
    return in_words(code, LOCATION_WORDS)


@register.filter
def format_words(code: str | None) -> str:
    return SOURCE_FORMAT_WORDS.get(code or "", (code or "").replace("_", " ").upper())


@register.filter
def file_name(path: str | None) -> str:
    """The file's own name, without the folders it was imported from (Windows or POSIX)."""
    return PureWindowsPath(path or "").name


# "Cook SD, ..." / "da Silva T, ..." / "Frandsen et al. ...": a first author's surname (and initials).
_SURNAME = r"(?:[Dd][ae] |[Vv]an (?:der )?|[Vv]on )?[A-Z][\w'’-]+"
_AUTHOR = re.compile(rf"({_SURNAME})(?: [A-Z]{{1,4}}(?=[,.]|$)| (?=et al))")
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")


def source_label(source: Source | str) -> str:
    """A source said briefly, as a link to it reads: "Cook et al. (1985)", "Roland and Morris (1983)"
    for a paper with authors, the title of a seed or a page otherwise; never the internal id."""
    if isinstance(source, str):
        source = catalog.source(source)
    if source.kind == "app_policy":
        return "backstride's own choice (no study gives a number)"
    if source.title:
        return source.title
    authors, _, rest = source.citation.partition(". ")
    names = [_AUTHOR.match(name.strip()) for name in authors.split(",")]
    year = _YEAR.search(source.citation)
    when = f" ({year.group(1)})" if year else ""
    if names[0]:
        if len(names) == 2 and names[1]:
            return f"{names[0].group(1)} and {names[1].group(1)}{when}"
        more = " et al." if len(names) > 1 or "et al" in authors else ""
        return f"{names[0].group(1)}{more}{when}"
    title = rest.split(". ")[0].strip().rstrip(".") or authors
    return f"{title}{when}" if year and year.group(1) not in title else title


register.filter("source_label", source_label)
