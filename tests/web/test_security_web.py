"""Content-Security-Policy on every response, pages that need nothing it forbids, and chart SVG that
stays inert whatever the data holds (issue 11, item 9)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from defusedxml.ElementTree import fromstring
from tests.web.pages import HOSTILE, seed_every_page

from backstride.knowledge.exercises import exercises
from backstride.services import outcome_charts
from backstride.services.exercises import picture
from backstride.services.safe_svg import UnsafeSvg, safe_svg
from backstride.web.security import CONTENT_SECURITY_POLICY

pytestmark = pytest.mark.django_db
EXPECTED = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


class InlineCode(HTMLParser):
    """What a strict CSP blocks in a page: inline scripts, style elements and attributes, on* handlers,
    javascript: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script" and not names.get("src"):
            self.found.append("inline <script>")
        if tag == "style":
            self.found.append("<style> element")
        for name, value in attrs:
            if name == "style":
                self.found.append(f"style attribute on <{tag}>")
            if name.startswith("on"):
                self.found.append(f"{name} handler on <{tag}>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"javascript: URL on <{tag}>")


def test_the_policy_is_the_one_the_issue_asks_for():
    assert CONTENT_SECURITY_POLICY == EXPECTED


def test_every_page_static_file_and_error_carries_the_header_and_needs_nothing_it_forbids(client):
    pages = seed_every_page()
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Content-Security-Policy"] == EXPECTED, path
        page = response.content.decode()
        parser = InlineCode()
        parser.feed(page)
        assert parser.found == [], (path, parser.found)
        assert "<script>alert" not in page and "<img src=x" not in page, path  # typed text stays text
    for path, status in (
        ("/static/css/backstride.css", 200),
        ("/activities/999999/", 404),
        ("/no-such-page/", 404),
    ):
        response = client.get(path)
        assert response.status_code == status, path
        assert response["Content-Security-Policy"] == EXPECTED, path
    refused = client.post("/diary/", {"pain_now": "11"})  # a form with its errors
    assert refused.status_code == 400 and refused["Content-Security-Policy"] == EXPECTED


def test_htmx_is_told_not_to_inject_styles_or_evaluate_code(client):
    page = client.get("/today/").content.decode()
    config = re.search(r'<meta name="htmx-config" content=\'([^\']*)\'', page)
    assert config is not None
    assert '"includeIndicatorStyles":false' in config.group(1) and '"allowEval":false' in config.group(1)


def _svg_names(svg: str) -> tuple[set[str], set[str]]:
    root = fromstring(svg)
    tags = {element.tag.rsplit("}", 1)[-1] for element in root.iter()}
    attributes = {name for element in root.iter() for name in element.attrib}
    return tags, attributes


def _assert_inert(svg: str) -> None:
    tags, attributes = _svg_names(svg)
    assert not tags & {"script", "foreignObject", "style", "image", "a", "iframe", "animate", "set"}, tags
    assert not [name for name in attributes if name.lower().startswith("on")], attributes
    assert "style" not in attributes
    assert "javascript:" not in svg.lower()


def test_a_chart_whose_data_holds_markup_comes_out_inert():
    history = {
        "ratings": [
            {"created_at": f"2026-0{n}-01", "mean": n, "activities": [{"name": HOSTILE, "rating": n}]}
            for n in (1, 2)
        ]
    }
    svg = outcome_charts.activities_svg(history)
    assert svg is not None
    _assert_inert(svg)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg  # drawn as the label's text


HOSTILE_SVG = """<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
  onload="alert(1)" width="10" height="10" viewBox="0 0 10 10">
  <script>alert(2)</script>
  <style>rect { fill: url(https://evil.example/x) }</style>
  <foreignObject><div xmlns="http://www.w3.org/1999/xhtml" onclick="alert(3)">x</div></foreignObject>
  <a href="javascript:alert(4)"><text>link</text></a>
  <image href="https://evil.example/track.png" width="1" height="1"/>
  <animate attributeName="href" to="javascript:alert(5)"/>
  <g onclick="alert(6)" fill="url(https://evil.example/p)" stroke="url(#grad)" class="kept">
    <rect width="5" height="5" style="fill: #f00; stroke-width: 2; background: url(https://evil.example/b);
      cursor: pointer" fill-opacity="0.5"/>
    <use xlink:href="https://evil.example/sprite.svg#a"/>
    <use xlink:href="#shape"/>
    <text x="1" y="2" font-size="3">a &lt;b&gt; &amp; c<tspan dy="1">d</tspan></text>
  </g>
</svg>"""


def test_the_sanitiser_keeps_drawing_and_drops_everything_that_could_run_or_fetch():
    svg = safe_svg(HOSTILE_SVG)
    _assert_inert(svg)
    assert "evil.example" not in svg and "alert" not in svg
    assert '<g stroke="url(#grad)" class="kept">' in svg  # an external paint server is dropped
    # The style attribute became presentation attributes; the attribute set directly wins.
    assert '<rect width="5" height="5" fill-opacity="0.5" fill="#f00" stroke-width="2">' in svg
    assert "<use></use>" in svg and '<use href="#shape"></use>' in svg  # only a reference within
    assert '<text x="1" y="2" font-size="3">a &lt;b&gt; &amp; c<tspan dy="1">d</tspan></text>' in svg
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" viewBox=')


@pytest.mark.parametrize(
    "document",
    [
        "<html><script>alert(1)</script></html>",
        "not xml at all <",
        '<!DOCTYPE svg [<!ENTITY x "boom">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
        "<svg><rect/></svg>",  # no SVG namespace: not an SVG document
    ],
)
def test_the_sanitiser_refuses_what_is_not_an_svg_document(document):
    with pytest.raises(UnsafeSvg):
        safe_svg(document)


def test_exercise_pictures_need_nothing_the_allow_list_drops():
    """Drawn by core.figures from the knowledge files (no user text): presentation attributes only."""
    for exercise_id in exercises():
        for stacked in (False, True):
            svg = picture(exercise_id, stacked=stacked)
            assert _svg_names(safe_svg(svg)) == _svg_names(svg), exercise_id
            _assert_inert(svg)
