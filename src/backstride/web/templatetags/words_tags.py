"""Stored codes said as words on the pages (issue 13 item 2): a runner reads "Mostly uphill", not
"uphill_heavy". The codes stay what the database, the CLI and the JSON use."""

from __future__ import annotations

from pathlib import PureWindowsPath

from django import template

register = template.Library()

TERRAIN_WORDS = {"flat": "Flat", "hilly": "Hilly", "uphill_heavy": "Mostly uphill"}
SURFACE_WORDS = {
    "road": "Road",
    "track": "Track",
    "trail": "Trail",
    "grass": "Grass",
    "treadmill": "Treadmill",
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
def format_words(code: str | None) -> str:
    return SOURCE_FORMAT_WORDS.get(code or "", (code or "").replace("_", " ").upper())


@register.filter
def file_name(path: str | None) -> str:
    """The file's own name, without the folders it was imported from (Windows or POSIX)."""
    return PureWindowsPath(path or "").name
