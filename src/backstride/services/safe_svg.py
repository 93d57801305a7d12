"""SVG made safe to put inline in a page: an allow-list of elements and attributes, rebuilt.

Charts are inline SVG (they scale with the page, their text is real text for screen readers and
the PDF, and a page needs no second request per chart). vl-convert already escapes the text it
draws, but a chart's labels come from the user's data, so every SVG is parsed (defusedxml: no DTD,
no entities) and written out again keeping only what drawing needs:

- elements: shapes, text, groups and their definitions (gradients, clip paths, markers); never
  ``script``, ``style``, ``foreignObject``, ``image``, ``a``, ``iframe`` or animation (a dropped
  element goes with everything inside it);
- attributes: geometry, presentation and accessibility (``aria-*``, ``role``) ones; never an event
  handler (``on*``); ``href`` only to a fragment of the same SVG (``#id``); a ``url(...)`` only as
  ``url(#id)``; nothing with ``javascript:`` in it;
- a ``style`` attribute is turned into presentation attributes (which the page's
  Content-Security-Policy allows; an inline style attribute it forbids) and is otherwise dropped.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

from defusedxml.ElementTree import fromstring

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

ELEMENTS = frozenset(
    {
        "svg", "g", "defs", "title", "desc", "symbol", "use",
        "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
        "text", "tspan", "textPath",
        "clipPath", "mask", "marker", "pattern", "linearGradient", "radialGradient", "stop",
    }
)  # fmt: skip
PRESENTATION = frozenset(
    {
        "alignment-baseline", "baseline-shift", "clip-path", "clip-rule", "color", "display",
        "dominant-baseline", "fill", "fill-opacity", "fill-rule", "font-family", "font-size",
        "font-size-adjust", "font-stretch", "font-style", "font-variant", "font-weight",
        "letter-spacing", "marker-end", "marker-mid", "marker-start", "mask", "opacity", "overflow",
        "paint-order", "pointer-events", "shape-rendering", "stop-color", "stop-opacity", "stroke",
        "stroke-dasharray", "stroke-dashoffset", "stroke-linecap", "stroke-linejoin",
        "stroke-miterlimit", "stroke-opacity", "stroke-width", "text-anchor", "text-decoration",
        "text-rendering", "vector-effect", "visibility", "word-spacing", "writing-mode",
    }
)  # fmt: skip
ATTRIBUTES = PRESENTATION | frozenset(
    {
        "id", "class", "role", "lang", "focusable", "version", "viewBox", "preserveAspectRatio",
        "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "width", "height",
        "d", "points", "transform", "pathLength", "dx", "dy", "rotate", "textLength",
        "lengthAdjust", "startOffset", "offset", "gradientUnits", "gradientTransform",
        "spreadMethod", "clipPathUnits", "maskUnits", "maskContentUnits", "patternUnits",
        "patternContentUnits", "patternTransform", "markerWidth", "markerHeight", "markerUnits",
        "refX", "refY", "orient",
    }
)  # fmt: skip
ARIA = re.compile(r"aria-[a-z]+\Z")
LOCAL_URL = re.compile(r"url\(\s*(['\"]?)#[\w.:-]+\1\s*\)")
LOCAL_HREF = re.compile(r"#[\w.:-]+\Z")
DECLARATION = re.compile(r"\s*([a-zA-Z-]+)\s*:\s*([^;]*?)\s*(?:;|\Z)")
CONTROL = re.compile(r"[\x00-\x20\x7f]+")


class UnsafeSvg(ValueError):
    """Not an SVG document (or not well-formed XML)."""


def safe_svg(svg: str) -> str:
    """The SVG rebuilt from the allow-list; raises UnsafeSvg when it is not an SVG at all."""
    try:
        root = fromstring(svg)
    except Exception as error:  # ParseError, and defusedxml's refusals of DTDs and entities
        raise UnsafeSvg(f"not well-formed SVG: {error}") from error
    if root.tag != f"{{{SVG_NS}}}svg":
        raise UnsafeSvg(f"the root element is {root.tag!r}, not svg")
    out: list[str] = []
    _write(root, out, is_root=True)
    return "".join(out)


def _local(tag: object) -> str | None:
    """The SVG element's name, or None for anything outside the SVG namespace (or a comment)."""
    if not isinstance(tag, str) or not tag.startswith(f"{{{SVG_NS}}}"):
        return None
    return tag[len(SVG_NS) + 2 :]


def _safe_value(value: str) -> bool:
    squeezed = CONTROL.sub("", value).lower()
    if "javascript:" in squeezed or "expression(" in squeezed or "\\" in value:
        return False
    return "url(" not in squeezed or LOCAL_URL.fullmatch(value.strip()) is not None


def _attributes(element: Element) -> dict[str, str]:
    kept: dict[str, str] = {}
    for name, value in element.attrib.items():
        if name in (f"{{{XLINK_NS}}}href", "href"):
            if LOCAL_HREF.match(value.strip()):
                kept["href"] = value.strip()
        elif (name in ATTRIBUTES or ARIA.match(name)) and _safe_value(value):
            kept[name] = value
    # A style attribute becomes presentation attributes; an attribute set directly wins.
    for prop, value in DECLARATION.findall(element.attrib.get("style", "")):
        prop = prop.lower()
        if prop in PRESENTATION and prop not in kept and value and _safe_value(value):
            kept[prop] = value
    return kept


def _escape(text: str, quote: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if quote else text


def _write(element: Element, out: list[str], is_root: bool = False) -> None:
    name = _local(element.tag)
    if name is None or name not in ELEMENTS:
        return  # dropped with everything inside it (its tail text is kept by the caller)
    attributes = _attributes(element)
    if is_root:
        attributes = {"xmlns": SVG_NS, **attributes}
    out.append(f"<{name}")
    out.extend(f' {key}="{_escape(value, quote=True)}"' for key, value in attributes.items())
    out.append(">")
    if element.text:
        out.append(_escape(element.text))
    for child in element:
        _write(child, out)
        if child.tail:
            out.append(_escape(child.tail))
    out.append(f"</{name}>")
