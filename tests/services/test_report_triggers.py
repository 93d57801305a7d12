"""The clinician report's "What went with the pain" section (issue 16 item 5): on the demo runner
(shared activity files plus a diary planted to hurt after hilly runs) the findings with intervals,
day counts and "association, not proof", the method and the factors left out, in the JSON, the HTML
and the PDF; with two weeks of data what is missing; absent when the section is not chosen."""

from __future__ import annotations

import json
from io import BytesIO

import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from tests.conftest import ARTIFACTS
from tests.triggers_demo import make_demo_runner

from backstride.cli import main
from backstride.config import local_today
from backstride.services.report_data import build_report
from backstride.services.report_render import report_html, report_pdf
from backstride.services.report_sections import DEFAULT_SECTIONS, SECTION_TITLES, SECTIONS
from backstride.services.users import local_user

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_ok]
TITLE = "What went with the pain"
# `backstride report --format json`'s "triggers" keys: a public contract (add, never rename or remove).
TRIGGERS_KEYS = [
    "as_of",
    "window_days",
    "ready",
    "missing",
    "checkin_days",
    "rated_runs",
    "flares",
    "findings",
    "tests",
    "left_out",
    "joint",
    "association_not_cause",
    "method",
]


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


@pytest.fixture
def sixteen_weeks():
    user, today = local_user(), local_today()
    make_demo_runner(user, today, weeks=16)
    return user, today


def test_the_section_is_chosen_by_default_after_training():
    assert SECTION_TITLES["triggers"] == TITLE and "triggers" in DEFAULT_SECTIONS
    assert SECTIONS.index("triggers") == SECTIONS.index("training") + 1


def test_the_findings_with_intervals_days_and_the_method(sixteen_weeks):
    user, today = sixteen_weeks
    data = build_report(user, None, None, ("triggers",), today)
    section = data["triggers"]
    assert list(section) == TRIGGERS_KEYS
    assert section["ready"] and section["as_of"] == today.isoformat() and section["window_days"] == 365
    top = section["findings"][0]
    assert (top["factor"], top["outcome"], top["lag_days"]) == ("hilly_run", "next_morning", 0)
    assert top["low"] <= 1.5 <= top["high"] and top["days"] >= 80  # the planted 1.5 points
    assert "an association, not proof of cause" in top["sentence"]
    assert section["association_not_cause"] is True
    assert "Holm" in section["method"] and f"{section['tests']} comparisons" in section["method"]
    assert section["left_out"] and all(row["reason"] for row in section["left_out"])

    html = report_html(data)
    assert 'id="report-triggers"' in html and TITLE in html
    assert top["sentence"].replace("'", "&#x27;") in html
    assert f'<td class="num">{top["days"]}</td>' in html
    assert "Associations, not proof of cause" in html and "Method: One regression per factor" in html
    assert "Left out for too few days or too little variation" in html
    # What the joint model made of each finding, beside it (descent only came along with the hills).
    assert "<em>Taken together with runs with over 15 m climb per km, this one no longer stands out" in html


def test_the_json_of_the_command_line_adds_the_section(sixteen_weeks):
    result = CliRunner().invoke(main, ["report", "--sections", "summary,triggers", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["sections"] == ["summary", "triggers"] and data["section_titles"]["triggers"] == TITLE
    assert list(data["triggers"]) == TRIGGERS_KEYS
    assert data["triggers"]["findings"][0]["factor_title"] == "Hilly runs"


def test_the_pdf_holds_the_findings_in_words(sixteen_weeks):
    user, today = sixteen_weeks
    data = build_report(user, None, None, DEFAULT_SECTIONS, today)
    pdf = report_pdf(data, user)
    (ARTIFACTS / "report").mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "report" / "triggers-demo.pdf").write_bytes(pdf)  # to look at (test-artifacts/report/)
    text = " ".join(pdf_text(pdf).split())
    top = data["triggers"]["findings"][0]
    assert TITLE in text and "Hilly runs" in text
    assert f"likely between {abs(top['low']):.1f} and {abs(top['high']):.1f}" in text
    assert f"{top['days']} days" in text and "not proof of cause" in text
    assert text.index(TITLE) > text.index(SECTION_TITLES["training"])


def test_two_weeks_say_what_is_missing():
    user, today = local_user(), local_today()
    make_demo_runner(user, today, weeks=2)
    data = build_report(user, None, None, ("triggers",), today)
    section = data["triggers"]
    assert not section["ready"] and section["findings"] == []
    assert section["missing"][0].startswith("7 more weeks of check-ins")
    html = report_html(data)
    assert "Not analysed yet: too few days. Still needed:" in html and "7 more weeks of check-ins" in html
    pdf = report_pdf(data, user)
    (ARTIFACTS / "report").mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "report" / "triggers-two-weeks.pdf").write_bytes(pdf)  # to look at
    text = " ".join(pdf_text(pdf).split())
    assert "7 more weeks of check-ins" in text and TITLE in text


def test_left_out_when_not_chosen(sixteen_weeks):
    user, today = sixteen_weeks
    data = build_report(user, None, None, ("summary", "training"), today)
    assert "triggers" not in data and "triggers" not in data["section_titles"]
    html = report_html(data)
    assert TITLE not in html and 'id="report-triggers"' not in html
    result = CliRunner().invoke(main, ["report", "--sections", "pain", "--format", "json"])
    assert "triggers" not in json.loads(result.output)
