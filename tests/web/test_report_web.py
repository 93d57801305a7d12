"""The /report/ page and its PDF (issue 14 item 1): the form and the report below it, the PDF's
content type and file name, and bad dates or no section sent back with a clear error, keeping what was
typed and making no report."""

from __future__ import annotations

import re
from datetime import timedelta
from io import BytesIO

import pytest
from pypdf import PdfReader
from tests.conftest import ARTIFACTS
from tests.services.report_seed import seed_ten_weeks

from backstride.config import local_today
from backstride.services.report_sections import SECTION_TITLES
from backstride.services.users import local_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def ten_weeks():
    return seed_ten_weeks(local_user(), local_today())


def test_the_page_shows_the_form_and_the_default_report(client, ten_weeks):
    response = client.get("/report/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="from"' in page and 'name="sections" value="notes"' in page
    assert 'value="notes">' in page  # the private notes are not ticked by default
    for name in SECTION_TITLES:
        assert (f'id="report-{name}"' in page) == (name != "notes"), name
    assert "Information from backstride, not a diagnosis" in page
    assert "<svg" in page  # the chart, inline
    assert 'href="/report/pdf/?' in page and "Download PDF" in page
    # The CSP allows no inline style or script: the page brings none.
    assert not re.search(r"<style|\sstyle=|<script(?![^>]*\ssrc=)", page)


def test_the_chosen_sections_only(client, ten_weeks):
    page = client.get("/report/", {"shown": "1", "sections": ["pain", "notes"]}).content.decode()
    assert 'id="report-pain"' in page and 'id="report-notes"' in page
    assert 'id="report-summary"' not in page and 'id="report-check"' not in page


def test_the_whole_default_pdf_from_the_web(client, ten_weeks):
    response = client.get("/report/pdf/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    (ARTIFACTS / "report").mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "report" / "ten-weeks-web.pdf").write_bytes(response.content)  # to look at


def test_the_pdf_download(client, ten_weeks):
    today = local_today()
    start = (today - timedelta(days=27)).isoformat()
    query = {"from": start, "to": today.isoformat(), "shown": "1", "sections": ["summary"], "paper": "letter"}
    response = client.get("/report/pdf/", query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="backstride-report-{start}-to-{today.isoformat()}.pdf"'
    )
    reader = PdfReader(BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert SECTION_TITLES["summary"] in text and SECTION_TITLES["pain"] not in text
    assert round(float(reader.pages[0].mediabox.width)) == 612


@pytest.mark.parametrize("url", ["/report/", "/report/pdf/"])
def test_bad_dates_say_what_to_do_and_keep_what_was_typed(client, url):
    response = client.get(url, {"from": "2026-02-30", "to": "soon", "shown": "1", "sections": ["summary"]})
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "From is not a day of the calendar" in page and "To must be a date written YYYY-MM-DD" in page
    assert 'value="2026-02-30"' in page and 'value="soon"' in page
    assert 'aria-invalid="true"' in page and 'id="report-summary"' not in page


def test_dates_the_wrong_way_round_and_no_section(client):
    page = client.get("/report/", {"from": "2026-05-02", "to": "2026-05-01", "shown": "1"}).content.decode()
    assert "swap the two dates" in page and "Tick at least one section" in page
