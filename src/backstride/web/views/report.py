"""The report for a clinician (issue 14 item 1): /report/ shows a form (period, sections, paper) and
the report below it; /report/pdf/ sends the same report as a PDF (on a clinic's server it asks a
worker for it and sends the browser to /report/jobs/<id>/, which links the PDF when it is made). A
date that cannot be read keeps what was typed and says what to do, and no report is made until it
is fixed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import User
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from backstride.config import local_today
from backstride.core.inputs import AHEAD_DAYS, InvalidValue, parse_day
from backstride.services import tasks
from backstride.services.errors import BackstrideError, InputRefused, NotFound
from backstride.services.report_data import DEFAULT_WEEKS, build_report, report_period
from backstride.services.report_jobs import STILL_RUNNING, get_report_job, report_file, start_report
from backstride.services.report_render import report_context, report_pdf
from backstride.services.report_sections import DEFAULT_SECTIONS, PAPERS, SECTION_TITLES, SECTIONS

from .common import owner_of, signed_in_user

FIELD_NAMES = {"from": "From", "to": "To"}  # the form's labels: errors name the field as the runner saw it


@dataclass
class ReportForm:
    """What the runner chose (or typed), and what was wrong with it."""

    typed_from: str
    typed_to: str
    sections: list[str]
    paper: str
    start: date | None = None
    end: date | None = None
    errors: dict[str, str] = field(default_factory=dict)


def read_form(request: HttpRequest, today: date) -> ReportForm:
    """The GET form: dates YYYY-MM-DD (empty: the last 12 weeks to today), the ticked sections
    (none sent yet: the default ones), A4 or Letter."""
    query = request.GET
    sent = "shown" in query  # the form was submitted: no ticked box means no section
    chosen = [name for name in query.getlist("sections") if name in SECTIONS]
    paper = query.get("paper", "a4")
    form = ReportForm(
        typed_from=query.get("from", "").strip(),
        typed_to=query.get("to", "").strip(),
        sections=[name for name in SECTIONS if name in chosen] if sent else list(DEFAULT_SECTIONS),
        paper=paper if paper in PAPERS else "a4",
    )
    for key, typed in (("from", form.typed_from), ("to", form.typed_to)):
        if not typed:
            continue
        try:
            day = parse_day(typed, FIELD_NAMES[key], today, ahead_days=AHEAD_DAYS)
        except InvalidValue as error:
            form.errors[key] = f"{FIELD_NAMES[key]} {error.message}."
            continue
        if key == "from":
            form.start = day
        else:
            form.end = day
    if not form.errors:
        try:
            form.start, form.end = report_period(form.start, form.end, today, ("From", "To"))
        except InputRefused as error:
            name, message = error.problems[0]
            form.errors["from" if name == "From" else "to"] = f"{name} {message}."
    if sent and not form.sections:
        form.errors["sections"] = "Tick at least one section to put in the report."
    return form


@dataclass(frozen=True)
class ReportPage:
    """Whose report a page shows and where its form and PDF link go: the runner's own (/report/), or
    a shared runner's for their clinician (web/views/clinic.py, the same report)."""

    owner: User
    action_url: str
    pdf_url: str
    title: str = "Report for your clinician"
    intro: str = (
        "A summary to hand to your GP or physiotherapist: your latest check, pain against your running, "
        "training, what went with the pain, the plan and your form checks. Choose the period and what to "
        "put in, then download the PDF."
    )
    sections: tuple[str, ...] = (
        SECTIONS  # the sections that may be chosen (a clinician: not the private ones)
    )
    back_url: str = ""  # a link above the form ("" for none)
    back_words: str = ""
    # The form checks' pictures are pages of the runner's own (/form/...): on another's page, the PDF
    # carries them (it reads them from the database), the page says so.
    own_pictures: bool = True


def own_report(request: HttpRequest) -> ReportPage:
    return ReportPage(owner_of(request), reverse("report"), reverse("report_pdf"))


def report_response(
    request: HttpRequest, form: ReportForm, today: date, page: ReportPage, status: int = 200
) -> HttpResponse:
    """The report page: the form, and the report below it when the form holds no error."""
    report: dict[str, Any] = {}
    if not form.errors and form.start and form.end:
        data = build_report(page.owner, form.start, form.end, form.sections, today)
        if not page.own_pictures and "form" in data:
            for check in data["form"]["checks"]:
                check["key_frames"] = []
        report = report_context(data, page=True)
    query = urlencode(
        [
            ("from", form.start.isoformat() if form.start else form.typed_from),
            ("to", form.end.isoformat() if form.end else form.typed_to),
            ("shown", "1"),
            ("paper", form.paper),
        ]
        + [("sections", name) for name in form.sections]
    )
    context = {
        **report,
        "has_report": bool(report),
        "form": form,
        "page": page,
        "section_choices": [
            {
                "name": name,
                "title": SECTION_TITLES[name],
                "checked": name in form.sections,
                "private": name not in DEFAULT_SECTIONS,
            }
            for name in page.sections
        ],
        "paper_choices": [{"value": "a4", "label": "A4"}, {"value": "letter", "label": "US Letter"}],
        "default_from": (today - timedelta(weeks=DEFAULT_WEEKS) + timedelta(days=1)).isoformat(),
        "today": today.isoformat(),
        "pdf_query": query,
        "pdf_in_background": in_background(),
    }
    return render(request, "web/report.html", context, status=status)


def report_pdf_response(
    request: HttpRequest, form: ReportForm, today: date, page: ReportPage
) -> HttpResponse:
    """The same report as a PDF download; the page with the form's errors when it cannot be made."""
    if form.errors or form.start is None or form.end is None:
        return report_response(request, form, today, page, status=400)
    if in_background():  # the signed-in account asks: the runner, or their clinician (checked already)
        job = start_report(
            signed_in_user(request), page.owner, form.start, form.end, form.sections, form.paper, today
        )
        return HttpResponseRedirect(reverse("report_job", kwargs={"job_id": job.id}))
    data = build_report(page.owner, form.start, form.end, form.sections, today)
    try:
        pdf = report_pdf(data, page.owner, form.paper)
    except BackstrideError as error:
        form.errors["pdf"] = str(error)
        return report_response(request, form, today, page, status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"backstride-report-{form.start.isoformat()}-to-{form.end.isoformat()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def in_background() -> bool:
    """A clinic's server (or any with a job queue) makes report PDFs in a worker, not in the request;
    local mode sends the PDF at once, as always."""
    return settings.MODE == "clinic" or not tasks.runs_in_process()


def report_page(request: HttpRequest) -> HttpResponse:
    today = local_today()
    form = read_form(request, today)
    return report_response(request, form, today, own_report(request), status=400 if form.errors else 200)


def report_pdf_download(request: HttpRequest) -> HttpResponse:
    today = local_today()
    return report_pdf_response(request, read_form(request, today), today, own_report(request))


def report_job(request: HttpRequest, job_id: int) -> HttpResponse:
    """How the PDF asked for is getting on: refreshes itself while it is being made (no script), then
    a download link, or the reason it could not be made."""
    user = signed_in_user(request)  # the runner, or the clinician who asked (the service checks which)
    try:
        job = get_report_job(user, job_id)
    except NotFound:
        return render(request, "web/not_found.html", status=404)
    context = {
        "job": job,
        "back_url": reverse("report") if job.owner_id == user.pk else reverse("caseload"),
        "running": job.status in STILL_RUNNING,
        "period": f"{job.options.get('from', '')} to {job.options.get('to', '')}",
    }
    return render(request, "web/report_job.html", context)


def report_job_pdf(request: HttpRequest, job_id: int) -> HttpResponse | FileResponse:
    try:
        found = report_file(signed_in_user(request), job_id)
    except NotFound:
        return render(request, "web/not_found.html", status=404)
    pdf = found.path.open("rb")  # closed by the response once sent
    return FileResponse(pdf, as_attachment=True, filename=found.download_name, content_type="application/pdf")
