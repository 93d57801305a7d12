"""Report PDFs and backups as background jobs on a clinic's server (issue 15 item 5), in the test client
with the in-process backend run inline (tests/cli/test_worker_jobs.py runs them in real workers on
PostgreSQL): /report/pdf/ asks for a job and sends the browser to its page, which links the PDF when it
is made, only for its owner; a job that fails says why; /data/backup/ is a clinic administrator's."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection

from backstride.config import local_today
from backstride.services import backup, report_render
from backstride.services.report_render import PdfUnavailable
from backstride.storage.models import BackupJob, ReportJob

from .conftest import account, signed_in

pytestmark = [pytest.mark.clinic, pytest.mark.django_db, pytest.mark.postgres_ok]


@pytest.fixture(autouse=True)
def _inline(monkeypatch):
    monkeypatch.delenv("BACKSTRIDE_TASKS", raising=False)
    monkeypatch.setenv("BACKSTRIDE_JOBS_INLINE", "1")


def _ask_for_the_pdf(client):
    today = local_today()
    query = {"from": (today - timedelta(days=27)).isoformat(), "to": today.isoformat(), "shown": "1"}
    query |= {"sections": ["summary", "pain"], "paper": "a4"}
    return client.get("/report/pdf/", query)


def test_the_report_page_offers_to_make_the_pdf_in_the_background(clinic):
    account("anna")
    page = signed_in("anna").get("/report/").content.decode()
    assert re.search(r'<a class="primary" href="/report/pdf/\?[^"]*">Make the PDF</a>', page)


def test_a_report_pdf_is_made_by_a_job_and_served_to_its_owner_only(clinic):
    anna = account("anna")
    account("ben")
    account("carla", "clinician")
    client = signed_in("anna")
    asked = _ask_for_the_pdf(client)
    job = ReportJob.objects.get(owner=anna)
    assert asked.status_code == 302 and asked["Location"] == f"/report/jobs/{job.id}/"
    assert job.requested_by == anna and job.status == "done" and job.finished_at is not None
    assert job.options["sections"] == ["summary", "pain"] and job.options["paper"] == "a4"
    page = client.get(f"/report/jobs/{job.id}/").content.decode()
    assert "Ready." in page and f'href="/report/jobs/{job.id}/pdf/"' in page
    pdf = client.get(f"/report/jobs/{job.id}/pdf/")
    content = b"".join(pdf.streaming_content)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert content.startswith(b"%PDF-")
    assert f"backstride-report-{job.options['from']}-to-{job.options['to']}.pdf" in pdf["Content-Disposition"]
    for other in (signed_in("ben"), signed_in("carla")):
        assert other.get(f"/report/jobs/{job.id}/").status_code == 404
        assert other.get(f"/report/jobs/{job.id}/pdf/").status_code == 404


def test_a_report_still_being_made_refreshes_itself_and_offers_to_check_again(clinic, monkeypatch):
    monkeypatch.setenv("BACKSTRIDE_JOBS_INLINE", "0")
    monkeypatch.setattr("backstride.services.tasks._executor.submit", lambda *args: None)  # no worker yet
    account("anna")
    client = signed_in("anna")
    job_page = _ask_for_the_pdf(client)["Location"]
    page = client.get(job_page).content.decode()
    assert "Waiting for its turn" in page and 'http-equiv="refresh"' in page and "Check again" in page
    assert client.get(f"{job_page}pdf/").status_code == 404  # no PDF yet


def test_a_report_that_cannot_be_made_says_why(clinic, monkeypatch):
    def no_pdf(*args: object) -> bytes:
        raise PdfUnavailable("the PDF library is not installed on this worker")

    monkeypatch.setattr(report_render, "report_pdf", no_pdf)
    account("anna")
    client = signed_in("anna")
    job_page = _ask_for_the_pdf(client)["Location"]
    page = client.get(job_page).content.decode()
    assert "The PDF could not be made: the PDF library is not installed on this worker" in page
    assert 'http-equiv="refresh"' not in page and "Back to the report" in page
    assert client.get(f"{job_page}pdf/").status_code == 404


def test_a_whole_database_backup_is_a_clinic_administrators_page(clinic):
    account("anna")
    account("carla", "clinician")
    account("root", "clinic_admin")
    for name in ("anna", "carla"):
        client = signed_in(name)
        assert client.get("/data/backup/").status_code == 404
        assert client.post("/data/backup/").status_code == 404
    assert not BackupJob.objects.exists()
    admin = signed_in("root")
    page = admin.get("/data/backup/").content.decode()
    assert "Back up the whole database" in page and "30 2 * * *" in page
    answered = admin.post("/data/backup/", follow=True)
    job = BackupJob.objects.get()
    assert job.requested_by is not None and job.requested_by.username == "root"
    assert "Backup asked for" in answered.content.decode()
    assert job.status == "done", job.message
    made = backup.backups()[-1]
    assert str(made.path) == job.file_path and made.size > 0
    assert made.path.suffix == (".sqlite3" if connection.vendor == "sqlite" else ".dump")
    assert made.path.name in answered.content.decode()


def test_a_runners_export_stays_theirs(clinic):
    account("anna")
    assert signed_in("anna").get("/data/export/").status_code == 200


def test_deleting_my_data_deletes_my_report_pdfs_and_no_one_elses(clinic):
    from pathlib import Path

    from backstride.services.erase import erase_all

    anna, ben = account("anna"), account("ben")
    for name in ("anna", "ben"):
        _ask_for_the_pdf(signed_in(name))
    annas, bens = ReportJob.objects.get(owner=anna), ReportJob.objects.get(owner=ben)
    erased = erase_all(anna)
    assert erased.records["report_jobs"] == 1 and not ReportJob.objects.filter(owner=anna).exists()
    assert not Path(annas.file_path).exists()
    assert ReportJob.objects.filter(id=bens.id).exists() and Path(bens.file_path).is_file()


def test_the_clinician_who_asked_gets_the_pdf_while_the_runner_shares_and_it_is_logged(clinic):
    from backstride.services import sharing
    from backstride.services.report_jobs import start_report
    from backstride.storage.models import AccessLogEntry, CareLink

    anna, carla, dora = account("anna"), account("carla", "clinician"), account("dora", "clinician")
    link = CareLink.objects.create(runner=anna, clinician=carla)
    CareLink.objects.create(runner=anna, clinician=dora)  # shares with dora too, who did not ask
    today = local_today()
    job = start_report(carla, anna, today - timedelta(days=27), today, ["summary"], "a4", today)
    assert job.requested_by == carla
    job.refresh_from_db()
    assert job.status == "done", job.message
    physio = signed_in("carla")
    page = physio.get(f"/report/jobs/{job.id}/").content.decode()
    assert "Ready." in page and 'href="/caseload/"' in page
    pdf = physio.get(f"/report/jobs/{job.id}/pdf/")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF-")
    logged = AccessLogEntry.objects.get(runner=anna)
    assert logged.actor == carla and logged.action == "report_pdf"
    other = signed_in("dora")
    assert other.get(f"/report/jobs/{job.id}/").status_code == 404
    assert other.get(f"/report/jobs/{job.id}/pdf/").status_code == 404
    assert signed_in("anna").get(f"/report/jobs/{job.id}/pdf/").status_code == 200  # the runner's own
    sharing.end(anna, link.id)  # revoked: at once, the PDF asked for before too
    assert physio.get(f"/report/jobs/{job.id}/").status_code == 404
    assert physio.get(f"/report/jobs/{job.id}/pdf/").status_code == 404


def test_jobs_left_by_a_stopped_server_say_so(clinic):
    from backstride.services import backup_jobs, report_jobs

    anna = account("anna")
    job = ReportJob.objects.create(owner=anna, requested_by=anna, options={"from": "a", "to": "b"})
    backup_job = BackupJob.objects.create(status="running")
    assert report_jobs.recover_interrupted() == 1 and backup_jobs.recover_interrupted() == 1
    job.refresh_from_db()
    backup_job.refresh_from_db()
    assert job.status == "failed" and "Ask for it again" in job.message
    assert backup_job.status == "failed" and "stopped before it was done" in backup_job.message
