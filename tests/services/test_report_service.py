"""The clinician report's content (issue 14 item 1): each section from a runner with ten weeks of data,
sections left out are absent, the private notes only when asked for, an empty runner's report says
what is missing, and the PDF's fetcher reaches nothing but our own files."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests.services.report_seed import NOTE, PRIVATE_NOTE, seed_ten_weeks

from backstride.config import local_today
from backstride.services.errors import BadOptions, NotFound
from backstride.services.report_data import build_report, parse_sections
from backstride.services.report_render import BASE_URL, report_context, report_html
from backstride.services.report_sections import DEFAULT_SECTIONS, SECTIONS
from backstride.services.users import local_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    user, today = local_user(), local_today()
    return user, today, seed_ten_weeks(user, today)


def test_each_section_holds_what_the_app_computed(seeded):
    user, today, seed = seeded
    data = build_report(user, seed.first_day, today, SECTIONS, today)
    assert data["sections"] == list(SECTIONS)
    assert data["runner"] == {"name": "not given"}
    assert data["period"] == {"start": seed.first_day.isoformat(), "end": today.isoformat(), "days": 70}

    summary = data["summary"]
    assert summary["urgency"]["urgency"] == "self_manage" and summary["urgency"]["source"] == "check"
    assert summary["pattern"] is not None and "cannot diagnose" in summary["pattern"]["disclaimer"]
    assert summary["startback"] is not None and summary["startback"]["risk"] in ("low", "medium", "high")
    assert [row["score"] for row in summary["rmdq"]["scores"]] == [8, 2]
    assert summary["my_activities"]["mean_first"] == 3.5 and summary["my_activities"]["mean_latest"] == 7.5
    assert summary["my_activities"]["global_change"]["answer"] == "better"
    flagged = summary["red_flags_ever"]
    assert [(row["day"], row["source"], row["rules"]) for row in flagged] == [
        (seed.escalated_day.isoformat(), "check_in", ["E2"])
    ]
    assert "urine" in flagged[0]["what"][0]
    assert summary["doing_now"]["runs_last_28_days"] > 0 and summary["missing"] == []

    check = data["check"]
    assert check["check_id"] is not None and len(check["answers"]) > 40
    assert any(reason["answers_in_words"] for reason in check["reasons"])
    assert all(row["question"] and row["answer"] for row in check["answers"])

    pain = data["pain"]
    assert pain["days_logged"] == 70
    assert [(f["start"], f["end"]) for f in pain["flares"]] == [
        (seed.flare_days[0].isoformat(), seed.flare_days[-1].isoformat())
    ]
    assert pain["red_flag_days"] == [seed.escalated_day.isoformat()]
    assert pain["spikes"] and all(spike["ratio"] > 1.1 for spike in pain["spikes"])
    assert any(row["flagged"] for row in pain["progression"])  # the week after the flare's rest

    training = data["training"]
    assert training["runs"] == seed.runs
    assert {row["name"] for row in training["surfaces"]} == {"road", "trail"}
    assert [shoe["name"] for shoe in training["shoes"]] == ["Pegasus 40", "Speedgoat 5"]
    assert len(training["long_runs"]) == 5 and training["elevation_gain_m"] > 0

    plan = data["plan"]
    assert 1 <= len(plan["weeks"]) <= 8 and plan["done_total"] > 0

    form = data["form"]
    newest, oldest = form["checks"]
    assert newest["key_frames"] and not oldest["key_frames"]
    overstride = next(m for m in newest["metrics"] if m["name"] == "overstride_pct_leg")
    assert (overstride["median"], overstride["previous"], overstride["change"]) == (9.8, 14.5, -4.7)

    assert [row["note"] for row in data["notes"]["notes"]] == [PRIVATE_NOTE, NOTE]


def test_sections_left_out_are_absent_and_notes_are_off_by_default(seeded):
    user, today, _ = seeded
    data = build_report(user, None, None, DEFAULT_SECTIONS, today)
    assert "notes" not in data and data["sections"] == list(DEFAULT_SECTIONS)
    assert NOTE not in report_html(data) and PRIVATE_NOTE not in report_html(data)
    only = build_report(user, None, None, ("pain", "summary"), today)
    assert only["sections"] == ["summary", "pain"]
    assert not {"check", "training", "plan", "form", "notes"} & only.keys()
    html = report_html(only)
    assert "Pain and weekly distance" in html and "Latest full symptom check" not in html


def test_a_runner_with_nothing_recorded_gets_a_report_that_says_what_is_missing():
    user, today = local_user(), local_today()
    data = build_report(user, None, None, SECTIONS, today)
    for name in SECTIONS:
        assert data[name]["missing"], name  # every section says what it lacks
    assert data["summary"]["pattern"] is None and data["check"]["answers"] == []
    html = report_html(data)
    assert "No full symptom check yet" in html and "No runs in this period" in html
    assert report_context(data)["pain_chart"] is None


def test_sections_are_read_from_the_command_line_words():
    assert parse_sections(None) == DEFAULT_SECTIONS and parse_sections(" ") == DEFAULT_SECTIONS
    assert parse_sections("pain, Summary") == ("summary", "pain")
    with pytest.raises(BadOptions) as refused:
        parse_sections("summary,xrays")
    assert "xrays" in refused.value.problems[0][1] and "summary, check" in refused.value.problems[0][1]


def test_a_period_the_wrong_way_round_is_refused(seeded):
    user, today, _ = seeded
    with pytest.raises(BadOptions) as refused:
        build_report(user, today, today - timedelta(days=3), SECTIONS, today)
    assert "swap the two dates" in str(refused.value.problems)


def test_the_pdf_fetcher_serves_only_our_files(seeded):
    weasyprint = pytest.importorskip("weasyprint")
    from backstride.services.report_render import offline_fetcher

    user, _, seed = seeded
    fetch = offline_fetcher(weasyprint, user)
    css = fetch(BASE_URL + "static/css/report.css")
    assert b"@page" in css.read()
    for refused in (
        "https://example.com/tracker.png",
        "file:///etc/passwd",
        BASE_URL + "static/../../config.py",
        BASE_URL + "admin/",
        "data:image/png;base64,AAAA",
    ):
        with pytest.raises(ValueError):
            fetch(refused)
    from backstride.storage.models import FormCheckImage

    image = FormCheckImage.objects.filter(form_check_id=seed.form_checks[1]).get()
    assert fetch(f"{BASE_URL}form/{seed.form_checks[1]}/image/{image.id}.png").read().startswith(b"\x89PNG")
    with pytest.raises(NotFound):
        fetch(f"{BASE_URL}form/{seed.form_checks[0]}/image/{image.id}.png")  # not that check's picture


def test_dose_steps_earned_and_stepped_back_are_listed(monkeypatch):
    from backstride.services import report_parts

    def item(key: str, step: int, rules: list[str]) -> dict:
        return {"step_key": key, "step": step, "rule_ids": rules, "title": key, "dose": "3 x 30 s"}

    view = {
        "week_start": "2026-11-30",
        "blocked": None,
        "stage": None,
        "stage_decision": None,
        "adherence": {"through": "2026-12-06", "planned": 10, "done": 7, "percent": 70, "by_kind": {}},
        "days": [
            {
                "items": [
                    item("plank", 2, ["DOSE-EARN"]),
                    item("bridge", 0, []),
                    item("dead-bug", 1, ["DOSE-DOWN"]),
                ]
            }
        ],
    }
    monkeypatch.setattr(report_parts, "plan_view", lambda user, monday, today: view)
    today = local_today()
    section = report_parts.plan_section(local_user(), today - timedelta(days=6), today, today)
    assert section["weeks"][-1]["doses"] == [
        {"title": "plank", "dose": "3 x 30 s", "step": 2, "stepped_back": False},
        {"title": "dead-bug", "dose": "3 x 30 s", "step": 1, "stepped_back": True},
    ]
    assert (section["done_total"], section["planned_total"]) == (
        7 * len(section["weeks"]),
        10 * len(section["weeks"]),
    )


def test_without_weasyprint_or_pango_the_error_says_what_to_install(monkeypatch):
    import sys

    from backstride.services.report_render import PdfUnavailable, report_pdf

    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as when its import fails
    data = build_report(local_user(), None, None, ("summary",), local_today())
    with pytest.raises(PdfUnavailable) as missing:
        report_pdf(data, local_user())
    assert "sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0" in str(missing.value)
