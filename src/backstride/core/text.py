"""Text as it may be stored: every string that comes from a person or a file passes here first.

PostgreSQL refuses NUL in text (one NUL aborted a whole import batch), and other control characters
only confuse the pages and reports that show them. Also ``counted``: a number with its word, singular
or plural, for every page, report and command that says how many. Pure.
"""

from __future__ import annotations

import unicodedata

# Line breaks and tabs stay in free text (a diary note); everything else in Unicode's "Cc" (control)
# category goes, as do lone surrogates, which cannot be encoded as UTF-8 at all.
_KEPT_IN_MULTILINE = frozenset("\n\t")


def clean_text(value: str, *, multiline: bool = False) -> str:
    """``value`` without NUL, control characters and lone surrogates. A one-line field (a name) has its
    line breaks and tabs turned into spaces; a multiline one (a note) keeps them, with CR LF as LF."""
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    kept = []
    for char in value:
        if multiline and char in _KEPT_IN_MULTILINE:
            kept.append(char)
        elif char in "\n\r\t":
            kept.append(" ")
        elif unicodedata.category(char) in ("Cc", "Cs"):
            continue
        else:
            kept.append(char)
    return "".join(kept)


def counted(number: int, word: str, many: str | None = None) -> str:
    """ "1 day", "2 days"; ``many`` for a plural that is not the word plus "s" ("2 activities")."""
    return f"{number} {word if number == 1 else many or word + 's'}"
