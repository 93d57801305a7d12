"""`backstride report` (issue 14 item 1): the PDF is written and its text holds each chosen section's
heading and no other (the private notes only when asked for), US Letter when asked, the JSON's keys are
a contract, bad options exit 2 naming them, and `--help` never loads WeasyPrint."""

from __future__ import annotations

import json
import subprocess
import sys
from io import BytesIO

import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from tests.conftest import ARTIFACTS
from tests.services.report_seed import NOTE, seed_ten_weeks

from backstride.cli import main
from backstride.config import local_today
from backstride.services.report_sections import SECTION_TITLES, SECTIONS
from backstride.services.users import local_user

pytestmark = pytest.mark.django_db
LOOK_AT = ARTIFACTS / "report"

# The JSON's keys: a public contract from this release on (add, never rename or remove).
TOP_KEYS = [
    "title",
    "runner",
    "period",
    "generated_at",
    "app_version",
    "sections",
    "section_titles",
    "disclaimer",
]
SECTION_KEYS = {
    "summary": [
        "as_of",
        "urgency",
        "pattern",
        "run_today",
        "run_today_why",
        "startback",
        "rmdq",
        "my_activities",
        "red_flags_ever",
        "doing_now",
        "missing",
    ],
    "check": [
        "check_id",
        "day",
        "urgency_headline",
        "likely_pattern_name",
        "run_today",
        "answers",
        "reasons",
        "missing",
    ],
    "pain": [
        "days",
        "days_logged",
        "mean_pain",
        "worst_pain",
        "flare_threshold",
        "flares",
        "red_flag_days",
        "spikes",
        "progression",
        "weekly_distance",
        "missing",
    ],
    "training": [
        "weeks",
        "total_distance_m",
        "total_duration_s",
        "runs",
        "long_runs",
        "long_run_rule",
        "surfaces",
        "terrain",
        "elevation_gain_m",
        "shoes",
        "missing",
    ],
    "plan": ["weeks", "weeks_shown_from", "done_total", "planned_total", "missing"],
    "form": ["checks", "missing"],
    "notes": ["notes", "missing"],
}
NESTED_KEYS = {
    ("summary", "urgency"): [
        "urgency",
        "urgency_when",
        "headline",
        "action",
        "source",
        "day",
        "rules",
        "why",
    ],
    ("summary", "doing_now"): [
        "stage",
        "stage_reason",
        "plan_blocked",
        "this_week_done",
        "this_week_planned",
        "km_last_7_days",
        "km_last_28_days",
        "runs_last_28_days",
        "pain_last_7_days",
    ],
}


def pdf_text(data: bytes) -> tuple[str, PdfReader]:
    reader = PdfReader(BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages), reader


@pytest.fixture
def ten_weeks():
    return seed_ten_weeks(local_user(), local_today())


def test_the_pdf_holds_the_chosen_sections_and_no_other(ten_weeks, tmp_path):
    out = tmp_path / "report.pdf"
    result = CliRunner().invoke(main, ["report", "--pdf", str(out)])
    assert result.exit_code == 0, result.output
    assert "written to" in result.output
    text, reader = pdf_text(out.read_bytes())
    LOOK_AT.mkdir(parents=True, exist_ok=True)
    (LOOK_AT / "ten-weeks-cli.pdf").write_bytes(out.read_bytes())  # to look at (test-artifacts/report/)
    for name in SECTIONS:
        assert (SECTION_TITLES[name] in text) == (name != "notes"), name  # notes are private: off by default
    assert NOTE not in text
    assert "Information from backstride, not a diagnosis" in reader.pages[-1].extract_text()
    assert f"Page 1 of {len(reader.pages)}" in reader.pages[0].extract_text()
    assert "not given" in reader.pages[0].extract_text()  # the runner's name: none stored
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)  # A4 in points


def test_notes_when_asked_for_on_letter_paper(ten_weeks, tmp_path):
    out = tmp_path / "notes.pdf"
    args = ["report", "--sections", "notes,summary", "--paper", "letter", "--pdf", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    text, reader = pdf_text(out.read_bytes())
    assert SECTION_TITLES["notes"] in text and NOTE in text
    assert SECTION_TITLES["pain"] not in text and SECTION_TITLES["check"] not in text
    page = reader.pages[0].mediabox
    assert (round(float(page.width)), round(float(page.height))) == (612, 792)  # US Letter


def test_json_keys_are_pinned(ten_weeks):
    result = CliRunner().invoke(main, ["report", "--sections", ",".join(SECTIONS), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert list(data) == TOP_KEYS + list(SECTIONS)
    for name, keys in SECTION_KEYS.items():
        assert list(data[name]) == keys, name
    for (name, part), keys in NESTED_KEYS.items():
        assert list(data[name][part]) == keys, (name, part)
    default = json.loads(CliRunner().invoke(main, ["report", "--format", "json"]).output)
    assert "notes" not in default and default["sections"] == [name for name in SECTIONS if name != "notes"]


def test_an_empty_runner_still_gets_a_pdf(tmp_path):
    out = tmp_path / "empty.pdf"
    result = CliRunner().invoke(main, ["report", "--sections", "summary,training", "--pdf", str(out)])
    assert result.exit_code == 0, result.output
    text, _ = pdf_text(out.read_bytes())
    assert "No full symptom check yet" in text and "No runs in this period" in text


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--sections", "summary,xray", "--format", "json"], "unknown section 'xray'"),
        (["--from", "2026-13-01", "--format", "json"], "--from"),
        (["--from", "2026-05-01", "--to", "2026-04-01", "--format", "json"], "swap the two dates"),
        ([], "--pdf FILE"),
    ],
)
def test_bad_options_exit_2_naming_them(args, says):
    result = CliRunner().invoke(main, ["report", *args])
    assert result.exit_code == 2
    assert says in result.output


def test_help_does_not_load_weasyprint():
    code = (
        "import sys\nfrom backstride.cli import main\n"
        "try:\n    main(['report', '--help'])\nexcept SystemExit:\n    pass\n"
        "print('weasyprint' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "False"
