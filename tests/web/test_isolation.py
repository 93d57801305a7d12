"""Isolation, tested for every URL (issue 15 item 6). Another runner has one of everything (a profile,
checks, shoes, activities, diary days, ticks, a form check with a picture, an import job, "My
activities" and their ratings, an undo offer), each carrying MARKER in its text. The acting user (local
mode: ``local_user()``) asks for every URL pattern of the web app:

- a pattern that names a record (in its path, or in the form or query it is sent with) is asked with the
  other runner's record, by GET and by POST: the answer is 404 (405 when the method is not one the view
  takes: the same answer whatever the id, so it tells nothing), the page does not show MARKER, and
  nothing of the other runner's changed;
- a pattern that names no record is listed in OBJECT_FREE with the reason it cannot leak; its GET does
  not show MARKER, and a POST changes nothing of the other runner's;
- every POST without a CSRF token is refused (403) and changes nothing;
- a new URL pattern in neither table fails ``test_every_url_pattern_is_covered``.

Clinic mode (a clinician and an unshared runner) does not exist yet: when it comes, its URLs fail the
coverage test until they are added here."""

from __future__ import annotations

import io
import tempfile
import time
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from tests.cases import SELF_MANAGE

from backstride import config
from backstride.config import local_today
from backstride.services.checks import check_symptoms
from backstride.services.outcomes import record_rating
from backstride.services.runs import delete_activity
from backstride.services.users import local_user
from backstride.storage.models import (
    Activity,
    DiaryEntry,
    Experiment,
    FormCheck,
    FormCheckImage,
    ImportJob,
    OutcomeActivity,
    OutcomeRating,
    OutcomeRatingItem,
    PlanItemDone,
    Profile,
    ReportJob,
    RmdqResponse,
    Shoe,
    SymptomCheck,
)
from backstride.web.views.undo import SESSION_KEY

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_ok]

MARKER = "Zq7-other-runner-marker"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


@dataclass
class Other:
    """The other runner and the records of theirs the URLs can name."""

    user: User
    check_id: int
    activity_id: int
    shoe_name: str
    day: str
    form_check_id: int
    image_id: int
    job_id: int
    undo_token: str
    undo_offer: dict[str, Any]
    clip: Path
    report_job_id: int = 0
    report_pdf: Path = Path()


def _other_runner() -> Other:
    other = User.objects.create(username="other-runner")
    Profile.objects.create(owner=other, country="DE", units="mile")
    first = check_symptoms(SELF_MANAGE, other)
    check_symptoms(SELF_MANAGE, other)
    shoe = Shoe.objects.create(owner=other, name=f"Shoe {MARKER}", replacement_km=650, is_default=True)
    yesterday = local_today() - timedelta(days=1)
    start = datetime.combine(yesterday, datetime.min.time(), UTC).replace(hour=7)
    run = dict(sport="running", distance_m=8000, moving_time_s=2700, source_format="manual")
    activity = Activity.objects.create(
        owner=other,
        start_time=start,
        name=f"Run {MARKER}",
        rpe=4,
        shoe=shoe,
        stream={"time_s": [0, 60, 120], "speed_mps": [3.0, 3.1, 3.2]},
        **run,  # type: ignore[arg-type]
    )
    gone = Activity.objects.create(owner=other, start_time=start - timedelta(days=3), name=MARKER, **run)  # type: ignore[arg-type]
    removed = delete_activity(other, gone.id)  # the other runner's undo offer holds its rows
    DiaryEntry.objects.create(owner=other, day=yesterday, pain_now=3, note=f"Note {MARKER}")
    RmdqResponse.objects.create(owner=other, ticked=[1, 2], score=2)
    PlanItemDone.objects.create(owner=other, day=yesterday, item_key="walk", title=f"Walk {MARKER}")
    # An open experiment (stop must not find it) and a finished one (the page must not list it).
    Experiment.objects.create(owner=other, kind="switch_shoes", param=MARKER, start=yesterday)
    Experiment.objects.create(
        owner=other, kind="switch_shoes", param=MARKER, start=yesterday - timedelta(days=30)
    )
    # Outside the data folder, which test processes share: another's "delete my data" (which sweeps
    # unowned files there) leaves it alone, and it leaves nothing there for the erase tests to find.
    video = Path(tempfile.gettempdir()) / f"backstride-isolation-{uuid.uuid4().hex}.mp4"
    video.write_bytes(b"not really a video")
    form_check = FormCheck.objects.create(
        owner=other, status="done", filename=f"{MARKER}.mp4", video_path=str(video), message=MARKER
    )
    image = FormCheckImage.objects.create(
        form_check=form_check, kind="selection", frame=1, caption=MARKER, png=PNG
    )
    job = ImportJob.objects.create(
        owner=other, status="done", total_files=1, processed_files=1, message=MARKER, result={"name": MARKER}
    )
    record_rating(other, [(f"Hills {MARKER}", 5)], source="check", check_id=first.check_id)
    pdf = Path(tempfile.gettempdir()) / f"backstride-isolation-{uuid.uuid4().hex}.pdf"
    pdf.write_bytes(b"%PDF-1.7 " + MARKER.encode())
    report_job = ReportJob.objects.create(
        owner=other,
        requested_by=other,
        status="done",
        options={"from": "2026-01-01", "to": MARKER},
        file_path=str(pdf),
        message=MARKER,
    )
    offer = {
        "user": other.id,
        "label": f"the run {MARKER}",
        "expires": time.time() + 600,
        "rows": removed.rows,
        "back": "/activities/",
    }
    return Other(
        user=other,
        check_id=first.check_id,
        activity_id=activity.id,
        shoe_name=shoe.name,
        day=yesterday.isoformat(),
        form_check_id=form_check.id,
        image_id=image.id,
        job_id=job.id,
        undo_token="other-runners-undo-token",
        undo_offer=offer,
        clip=video,
        report_job_id=report_job.id,
        report_pdf=pdf,
    )


def _rows_of(user: User) -> dict[str, object]:
    """Everything of ``user``'s as stored (every field), and their clip's bytes."""
    owned = {
        "user": User.objects.filter(id=user.id),
        "profile": Profile.objects.filter(owner=user),
        "checks": SymptomCheck.objects.filter(owner=user),
        "rmdq": RmdqResponse.objects.filter(owner=user),
        "shoes": Shoe.objects.filter(owner=user),
        "activities": Activity.objects.filter(owner=user),
        "diary": DiaryEntry.objects.filter(owner=user),
        "jobs": ImportJob.objects.filter(owner=user),
        "report_jobs": ReportJob.objects.filter(owner=user),
        "ticks": PlanItemDone.objects.filter(owner=user),
        "form_checks": FormCheck.objects.filter(owner=user),
        "images": FormCheckImage.objects.filter(form_check__owner=user),
        "outcome_activities": OutcomeActivity.objects.filter(owner=user),
        "ratings": OutcomeRating.objects.filter(owner=user),
        "rating_items": OutcomeRatingItem.objects.filter(rating__owner=user),
        "experiments": Experiment.objects.filter(owner=user),
    }
    rows: dict[str, object] = {
        name: [
            {k: bytes(v) if isinstance(v, memoryview) else v for k, v in row.items()}
            for row in query.order_by("pk").values()
        ]
        for name, query in owned.items()
    }
    clips = FormCheck.objects.filter(owner=user).exclude(video_path="").values_list("video_path", flat=True)
    rows["clips"] = {path: Path(path).read_bytes() if Path(path).is_file() else "gone" for path in clips}
    pdfs = ReportJob.objects.filter(owner=user).exclude(file_path="").values_list("file_path", flat=True)
    rows["report_pdfs"] = {path: Path(path).read_bytes() if Path(path).is_file() else "gone" for path in pdfs}
    return rows


def _own_data() -> None:
    """The acting runner has records too, so each page shows its lists rather than an empty state."""
    user = local_user()
    check_symptoms(SELF_MANAGE, user)
    Shoe.objects.create(owner=user, name="My shoe", replacement_km=700)
    start = datetime.combine(local_today() - timedelta(days=2), datetime.min.time(), UTC)
    Activity.objects.create(
        owner=user, start_time=start, sport="running", distance_m=5000, source_format="manual"
    )
    DiaryEntry.objects.create(owner=user, day=local_today() - timedelta(days=2), pain_now=2, note="mine")


# --- the tables --------------------------------------------------------------------------------------

# Patterns whose path names a record: the other runner's record in the path, and a POST body that would
# change it if the record were found (a valid one, so the view gets as far as looking it up).
RUN_FORM = {"distance_km": "5", "duration_min": "30", "terrain": "", "surface": "", "rpe": "6", "shoe": ""}
BOX = {"x0": "10", "y0": "10", "x1": "200", "y1": "300"}


def _reset_link(other: Other) -> tuple[dict[str, Any], dict[str, str]]:
    """The other runner's own password link (clinic mode only: in local mode it answers 404)."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    kwargs = {
        "uidb64": urlsafe_base64_encode(force_bytes(other.user.pk)),
        "token": default_token_generator.make_token(other.user),
    }
    return kwargs, {"new_password1": "a long new password 42", "new_password2": "a long new password 42"}


OWNED_IN_PATH: dict[str, Callable[[Other], tuple[dict[str, Any], dict[str, str]]]] = {
    "password_reset": _reset_link,
    "check_result": lambda o: ({"check_id": o.check_id}, {}),
    "activity": lambda o: ({"activity_id": o.activity_id}, {}),
    "activity_rpe": lambda o: ({"activity_id": o.activity_id}, {"rpe": "9"}),
    "activity_delete": lambda o: ({"activity_id": o.activity_id}, {}),
    "edit_run": lambda o: ({"activity_id": o.activity_id}, {"day": o.day, **RUN_FORM}),
    "activity_shoe": lambda o: ({"activity_id": o.activity_id}, {"shoe": ""}),
    "gait_check": lambda o: ({"check_id": o.form_check_id}, {}),
    "gait_image": lambda o: ({"check_id": o.form_check_id, "image_id": o.image_id}, {}),
    "gait_box": lambda o: ({"check_id": o.form_check_id}, BOX),
    "gait_delete_video": lambda o: ({"check_id": o.form_check_id}, {}),
    "gait_delete": lambda o: ({"check_id": o.form_check_id}, {}),
    "import_job": lambda o: ({"job_id": o.job_id}, {}),
    # The clinician's pages about a runner (clinic mode only: 404 here, as for a runner who does not
    # share; tests/clinic/test_clinician_isolation.py walks them as a clinician).
    "clinic_runner": lambda o: ({"runner_id": o.user.id}, {}),
    "clinic_report": lambda o: ({"runner_id": o.user.id}, {}),
    "clinic_report_pdf": lambda o: ({"runner_id": o.user.id}, {}),
    "clinic_notes": lambda o: ({"runner_id": o.user.id}, {"text": f"Note {MARKER}"}),
    # Clinic mode only (404 here); tests/clinic/test_sharing.py ends another runner's sharing: 404 too.
    "sharing_end": lambda o: ({"link_id": o.user.pk}, {}),
    "invite": lambda o: ({"token": "an-invite-made-for-someone-else"}, {}),
    # Clinic mode only (404 in local mode); tests/clinic/test_adjustments.py asks them as clinicians.
    "clinic_plan": lambda o: ({"runner_id": o.user.pk}, {"kind": "note", "note": MARKER}),
    "clinic_plan_end": lambda o: ({"runner_id": o.user.pk, "adjustment_id": 1}, {}),
    "report_job": lambda o: ({"job_id": o.report_job_id}, {}),
    "report_job_pdf": lambda o: ({"job_id": o.report_job_id}, {}),
}

# Patterns that name a record in their query or form: (query, POST body) with the other runner's record.
OWNED_IN_FORM: dict[str, Callable[[Other], tuple[dict[str, str], dict[str, str]]]] = {
    "outcomes": lambda o: ({"check": str(o.check_id)}, {"check": str(o.check_id), "rating_1": "9"}),
    "delete_day": lambda o: ({}, {"day": o.day}),
    "undo": lambda o: ({}, {"token": o.undo_token}),
}

# Patterns that name no record of anyone's: why each cannot show or change another runner's records.
# Each GET is checked for MARKER below (with the query it is shown with, if any), each POST for changes.
OWN_ONLY = "shows or changes only the acting runner's records (services take the acting user)"
OBJECT_FREE: dict[str, str] = {
    "home": f"the acting runner's latest check: {OWN_ONLY}",
    "check_intro": f"starts a check from the acting runner's answers: {OWN_ONLY}",
    "check_question": "the check's draft is in this browser's session, and is saved as the acting runner's",
    "history": f"{OWN_ONLY}; tests/web/test_words_web.py and test_outcomes_web.py cover its content",
    "rmdq": f"saves a questionnaire for the acting runner: {OWN_ONLY}",
    "settings": "the acting runner's own profile (profile_for(acting user))",
    "sources": "the knowledge base's references: nobody's records",
    "dashboard": f"Today: {OWN_ONLY}",
    "check_in": f"?day= opens the acting runner's entry of that day (or a blank one): {OWN_ONLY}",
    "shoes": f"shoes by name, looked up among the acting runner's: {OWN_ONLY}",
    "experiments": f"the acting runner's experiments, and starts one for them: {OWN_ONLY}",
    "experiment_stop": f"stops the acting runner's open experiment, named by nobody: {OWN_ONLY}",
    "triggers": f"the acting runner's trigger findings (triggers.report(acting user)): {OWN_ONLY}; "
    "tests/web/test_triggers_page.py shows another runner's findings never appear",
    "trigger_experiment": f"starts the experiment a finding suggests for the acting runner: {OWN_ONLY}",
    "exercises": "the exercise library (knowledge files): nobody's records",
    "exercise": "the path names an exercise of the library (knowledge files), not a record",
    "plan": f"?week= shows the acting runner's plan for that week: {OWN_ONLY}",
    "plan_done": f"ticks an item of the acting runner's plan: {OWN_ONLY}",
    "plan_session": f"today's session of the acting runner's plan: {OWN_ONLY}",
    "plan_session_done": f"ticks off the acting runner's session: {OWN_ONLY}",
    "plan_ics": f"the acting runner's plan as a calendar file: {OWN_ONLY}",
    "activities": f"the acting runner's activities (activity_page(acting user)): {OWN_ONLY}",
    "upload": "starts an import job for the acting runner (its id is then checked by import_job)",
    "new_run": f"logs a run for the acting runner, a shoe looked up among theirs: {OWN_ONLY}",
    "gait_list": f"the acting runner's form checks (gait.history(acting user)): {OWN_ONLY}",
    "gait_upload": "starts a form check for the acting runner (its id is then checked by gait_check)",
    "more": "links only: no records",
    "report": f"the report of the acting runner (build_report(acting user)): {OWN_ONLY}",
    "report_pdf": "the same report as /report/, as a PDF (its text is the page's, checked there)",
    "data": "the acting runner's data page: the backup shown is the server's own file, no records",
    "data_export": f"the acting runner's export (write_export(acting user)): {OWN_ONLY}",
    "data_restore": "adds the uploaded export's records as the acting runner's own",
    "data_backup": "local mode: the one runner's database file; clinic mode: a clinic administrator's only "
    "(tests/clinic/test_background_jobs.py: 404 for a runner and a clinician)",
    "data_delete": "erase_all(acting user): test_deleting_my_data_leaves_the_other_runners_data",
    "manifest": "the web app manifest: static, no records",
    "service_worker": "the service worker script: static, no records",
    "offline": "the offline page: static, no records",
    # Clinic mode's pages (issue 15): 404 in local mode, where these tests run; tests/clinic covers them.
    "login": "clinic mode only: signs in the account whose password is typed",
    "logout": "clinic mode only: ends this browser's session",
    "caseload": "clinic mode only: the runners who share with the signed-in clinician (services.sharing)",
    "sharing": "clinic mode only: who sees the acting runner's records (sharing.clinicians_of(acting user))",
    "sharing_invite": "clinic mode only: a new invite link made by the acting runner",
    "caseload_invite": "clinic mode only: a new invite link made by the acting clinician",
    "two_factor": "clinic mode only: the signed-in staff member's own two-step sign-in",
    "login_code": "clinic mode only: the signed-in account's own sign-in code",
}

CLINIC_ONLY = {"login", "logout", "caseload", "sharing", "sharing_invite", "caseload_invite"}
CLINIC_ONLY |= {"two_factor", "login_code"}
CLINIC_ONLY |= {"clinic_plan", "clinic_plan_end"}

# The query each object-free GET is also asked with, naming the other runner's day, week or check.
QUERIES: dict[str, Callable[[Other], dict[str, str]]] = {
    "check_in": lambda o: {"day": o.day},
    "plan": lambda o: {"week": o.day},
    "plan_ics": lambda o: {"week": o.day},
    "report": lambda o: {"from": "2000-01-01", "shown": "1", "sections": "everything"},
    "activities": lambda o: {"page": "1"},
}

# A POST to each object-free pattern, naming the other runner's things where the form takes a name.
POSTS: dict[str, Callable[[Other], dict[str, str]]] = {
    "shoes": lambda o: {"action": "retire", "shoe": o.shoe_name, "retired": o.day},
    "experiments": lambda o: {"kind": "switch_shoes", "param": o.shoe_name, "from": ""},
    "experiment_stop": lambda o: {},
    "trigger_experiment": lambda o: {"kind": "no_hills"},
    "plan_done": lambda o: {"day": o.day, "key": "walk", "done": "0"},
    "check_in": lambda o: {"day": o.day, "pain_now": "1"},
    "new_run": lambda o: {"day": o.day, **RUN_FORM, "shoe": o.shoe_name},
    "rmdq": lambda o: {"ticked": "3"},
    "settings": lambda o: {"country": "GB", "units": "km"},
    "data_delete": lambda o: {"confirm": "no"},  # the real deletion: its own test below
}


def _patterns(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[tuple[str, set[str]]]:
    """Every named URL pattern of the app (includes followed) and the names of its path's arguments."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{entry.namespace}:" if entry.namespace else prefix
            yield from (
                (name, set(entry.pattern.converters) | args) for name, args in _patterns(entry, namespace)
            )
        elif isinstance(entry, URLPattern):
            assert entry.name, f"the URL pattern {entry.pattern} has no name: give it one"
            converters = set(getattr(entry.pattern, "converters", {}))
            yield f"{prefix}{entry.name}", converters | set(entry.default_args)


def _report_query(query: dict[str, str]) -> str:
    """The report asked with every section ticked (the private ones too)."""
    from backstride.services.report_sections import SECTIONS

    pairs = [(key, value) for key, value in query.items() if key != "sections"]
    return urlencode(pairs + [("sections", name) for name in SECTIONS])


def _path(name: str, other: Other) -> tuple[str, dict[str, str]]:
    """The URL with the other runner's record, and the POST body."""
    if name in OWNED_IN_PATH:
        kwargs, body = OWNED_IN_PATH[name](other)
        return reverse(name, kwargs=kwargs), body
    query, body = OWNED_IN_FORM[name](other)
    return reverse(name) + (f"?{urlencode(query)}" if query else ""), body


def _assert_hidden(response: Any, where: str) -> None:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert MARKER.encode() not in content, f"{where} shows the other runner's records"


@pytest.fixture
def other() -> Iterator[Other]:
    _own_data()
    runner = _other_runner()
    yield runner
    runner.clip.unlink(missing_ok=True)
    runner.report_pdf.unlink(missing_ok=True)


# --- the tests ---------------------------------------------------------------------------------------


def test_every_url_pattern_is_covered():
    found = dict(_patterns())
    covered = set(OWNED_IN_PATH) | set(OWNED_IN_FORM) | set(OBJECT_FREE)
    missing = sorted(set(found) - covered)
    assert not missing, (
        f"URL patterns without an isolation check: {missing}. Add each to tests/web/test_isolation.py: to "
        "OWNED_IN_PATH or OWNED_IN_FORM with another runner's record (it must answer 404), or to OBJECT_FREE "
        "with the reason it cannot show or change another runner's records."
    )
    stale = sorted(covered - set(found))
    assert not stale, f"tests/web/test_isolation.py names URL patterns that no longer exist: {stale}"
    assert not set(OWNED_IN_PATH) & set(OBJECT_FREE) and not set(OWNED_IN_FORM) & set(OBJECT_FREE)
    # A path argument names a record unless it is said otherwise (the exercise library's slug).
    taking_arguments = {name for name, args in found.items() if args}
    assert taking_arguments - set(OWNED_IN_PATH) == {"exercise"}, taking_arguments
    for name in OWNED_IN_PATH:  # the table fills in every argument of the pattern's path
        assert found[name] == set(_kwargs_names(name)), (name, found[name])


def _kwargs_names(name: str) -> list[str]:
    fake = Other(User(id=1), 1, 1, "", "", 1, 1, 1, "", {}, Path())
    return list(OWNED_IN_PATH[name](fake)[0])


@pytest.mark.parametrize("name", sorted([*OWNED_IN_PATH, *OWNED_IN_FORM]))
def test_another_runners_record_is_not_found(client, other, name):
    before = _rows_of(other.user)
    url, body = _path(name, other)
    if name == "undo":  # in this browser too: an offer made for the other runner is not this runner's
        session = client.session
        session[SESSION_KEY] = {other.undo_token: other.undo_offer}
        session.save()
    for method in ("get", "post"):
        response = getattr(client, method)(url, body) if method == "post" else client.get(url)
        if response.status_code == 405:  # the view does not take this method, whatever the id
            continue
        assert response.status_code == 404, (method.upper(), url, response.status_code)
        _assert_hidden(response, f"{method.upper()} {url}")
        assert _rows_of(other.user) == before, f"{method.upper()} {url} changed the other runner's records"
    if name in OWNED_IN_PATH:  # the htmx poll of a job's or check's progress, too
        polled = client.get(url, headers={"HX-Request": "true"})
        assert polled.status_code in (404, 405), (url, polled.status_code)
    fresh = Client(REMOTE_ADDR="127.0.0.1")  # a browser that never saw the token
    if name == "undo":
        assert fresh.post(url, body).status_code == 404
    assert _rows_of(other.user) == before


def test_a_picture_of_another_runners_form_check_is_not_found_under_my_check(client, other):
    mine = FormCheck.objects.create(owner=local_user(), status="done", filename="mine.mp4")
    FormCheckImage.objects.create(form_check=mine, kind="selection", frame=1, png=PNG)
    assert client.get(f"/form/{mine.id}/image/{other.image_id}.png").status_code == 404


def test_my_run_cannot_be_put_in_another_runners_shoes(client, other):
    mine = Activity.objects.get(owner=local_user())
    response = client.post(f"/activities/{mine.id}/shoe/", {"shoe": other.shoe_name})
    assert response.status_code == 400 and Activity.objects.get(id=mine.id).shoe is None
    logged = client.post("/activities/new-run/", {"day": other.day, **RUN_FORM, "shoe": other.shoe_name})
    assert logged.status_code == 400
    assert not Activity.objects.filter(shoe__owner=other.user).exclude(owner=other.user).exists()


def test_my_activities_cannot_continue_another_runners_activity(client, other):
    """The change form names the activity each row renames by id: another runner's id is refused."""
    record_rating(local_user(), [("Running", 4)], source="web")
    theirs = OutcomeActivity.objects.get(owner=other.user)
    before = _rows_of(other.user)
    posted = {"mode": "change", "activity_1": f"Renamed {MARKER}", "id_1": str(theirs.id), "keep_1": "1"}
    response = client.post("/outcomes/", posted)
    assert response.status_code == 400
    assert _rows_of(other.user) == before


@pytest.mark.parametrize("name", sorted(OBJECT_FREE))
def test_a_page_without_a_record_shows_nothing_of_another_runner(client, other, name):
    if name == "exercise":
        from backstride.knowledge.exercises import exercises

        urls = [reverse(name, args=[next(iter(exercises()))])]
    else:
        urls = [reverse(name)]
    if name in QUERIES:
        query = QUERIES[name](other)
        urls.append(urls[0] + "?" + (_report_query(query) if name == "report" else urlencode(query)))
    for url in urls:
        response = client.get(url)
        allowed = (404,) if name in CLINIC_ONLY else (200, 400, 405)  # clinic pages: none in local mode
        assert response.status_code in allowed, (url, response.status_code)
        if name == "data_export" and response.status_code == 200:
            archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
            for member in archive.namelist():
                assert MARKER.encode() not in archive.read(member), f"the export's {member} holds another's"
        else:
            _assert_hidden(response, f"GET {url}")


@pytest.mark.parametrize("name", sorted(OBJECT_FREE))
def test_a_post_without_a_record_changes_nothing_of_another_runner(client, other, name):
    before = _rows_of(other.user)
    url = reverse(name, args=["cat-camel"]) if name == "exercise" else reverse(name)
    response = client.post(url, POSTS.get(name, lambda o: {})(other))
    assert response.status_code != 500, url
    assert _rows_of(other.user) == before, f"POST {url} changed the other runner's records"


def test_deleting_my_data_leaves_the_other_runners_data(client, other, monkeypatch, tmp_path):
    # Its own data folder: the erase sweeps unowned files there, and test processes share the usual one.
    monkeypatch.setenv(config.DATA_DIR_ENV, str(tmp_path))
    before = _rows_of(other.user)
    response = client.post("/data/delete/", {"confirm": "DELETE"})
    assert response.status_code == 200 and not Activity.objects.filter(owner=local_user()).exists()
    assert _rows_of(other.user) == before


@pytest.mark.parametrize("name", sorted([*OWNED_IN_PATH, *OWNED_IN_FORM, *OBJECT_FREE]))
def test_a_post_without_a_csrf_token_is_refused(other, name):
    """The CSRF check comes before any view: every URL refuses a POST without the token."""
    strict = Client(enforce_csrf_checks=True, REMOTE_ADDR="127.0.0.1")
    if name in OBJECT_FREE:
        url = reverse(name, args=["cat-camel"]) if name == "exercise" else reverse(name)
        body = POSTS.get(name, lambda o: {})(other)
    else:
        url, body = _path(name, other)
    mine, theirs = _rows_of(local_user()), _rows_of(other.user)
    response = strict.post(url, body)
    assert response.status_code == 403, (url, response.status_code)
    assert _rows_of(local_user()) == mine and _rows_of(other.user) == theirs


def test_a_page_carries_the_security_headers(client):
    response = client.get("/today/")
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert (
        "'unsafe-inline'" not in policy.get("default-src", "")
        and "'unsafe-inline'" not in policy["style-src"]
    )
    assert policy["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    # A session is stored only when a view keeps something in it (the check's draft): its cookie is
    # HttpOnly and same-site.
    started = client.post("/check/")
    cookie = started.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    # Not here yet, for clinic mode's settings (web/settings.py): Secure cookies and HSTS behind TLS
    # (local mode is plain http on 127.0.0.1), and an HttpOnly CSRF cookie (no script reads it).
