"""Draw the app icons (PNG, for the web app manifest) from the SVG mark, once; the PNGs are committed.

    .venv/bin/python scripts/make-icons.py

Uses Playwright with Debian's Chromium (as the browser tests do) to render
src/backstride/web/static/icons/backstride.svg at 192 and 512 px, and a "maskable" 512 px version whose
blue fills the whole square with the mark inside the middle 80 % (phones cut maskable icons to their
own shape).
"""

from __future__ import annotations

import base64
from pathlib import Path

from playwright.sync_api import sync_playwright

ICONS = Path(__file__).resolve().parents[1] / "src/backstride/web/static/icons"
CHROMIUM = "/usr/bin/chromium"
PAGE = """<!doctype html><html><head><style>
html, body {{ margin: 0; padding: 0; background: {background}; }}
img {{ display: block; width: {mark}px; height: {mark}px; margin: {margin}px; }}
</style></head><body><img src="data:image/svg+xml;base64,{svg}"></body></html>"""


def render(page: object, size: int, out: Path, *, maskable: bool = False) -> None:
    svg = (ICONS / "backstride.svg").read_text(encoding="utf-8")
    background = "transparent"
    mark, margin = size, 0
    if maskable:  # the safe zone is a circle of 80 % of the width: the mark at 70 % sits inside it
        background = "#1f5fbf"
        mark = round(size * 0.7)
        margin = (size - mark) // 2
    encoded = base64.b64encode(svg.encode()).decode()
    html = PAGE.format(background=background, mark=mark, margin=margin, svg=encoded)
    page.set_viewport_size({"width": size, "height": size})  # type: ignore[attr-defined]
    page.set_content(html)  # type: ignore[attr-defined]
    page.screenshot(path=str(out), omit_background=not maskable)  # type: ignore[attr-defined]
    print("wrote", out)


def main() -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], headless=True)
        page = browser.new_page()
        render(page, 192, ICONS / "backstride-192.png")
        render(page, 512, ICONS / "backstride-512.png")
        render(page, 512, ICONS / "backstride-maskable-512.png", maskable=True)
        browser.close()


if __name__ == "__main__":
    main()
