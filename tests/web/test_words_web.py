"""Plain words on the pages (issue 13 item 2): every form's error names the field by its label, says
what to do, sits beside its field and keeps what was typed; no page shows a field name, a rule id or
a raw code outside a "For your clinician" fold; counts read "1 run", "2 runs"."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.web.pages import seed_every_page
from tests.web.words import RAW_WORDS, RULE_ID, SNAKE_CASE, main_text, read_text

from backstride.config import local_today
from backstride.core.diary import A8_ITEMS
from backstride.knowledge import catalog
from backstride.services.checks import check_symptoms
from backstride.services.outcomes import record_rating
from backstride.services.users import local_user
from backstride.storage.models import Activity, DiaryEntry, FormCheck, ImportJob, Shoe

pytestmark = pytest.mark.django_db
ALL_NO = {
    "rf_" + item: ("none" if item in ("leg_pain_side", "numbness_tingling", "leg_weakness") else "false")
    for item in A8_ITEMS
}


def refused(response) -> tuple[str, str]:
    """(the page, the text a runner reads in its <main>) of a form shown again with its problems."""
    assert response.status_code == 400, response.status_code
    page = response.content.decode()
    return page, main_text(page)


def assert_plain(text: str, *field_keys: str) -> None:
    """No raw value quoted back, no spec section, no field key in the words a runner reads."""
    assert not RAW_WORDS.search(text), RAW_WORDS.search(text)
    for key in field_keys:
        assert key not in text, key


def assert_beside(page: str, control_id: str) -> None:
    """The control is marked invalid and described by its own error, which sits next to it."""
    control = re.search(
        rf'<(?:input|select|textarea|div|fieldset)[^>]*\bid="{re.escape(control_id)}"[^>]*>', page
    )
    assert control, control_id
    assert f'aria-describedby="{control_id}-error"' in control.group(0), control.group(0)
    assert f'class="field-error" id="{control_id}-error"' in page
    after = page[control.end() : control.end() + 3000]
    assert f'id="{control_id}-error"' in after, "the error is not next to its field"


# --- every form: the error in words, beside its field, what was typed kept ---------------------------


def test_check_in_errors_name_the_field_and_keep_what_was_typed(client):
    post = {**ALL_NO, "pain_now": "4", "ran": "no", "stiffness": "lots", "sleep_hours": "", "note": "stiff"}
    post.pop("rf_saddle_numbness")
    page, text = refused(client.post("/diary/", {**post, "sitting_hours": "30"}))
    assert "Stiffness: type a whole number from 0 to 10, such as 3." in text
    assert "Hours sitting today: type a number from 0 to 24 hours, such as 6." in text
    assert "Please answer this question." in text  # beside the safety question left out
    assert_plain(text, "stiffness", "sitting_hours", "saddle_numbness", "red_flags")
    assert_beside(page, "stiffness")
    assert_beside(page, "sitting_hours")
    assert 'id="rf_saddle_numbness" role="radiogroup"' in page
    assert 'aria-invalid="true" aria-describedby="rf_saddle_numbness-error"' in page
    assert 'value="lots"' in page and 'value="30"' in page and ">stiff</textarea>" in page
    assert re.search(r'name="pain_now" value="4" checked', page)
    assert "<details open><summary>More (optional)" in page  # the fold holding the errors opens
    assert DiaryEntry.objects.count() == 0


def test_new_run_errors_name_the_field_and_keep_what_was_typed(client):
    post = {"day": local_today().isoformat(), "distance_km": "", "duration_min": "forty", "rpe": "12"}
    page, text = refused(client.post("/activities/new-run/", {**post, "terrain": "uphill_heavy"}))
    assert "Distance (km) is needed: type it as a number, such as 8.5." in text
    assert "Duration (minutes): type a number more than 0 and at most 2880 minutes, such as 45." in text
    assert "Effort (RPE): type a number from 0 to 10, such as 6." in text
    assert_plain(text, "distance_km", "duration_min", "rpe ")
    for field in ("distance_km", "duration_min", "rpe"):
        assert_beside(page, field)
    assert 'value="forty"' in page and 'value="12"' in page
    assert '<option value="uphill_heavy" selected>Mostly uphill</option>' in page
    assert Activity.objects.count() == 0


def test_activity_effort_error_sits_beside_it(client):
    run = _run(1)
    page, text = refused(client.post(f"/activities/{run.id}/rpe/", {"rpe": "hard"}))
    assert "Effort (RPE): type a number from 0 to 10, such as 6. 0 is rest, 10 your hardest." in text
    assert_plain(text)
    assert_beside(page, "rpe")
    assert 'value="hard"' in page


def test_shoe_errors_name_the_field_and_keep_what_was_typed(client):
    post = {"action": "add", "name": "", "brand": "Asics", "start_km": "many", "bought": "2999-01-01"}
    page, text = refused(client.post("/shoes/", post))
    assert "Name is needed: please fill it in." in text
    assert "Km already done in them: type a number from 0 to 20000 km, such as 120." in text
    assert "Bought on: 2999-01-01 is in the future" in text
    assert_plain(text, "start_km", "bought ")
    for field in ("name", "start_km", "bought"):
        assert_beside(page, field)
    assert 'value="Asics"' in page and 'value="many"' in page
    shoe = Shoe.objects.create(owner=local_user(), name="Pegasus", replacement_km=700)
    page, text = refused(client.post("/shoes/", {"action": "edit", "shoe": "Pegasus", "replacement_km": "x"}))
    assert "Remind me to replace them at (km): type a number more than 0 and at most 20000 km" in text
    assert_plain(text, "replacement_km")
    assert_beside(page, f"replacement-{shoe.id}")
    assert 'value="x"' in page


def test_settings_error_names_the_field_and_keeps_the_choice(client):
    page, text = refused(client.post("/settings/", {"country": "GB", "units": "furlong"}))
    assert "Distances and pace: choose kilometres or miles." in text
    assert_plain(text, "units")
    assert '<option value="GB" selected>' in page
    page, text = refused(client.post("/settings/", {"country": "XX", "units": "mile"}))
    assert "Country: choose your country from the list" in text
    assert_beside(page, "country")
    assert 'value="mile" checked' in page


def test_outcome_errors_name_the_activity_and_keep_what_was_typed(client):
    page, text = refused(client.post("/outcomes/", {"activity_1": "carry shopping", "rating_1": "²"}))
    assert "The rating of activity 1 must be a whole number from 0 (can't do it) to 10" in text
    assert_plain(text, "rating_1")
    assert 'aria-describedby="rating_1-error"' in page and 'class="field-error" id="rating_1-error"' in page
    assert 'value="carry shopping"' in page


def test_roland_morris_error_keeps_the_ticks(client):
    page, text = refused(client.post("/rmdq/", {"ticked": ["3", "99"]}))
    assert "Statements: the form sent a statement number that is not a whole number from 1 to 24." in text
    assert_plain(text)
    assert_beside(page, "statements")
    assert 'value="3" checked' in page


def test_upload_errors_sit_beside_the_file_field(client):
    page, text = refused(client.post("/activities/upload/", {}))
    assert "Files: choose one or more activity files" in text
    assert_beside(page, "files")
    video = SimpleUploadedFile("clip.mp4", b"", content_type="video/mp4")
    page, text = refused(client.post("/form/upload/", {"video": video, "view": "rear"}))
    assert "That file is empty. Choose the video again." in text
    assert_beside(page, "video")
    assert 'value="rear" checked' in page


# --- no field names, codes or rule ids on the pages -------------------------------------------------


def _run(days_ago: int, **fields: object) -> Activity:
    return Activity.objects.create(
        owner=local_user(),
        start_time=datetime.combine(local_today() - timedelta(days=days_ago), datetime.min.time(), UTC),
        sport="running",
        distance_m=5000,
        moving_time_s=1800,
        **{"source_format": "manual", **fields},
    )


def _codes_on(client, paths: list[str]) -> list[str]:
    found = []
    for path in paths:
        text = read_text(client.get(path).content.decode())
        for pattern in (SNAKE_CASE, RULE_ID, RAW_WORDS):
            found += [f"{path}: {match.group(0)!r}" for match in pattern.finditer(text)]
    return found


def _jobs(count: int) -> list[str]:
    """Form checks in each state and a finished import of ``count`` activities: their pages."""
    user = local_user()
    medians = {"cadence_spm": 168.0, "overstride_pct_leg": 14.0, "trunk_lean_deg": 7.0}
    FormCheck.objects.create(owner=user, status="done", view="rear", filename="clip.mp4", medians=medians)
    FormCheck.objects.create(owner=user, status="queued", filename="next.mp4")
    FormCheck.objects.create(owner=user, status="failed", filename="dark.mp4", message="Too dark to see.")
    result = {"imported": count, "skipped_duplicates": count, "failed": []}
    job = ImportJob.objects.create(
        owner=user, status="done", total_files=count, processed_files=count, result=result
    )
    return ["/form/", f"/imports/{job.id}/"]


def test_no_page_shows_a_field_name_a_code_or_a_rule_id(client):
    paths = [*seed_every_page(), "/more/", "/rmdq/", "/activities/new-run/", *_jobs(2)]
    hilly = _run(3, terrain="uphill_heavy", surface="trail", source_file="/home/ann/exports/run.fit")
    paths += [f"/activities/{hilly.id}/"]
    assert _codes_on(client, paths) == []  # Plan and Today included


def test_terrain_surface_and_the_file_read_as_words(client):
    hilly = _run(
        3, terrain="uphill_heavy", surface="trail", source_file="C:\\Users\\ann\\run.fit", source_format="fit"
    )
    page = client.get(f"/activities/{hilly.id}/").content.decode()
    text = read_text(page)
    assert "Mostly uphill, trail" in text and "uphill_heavy" not in text
    assert "run.fit" in text and "Users" not in text  # the path only in the clinician fold
    assert "C:\\Users\\ann\\run.fit" in page
    listing = read_text(client.get("/activities/").content.decode())
    assert "Mostly uphill, trail" in listing
    form = client.get("/activities/new-run/").content.decode()
    assert ">Mostly uphill</option>" in form and ">uphillheavy<" not in form


# --- sources -------------------------------------------------------------------------------------------


def test_sources_read_as_references_with_links_and_the_seeds_by_title(client):
    page = client.get("/sources/").content.decode()
    text = read_text(page)
    for source in catalog.sources().values():
        assert f'<li id="{source.id}">' in page  # links from other pages still land
        if source.url:
            assert f'href="{source.url}"' in page
    assert "Symptoms, causes and prevention for runners with lower back pain" in text
    assert "Why do I get lower back pain from running?" in text
    assert "Cook et al. (1985)" in text and "Roland and Morris (1983)" in text
    assert 'href="https://doi.org/10.1136/bjsports-2024-109380"' in page  # the DOI the spec gives
    assert "shared/seeds" not in text and "seed-000" not in text  # only in the clinician fold
    assert "shared/seeds/000_3b2d42cccd15bd89.txt" in page


def test_every_source_link_lands_on_an_anchor_of_the_sources_page(client):
    anchors = set(re.findall(r'<li id="([^"]+)"', client.get("/sources/").content.decode()))
    for path in [*seed_every_page(), "/shoes/"]:
        page = client.get(path).content.decode()
        for target in re.findall(r'href="/sources/#([^"]+)"', page):
            assert target in anchors, (path, target)


# --- plurals -------------------------------------------------------------------------------------------

WRONG_PLURAL = re.compile(
    r"\b1 (?:activities|days|runs|questions|weeks|steps|files|people|ratings|checks|shoes|things|"
    r"problems|statements|entries|sessions|duplicates|exercises|points)\b"
)
WRONG_SINGULAR = re.compile(
    r"\b(?:[02-9]|\d\d+) (?:activity|day|run|question|week|file|person|check|thing)\b"
)


@pytest.mark.parametrize("count", [1, 2])
def test_counts_read_right_with_one_and_two(client, count):
    user = local_user()
    shoe = Shoe.objects.create(owner=user, name="Pegasus", replacement_km=700)
    for days_ago in range(count):
        _run(days_ago + 1, shoe=shoe)
        DiaryEntry.objects.create(owner=user, day=local_today() - timedelta(days=days_ago), pain_now=2)
    check_symptoms(_self_manage(), user)
    record_rating(user, [(f"walk {n} km", 4) for n in range(count)], source="web")
    paths = [*seed_pages(), *_jobs(count)]
    for path in paths:
        text = main_text(client.get(path).content.decode())
        for wrong in (WRONG_PLURAL, WRONG_SINGULAR):
            found = wrong.search(text)
            assert not found, (path, text[max(found.start() - 120, 0) : found.end() + 40])
    shoes = main_text(client.get("/shoes/").content.decode())
    assert f"{count} run{'s' if count > 1 else ''}" in shoes


def _self_manage() -> dict[str, object]:
    from tests.cases import SELF_MANAGE

    return dict(SELF_MANAGE)


def seed_pages() -> list[str]:
    from tests.web.pages import MAIN_PAGES

    return [*MAIN_PAGES, "/more/", "/rmdq/", "/activities/new-run/"]


def test_import_progress_counts_its_files():
    from django.template.loader import render_to_string

    job = {"id": 1, "processed_files": 0, "total_files": 1, "status": "running", "result": {}}
    one = render_to_string("web/_import_job.html", {"job": job, "running": True, "percent": 0})
    assert "0 of 1 file." in one
    job["total_files"] = 2
    assert "0 of 2 files." in render_to_string(
        "web/_import_job.html", {"job": job, "running": True, "percent": 0}
    )


def test_a_roland_morris_change_of_one_point_reads_one_point(client):
    from backstride.services.rmdq import record_rmdq

    record_rmdq(local_user(), [1, 2, 3])
    record_rmdq(local_user(), [1, 2])
    record_rmdq(local_user(), [1, 2, 3, 4])
    history = main_text(client.get("/history/").content.decode())
    assert "dropped by 1 point since your first score (3)" in history
    assert "Change since your first score (3): +1 point." in history
    assert not WRONG_PLURAL.search(history)
