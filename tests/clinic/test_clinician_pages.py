"""A shared runner's timeline and report for their clinician (issue 15 item 4): the runner's records
interleaved newest first, bounded to the last weeks asked for, the issue-14 report through the same
service, and each look written to the runner's access log."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from click.testing import CliRunner
from django.contrib.auth.models import User
from tests.services.report_seed import PRIVATE_NOTE, seed_ten_weeks

from backstride.cli import main
from backstride.config import local_today
from backstride.services.access_log import entries_for
from backstride.storage.models import AccessLogEntry, ReportJob

from .caseload_world import share
from .conftest import account, signed_in

pytestmark = [pytest.mark.clinic, pytest.mark.django_db, pytest.mark.postgres_ok]


@pytest.fixture
def anna(clinic):
    runner = account("anna")
    share(runner, account("dr-lee", role="clinician"))
    seed_ten_weeks(runner, local_today())
    return runner


def test_the_timeline_interleaves_the_runners_records_newest_first(anna):
    client = signed_in("dr-lee")
    response = client.get(f"/caseload/{anna.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    for words in ("Full check", "Check-in", "Run ", "Form check (", "Plan: ", "Pain "):
        assert words in page, words
    days = response.context["timeline"].days
    assert [day.day for day in days] == sorted((day.day for day in days), reverse=True)
    assert days[0].day <= local_today().isoformat()
    assert f'href="/caseload/{anna.pk}/report/"' in page and f'href="/caseload/{anna.pk}/notes/"' in page
    assert "Needs attention" in page  # the seeded check-in escalation
    assert [entry.action for entry in entries_for(anna)] == ["timeline"]


def test_the_timeline_is_bounded_to_the_weeks_asked_for(anna):
    client = signed_in("dr-lee")
    two = client.get(f"/caseload/{anna.pk}/", {"weeks": "2"}).context["timeline"]
    first = (local_today() - timedelta(weeks=2) + timedelta(days=1)).isoformat()
    assert two.weeks == 2 and all(day.day >= first for day in two.days)
    assert len(client.get(f"/caseload/{anna.pk}/").context["timeline"].days) > len(two.days)
    assert "Show the last 4 weeks" in client.get(f"/caseload/{anna.pk}/", {"weeks": "2"}).content.decode()
    assert client.get(f"/caseload/{anna.pk}/", {"weeks": "9999"}).context["timeline"].weeks == 104


def test_the_report_is_the_runners_report_without_their_private_notes(anna):
    client = signed_in("dr-lee")
    response = client.get(f"/caseload/{anna.pk}/report/", {"shown": "1", "sections": ["pain", "notes"]})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Report: anna" in page and 'id="report-pain"' in page
    assert 'id="report-notes"' not in page and 'value="notes"' not in page and PRIVATE_NOTE not in page
    assert f'action="/caseload/{anna.pk}/report/"' in page
    assert f'href="/caseload/{anna.pk}/report/pdf/?' in page
    assert 'src="/form/' not in page  # the runner's own picture pages: 404 for a clinician
    assert [entry.action for entry in entries_for(anna)] == ["report"]


def test_the_report_pdf_for_a_shared_runner_is_made_in_the_background(anna):
    """Clinic mode makes report PDFs in a worker (web/views/report.py, services.report_jobs): the
    clinician is sent to the job's page, which links the PDF; the download is in the access log."""
    client = signed_in("dr-lee")
    query = {"shown": "1", "sections": "summary"}
    response = client.get(f"/caseload/{anna.pk}/report/pdf/", query)
    assert response.status_code == 302 and response["Location"].startswith("/report/jobs/")
    job = ReportJob.objects.get()
    assert job.owner_id == anna.pk and job.requested_by_id == User.objects.get(username="dr-lee").pk
    assert job.options["sections"] == ["summary"]
    page = client.get(response["Location"])
    assert page.status_code == 200
    if job.__class__.objects.get().status == "done":
        pdf = client.get(f"/report/jobs/{job.id}/pdf/")
        assert b"".join(pdf.streaming_content).startswith(b"%PDF-")
        assert "report_pdf" in AccessLogEntry.objects.filter(runner=anna).values_list("action", flat=True)


def test_a_report_with_a_bad_date_keeps_what_was_typed(anna):
    response = signed_in("dr-lee").get(f"/caseload/{anna.pk}/report/", {"from": "31/02", "shown": "1"})
    assert response.status_code == 400 and 'value="31/02"' in response.content.decode()


def test_the_runner_reads_in_their_access_log_who_looked(anna):
    client = signed_in("dr-lee")
    client.get(f"/caseload/{anna.pk}/")
    client.get(f"/caseload/{anna.pk}/report/")
    words = [entry.words for entry in entries_for(anna)]
    assert words == ["dr-lee opened your report", "dr-lee looked at your timeline"]


def test_the_command_line_timeline(anna):
    result = CliRunner().invoke(
        main, ["clinic", "timeline", "anna", "--as", "dr-lee", "--weeks", "3", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    assert shown["runner_name"] == "anna" and shown["weeks"] == 3 and shown["days"]
    assert {"kind", "title", "details", "urgent"} <= set(shown["days"][0]["items"][0])
    text = CliRunner().invoke(main, ["clinic", "timeline", str(anna.pk), "--as", "dr-lee"])
    assert text.exit_code == 0 and "anna: the last 12 weeks" in text.output
    unshared = CliRunner().invoke(main, ["clinic", "timeline", "ben", "--as", "dr-lee"])
    assert unshared.exit_code == 2
    assert "no runner named 'ben' shares their records with dr-lee" in unshared.output
