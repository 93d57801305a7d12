"""What a runner reads on a page: its text nodes, without the parts meant for a clinician or a
machine (issue 13 item 2). Shared by the tests of plain words."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Read by a person only one tap away ("For your clinician") or not read at all.
HIDDEN = frozenset({"details", "code", "script", "style", "head", "noscript"})
VOID = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"})

SNAKE_CASE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
# Rule ids as knowledge/*.yaml write them: E1, D3, BS-1, IBP-1, G-all, DOSE-BASE, GAIT-CADENCE-RETRAIN.
# Not a DOI's tail ("10.7326/M16-2367") nor initials ("Tan J-S").
RULE_ID = re.compile(
    r"(?<![/\w-])(?:[A-Z]\d{1,2}(?:-[A-Za-z0-9]+)*|[A-Z]{2,}\d?(?:-[A-Z0-9]+)+|[A-Z]-(?:all|[A-Z0-9]{2,})(?:-[A-Z0-9]+)*)\b"
)
RAW_WORDS = re.compile(r"\(got |\bspec\b|\bred_flags\.")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.stack: list[str] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        self.stack.append(tag)
        if tag in HIDDEN:
            self.hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID or tag not in self.stack:
            return
        while self.stack:
            open_tag = self.stack.pop()
            if open_tag in HIDDEN:
                self.hidden -= 1
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def read_text(page: str) -> str:
    """The page's text a runner reads, folds and code left out, whitespace collapsed."""
    parser = _Text()
    parser.feed(page)
    return re.sub(r"\s+", " ", " ".join(parser.parts)).strip()


def main_text(page: str) -> str:
    """The text of the page's <main> only (the tab bar and the footer are the same on every page)."""
    found = re.search(r"<main\b.*?</main>", page, re.S)
    return read_text(found.group(0) if found else page)
