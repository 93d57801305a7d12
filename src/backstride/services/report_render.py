"""The clinician report laid out: the template context shared by the /report/ page and the PDF, and
the PDF itself (WeasyPrint, imported only when a PDF is made).

The PDF is made offline: WeasyPrint's fetcher is replaced by one that serves only our own static
files and the acting runner's form-check pictures, and refuses every other address (no network, no
file outside the static folder)."""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

from django.contrib.auth.models import User
from django.template.loader import render_to_string

from .errors import BackstrideError
from .gait import image_png
from .report_charts import PHONE_WIDTH, pain_chart_legend, pain_chart_svg, pain_chart_text
from .report_types import ProgressionRow, ReportData

if TYPE_CHECKING:
    from weasyprint.urls import URLFetcherResponse

PAGE_SIZES = {"a4": "A4", "letter": "letter"}  # --paper and the web choice -> CSS @page size
STATIC_ROOT = Path(__file__).resolve().parent.parent / "web" / "static"
BASE_URL = "http://backstride.invalid/"  # relative links in the report resolve here, and nowhere else
MONTHS_AFTER_WEEKS = 26  # a longer period's training table has a row per month
PANGO_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0"
TABLE_ROWS = 15  # flares, spikes and flagged weeks listed on the page: the most recent ones


class TrainingRow(TypedDict):
    label: str
    distance_m: float
    duration_s: float
    sessions: int
    srpe_au: float
    elevation_gain_m: float | None


class PdfUnavailable(BackstrideError):
    """WeasyPrint or the system libraries it needs are missing."""


def report_context(data: ReportData, *, page: bool = False) -> dict[str, Any]:
    """What web/_report_body.html reads beside the data: the chart, its words, the training rows
    (by week, or by month over a long period) and the weeks whose 2-week progression was flagged."""
    pain = data.get("pain")
    rows, by = training_rows(data)
    flagged: list[ProgressionRow] = [row for row in pain["progression"] if row["flagged"]] if pain else []
    flares, spikes = (pain["flares"], pain["spikes"]) if pain else ([], [])
    made = datetime.fromisoformat(data["generated_at"])
    return {
        "report": data,
        "generated": f"{made:%Y-%m-%d %H:%M}",
        "pain_chart": pain_chart_svg(pain) if pain else None,
        # The /report/ page (``page``) also draws a phone-width chart; the PDF has its own heading.
        "pain_chart_phone": pain_chart_svg(pain, PHONE_WIDTH) if pain and page else None,
        "standalone": not page,
        "pain_text": pain_chart_text(pain) if pain else "",
        "pain_legend": pain_chart_legend(pain) if pain else "",
        # Long periods: the most recent rows of each list (all of them are in the JSON).
        "flares_shown": flares[-TABLE_ROWS:],
        "flares_more": max(0, len(flares) - TABLE_ROWS),
        "spikes_shown": spikes[-TABLE_ROWS:],
        "spikes_more": max(0, len(spikes) - TABLE_ROWS),
        "flagged_weeks": flagged[-TABLE_ROWS:],
        "flagged_more": max(0, len(flagged) - TABLE_ROWS),
        "training_rows": rows,
        "training_by": by,
        "training_first_column": "Month" if by == "By month" else "Week of",
    }


def training_rows(data: ReportData) -> tuple[list[TrainingRow], str]:
    training = data.get("training")
    if not training:
        return [], ""
    weeks = training["weeks"]
    if len(weeks) <= MONTHS_AFTER_WEEKS:
        return [
            {
                "label": week["week_start"],
                "distance_m": week["distance_m"],
                "duration_s": week["duration_s"],
                "sessions": week["sessions"],
                "srpe_au": week["srpe_au"],
                "elevation_gain_m": week["elevation_gain_m"],
            }
            for week in weeks
        ], "By week"
    months: dict[str, TrainingRow] = defaultdict(
        lambda: {
            "label": "",
            "distance_m": 0.0,
            "duration_s": 0.0,
            "sessions": 0,
            "srpe_au": 0.0,
            "elevation_gain_m": None,
        }
    )
    for week in weeks:  # a week counts in the month its Monday is in
        month = months[week["week_start"][:7]]
        month["label"] = f"{date.fromisoformat(week['week_start']):%b %Y}"
        month["distance_m"] += week["distance_m"]
        month["duration_s"] += week["duration_s"]
        month["sessions"] += week["sessions"]
        month["srpe_au"] += week["srpe_au"]
        if week["elevation_gain_m"] is not None:
            month["elevation_gain_m"] = (month["elevation_gain_m"] or 0.0) + week["elevation_gain_m"]
    return list(months.values()), "By month"


def report_html(data: ReportData) -> str:
    """The report as one HTML document for the PDF (no navigation, its own print stylesheet)."""
    return render_to_string("web/report_pdf.html", report_context(data))


def report_pdf(data: ReportData, user: User, paper: str = "a4") -> bytes:
    """The report as a PDF on A4 or US Letter paper. PdfUnavailable names what to install when
    WeasyPrint or its system libraries are missing."""
    try:
        import weasyprint
    except (ImportError, OSError) as error:  # OSError: pango's shared libraries are not installed
        raise PdfUnavailable(
            f"cannot make a PDF: WeasyPrint needs the system libraries {PANGO_PACKAGES} "
            f"(Debian/Ubuntu: sudo apt-get install {PANGO_PACKAGES}), then try again ({error})"
        ) from None
    fetcher = offline_fetcher(weasyprint, user)
    size = weasyprint.CSS(string=f"@page {{ size: {PAGE_SIZES.get(paper, 'A4')}; }}")
    # WeasyPrint logs each CSS rule it skips (the page's screen-only rules) and each address the
    # fetcher refuses as a warning; neither is the runner's to act on, so they stay out of the output.
    logger = logging.getLogger("weasyprint")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        document = weasyprint.HTML(string=report_html(data), base_url=BASE_URL, url_fetcher=fetcher)
        pdf: bytes = document.write_pdf(stylesheets=[size])
    finally:
        logger.setLevel(level)
    return pdf


FORM_IMAGE = re.compile(r"/form/(\d+)/image/(\d+)\.png")


def offline_fetcher(weasyprint: Any, user: User) -> Any:
    """A WeasyPrint URL fetcher that answers from this machine only: /static/... from the package's
    static folder, /form/<check>/image/<image>.png from the runner's own form checks. Anything else
    (another host, file:, data:, a path out of the static folder) is refused, and WeasyPrint leaves
    it out of the PDF."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class OfflineFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
            if not url.startswith(BASE_URL):
                raise ValueError(f"the report loads nothing from outside backstride: {url[:80]}")
            path = "/" + url[len(BASE_URL) :].split("?", 1)[0].split("#", 1)[0]
            if path.startswith("/static/"):
                file = (STATIC_ROOT / path.removeprefix("/static/")).resolve()
                if not file.is_relative_to(STATIC_ROOT) or not file.is_file():
                    raise ValueError(f"no such static file: {path[:80]}")
                kind = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}.get(file.suffix)
                return URLFetcherResponse(
                    url, file.read_bytes(), {"Content-Type": kind or "application/octet-stream"}
                )
            match = FORM_IMAGE.fullmatch(path)
            if match:
                png = image_png(user, int(match[1]), int(match[2]))  # the runner's own, or NotFound
                return URLFetcherResponse(url, png, {"Content-Type": "image/png"})
            raise ValueError(f"the report loads only its own files: {path[:80]}")

    return OfflineFetcher(fail_on_errors=False, allowed_protocols=("http",))
