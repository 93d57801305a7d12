"""Every web form, fuzzed (issue 11, item 10): the forms are found on the app's own pages, and each is
posted with random and hostile values (a valid session and CSRF token). Never a 500; a refusal is a 400
that shows the form with its message; nothing is stored on a 400. Fixed seeds (derandomize) so CI is
stable, and a few dozen posts per area so each test takes seconds.

A test also checks that every view that takes a POST has a form found here (or is named as another
part's below), so a new form is fuzzed the day it is added."""

from __future__ import annotations

import hashlib
import inspect
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import URLPattern, get_resolver, resolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase
from tests.cases import SELF_MANAGE

from backstride.config import local_today
from backstride.services import outcomes
from backstride.services.checks import check_symptoms
from backstride.services.users import local_user
from backstride.storage.models import Activity, DiaryEntry, Shoe

# Forms another part of issue 11 owns: file uploads (importers, video) and the form-check box (video).
OWNED_ELSEWHERE = {"upload", "gait_upload", "gait_box", "gait_delete_video", "gait_delete"}
# The Undo form shows only on the page after a delete: tests/web/test_undo_web.py posts hostile tokens.
OWNED_ELSEWHERE |= {"undo"}
# Restoring an export is a file upload: tests/web/test_data_web.py and tests/services/test_export_restore.py
# post damaged, foreign and hostile zips.
OWNED_ELSEWHERE |= {"data_restore"}
# A clinician's private note exists in clinic mode only (404 here): tests/clinic/test_clinical_notes.py
# posts empty, too long and hostile notes.
OWNED_ELSEWHERE |= {"clinic_notes"}
# "Back up now" is offered only on SQLite (a PostgreSQL database is backed up with pg_dump): on PostgreSQL
# the page has no such form, and tests/web/test_data_web.py posts to it.
SQLITE_ONLY = set() if connection.vendor == "sqlite" else {"data_backup"}
OWNED_ELSEWHERE |= SQLITE_ONLY
# Clinic mode's forms answer 404 in local mode, where this runs: tests/clinic posts to them (sharing,
# invites, and the clinician's pages, whose names start with "clinic_").
OWNED_ELSEWHERE |= {"sharing_invite", "sharing_end", "invite", "caseload_invite", "two_factor", "login_code"}
CLINICIAN_PAGE_PREFIX = "clinic_"
# A clinician's plan changes are clinic-mode pages (404 here, in local mode):
# tests/clinic/test_adjustments.py posts hostile values to them as a clinician.
OWNED_ELSEWHERE |= {"clinic_plan", "clinic_plan_end"}
# Stopping an experiment takes no fields (its form shows only while one runs, instead of the start form):
# tests/web/test_experiments_web.py posts to it.
OWNED_ELSEWHERE |= {"experiment_stop"}
# The Triggers page's "start this experiment" form shows only beside a finding (months of data):
# tests/web/test_triggers_page.py posts hostile kinds to it.
OWNED_ELSEWHERE |= {"trigger_experiment"}
PAGES = (
    "/",
    "/check/",
    "/diary/",
    "/shoes/",
    "/outcomes/",
    "/outcomes/?mode=change",
    "/rmdq/",
    "/settings/",
    "/plan/",
    "/plan/session/?step=end",
    "/activities/new-run/",
    "/data/",
    "/data/delete/",
    "/experiments/",
)
FUZZ = settings(
    derandomize=True,
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

HOSTILE = (
    "",
    " ",
    "\x00",
    "²",
    "١",
    "-0",
    "1e308",
    "nan",
    "-inf",
    "9" * 400,
    "0001-01-01",
    "9999-12-31",
    "1969-12-31",
    "2026-02-30",
    "<script>alert(1)</script>",
    "x" * 3000,
    "a\r\nb\tc\x1b[31m",
)


# --- finding the forms ----------------------------------------------------------------------------------


@dataclass
class Field:
    name: str
    values: list[str] = field(default_factory=list)  # the values the page offers (options, radios, hidden)
    multiple: bool = False  # checkboxes sharing a name


@dataclass
class Form:
    page: str
    action: str
    fields: dict[str, Field] = field(default_factory=dict)

    @property
    def url_name(self) -> str:
        return resolve(urlsplit(self.action).path).url_name or ""


class _FormFinder(HTMLParser):
    def __init__(self, page: str):
        super().__init__()
        self.page = page
        self.forms: list[Form] = []
        self.current: Form | None = None
        self.select: Field | None = None

    def _field(self, name: str) -> Field:
        assert self.current is not None
        return self.current.fields.setdefault(name, Field(name))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self.current = Form(self.page, a.get("action") or self.page)
        elif self.current is None:
            return
        elif tag in ("input", "button", "textarea") and a.get("name"):
            found = self._field(a["name"])
            found.values.append(a.get("value", ""))
            found.multiple = found.multiple or a.get("type") == "checkbox"
        elif tag == "select" and a.get("name"):
            self.select = self._field(a["name"])
        elif tag == "option" and self.select is not None:
            self.select.values.append(a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.current is not None:
            self.forms.append(self.current)
            self.current = None
        elif tag == "select":
            self.select = None


def forms_on(client: Client, page: str) -> list[Form]:
    response = client.get(page)
    assert response.status_code == 200, (page, response.status_code)
    finder = _FormFinder(page)
    finder.feed(response.content.decode())
    return finder.forms


def all_forms(client: Client, run_id: int) -> list[Form]:
    client.post(
        "/check/", {"csrfmiddlewaretoken": client.cookies["csrftoken"].value}
    )  # a draft: question form
    pages = (*PAGES, "/check/question/", f"/activities/{run_id}/", f"/activities/{run_id}/edit/")
    return [form for page in pages for form in forms_on(client, page)]


# --- what a post may do ------------------------------------------------------------------------------------


def database_digest() -> str:
    """Every row the runner owns, hashed: equal before and after means nothing was stored."""
    digest = hashlib.sha256()
    stored = [model for model in apps.get_models() if model.__module__ == "backstride.storage.models"]
    for model in sorted(stored, key=lambda m: m.__name__):
        for row in model.objects.order_by("pk").values_list():
            digest.update(repr(row).encode("utf-8", "backslashreplace"))
    return digest.hexdigest()


def field_value(form_field: Field) -> st.SearchStrategy[str | list[str] | None]:
    offered = [value for value in form_field.values if value]
    one = st.one_of(
        st.sampled_from(offered or [""]),
        st.sampled_from(HOSTILE),
        st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=30),
        st.integers(-(10**6), 10**6).map(str),
        st.floats().map(repr),
    )
    if form_field.multiple:
        return st.one_of(st.none(), st.lists(one, max_size=4))
    return st.one_of(st.none(), one)


class FormsFuzz(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        user = local_user()
        check_symptoms(SELF_MANAGE, user)
        shoe = Shoe.objects.create(owner=user, name="Pegasus")
        Shoe.objects.create(owner=user, name="Old trainer")
        cls.run_id = Activity.objects.create(
            owner=user,
            start_time=datetime.combine(local_today() - timedelta(days=1), datetime.min.time(), UTC),
            sport="running",
            distance_m=5000,
            moving_time_s=1800,
            source_format="manual",
            shoe=shoe,
        ).id
        DiaryEntry.objects.create(owner=user, day=local_today() - timedelta(days=1), pain_now=2, ran=True)
        outcomes.record_rating(user, [("run 5 km", 4), ("sit through a meeting", 6)], source="web")

    def setUp(self) -> None:
        self.client = Client(enforce_csrf_checks=True, REMOTE_ADDR="127.0.0.1")
        self.client.get("/")  # the session and the CSRF cookie
        self.forms = all_forms(self.client, self.run_id)

    def post(self, form: Form, data: st.DataObject) -> None:
        values: dict[str, str | list[str]] = {}
        for name, form_field in form.fields.items():
            if name == "csrfmiddlewaretoken":
                values[name] = form_field.values[0]
                continue
            value = data.draw(field_value(form_field), label=name)
            if value is not None:
                values[name] = value
        before = database_digest()
        response = self.client.post(form.action, values)  # a 500 raises here: the test fails
        assert response.status_code in (200, 204, 302, 400, 404), (form.action, response.status_code)
        if response.status_code == 400:
            page = response.content.decode()
            assert "<form" in page, (form.action, page[:300])
            assert 'class="error"' in page or 'role="alert"' in page, (form.action, page[:300])
            assert database_digest() == before, f"{form.action} stored something on a 400"

    def fuzz(self, data: st.DataObject, *url_names: str) -> None:
        forms = [form for form in self.forms if form.url_name in url_names]
        assert {form.url_name for form in forms} == set(url_names), [form.url_name for form in forms]
        self.post(data.draw(st.sampled_from(forms), label="form"), data)

    @FUZZ
    @given(st.data())
    def test_the_diary_forms(self, data: st.DataObject) -> None:
        self.fuzz(data, "check_in", "delete_day")

    @FUZZ
    @given(st.data())
    def test_the_shoe_forms(self, data: st.DataObject) -> None:
        self.fuzz(data, "shoes")

    @FUZZ
    @given(st.data())
    def test_the_run_forms(self, data: st.DataObject) -> None:
        self.fuzz(data, "new_run", "edit_run", "activity_rpe", "activity_shoe", "activity_delete")

    @FUZZ
    @given(st.data())
    def test_my_activities_roland_morris_and_settings(self, data: st.DataObject) -> None:
        self.fuzz(data, "outcomes", "rmdq", "settings")

    @FUZZ
    @given(st.data())
    def test_the_check_and_the_plan(self, data: st.DataObject) -> None:
        self.fuzz(data, "check_intro", "check_question", "plan_done", "plan_session_done")

    @FUZZ
    @given(st.data())
    def test_the_experiment_form(self, data: st.DataObject) -> None:
        self.fuzz(data, "experiments")

    @FUZZ
    @given(st.data())
    def test_your_data_forms(self, data: st.DataObject) -> None:
        self.fuzz(data, *({"data_backup", "data_delete"} - SQLITE_ONLY))

    def test_every_view_that_takes_a_post_has_a_form_here(self) -> None:
        fuzzed = {form.url_name for form in self.forms}
        takes_post = {
            pattern.name
            for pattern in get_resolver().url_patterns
            if isinstance(pattern, URLPattern)
            and "POST" in inspect.getsource(inspect.unwrap(pattern.callback))
        }
        takes_post = {name for name in takes_post if not name.startswith(CLINICIAN_PAGE_PREFIX)}
        assert takes_post - OWNED_ELSEWHERE <= fuzzed, takes_post - OWNED_ELSEWHERE - fuzzed
