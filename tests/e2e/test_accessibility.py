"""axe-core on every page (issue 13 item 8): no serious or critical accessibility violation at phone
and desktop width, in the light and the dark scheme.

The pages are those tests/e2e/test_design.py checks (the plan with items, an exercise, a check result
among them), plus the states a runner reaches by doing something: the check's first question and that
question with its error, a result with every fold open, amber, red and emergency results and Today
after each, the run form with its errors, the "Saved" and "Undo" toasts, a running import and form
check, an analysed form check, its delete confirmation, and the offline page. Every violation of any
impact is written to test-artifacts/axe/<size>-<scheme>.json.

axe runs under the app's real Content-Security-Policy (no `bypass_csp`): Playwright's `page.evaluate`
goes through the DevTools protocol, which the page's CSP does not govern, and axe-core needs no eval.
So what axe sees is what a runner's browser shows, inline styles and scripts blocked as they are.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass

import pytest
from axe_playwright_python.sync_playwright import Axe
from tests.cases import SEE_A_DOCTOR, SELF_MANAGE
from tests.conftest import ARTIFACTS
from tests.core.gait.synthetic import side_gait
from tests.e2e.test_check_journeys import open_folds
from tests.e2e.test_check_screens import SCIATICA
from tests.e2e.test_design import DESKTOP, PHONE, every_page, open_question, page_name
from tests.services.test_gait_service import PNG, FakeExtraction

import backstride.pose as pose
import backstride.pose.draw as draw
from backstride.services import gait
from backstride.services.checks import check_symptoms
from backstride.services.users import local_user
from backstride.storage.models import FormCheck, ImportJob

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SIZES = {"phone": PHONE, "desktop": DESKTOP}
SCHEMES = ("light", "dark")
# What must be fixed. Every violation, "moderate" and "minor" too, is written to test-artifacts/axe/.
BLOCKING = ("serious", "critical")
REPORTS = ARTIFACTS / "axe"
AXE = Axe()


@pytest.fixture
def analysed_clip(monkeypatch, tmp_path) -> int:
    """A finished running-form check with every part of its page (metrics, findings, key frames),
    from a synthetic runner instead of a video (as tests/services/test_gait_service.py does)."""
    monkeypatch.setenv("BACKSTRIDE_JOBS_INLINE", "1")
    monkeypatch.setattr(gait, "video_root", lambda: tmp_path / "videos")
    synthetic = side_gait(cadence_spm=160.0, overstride=0.4)
    monkeypatch.setattr(pose, "extract_pose", lambda *args, **kwargs: (synthetic.series, FakeExtraction()))
    monkeypatch.setattr(draw, "contact_frames_png", lambda path, series, chosen, **kw: [PNG] * len(chosen))
    monkeypatch.setattr(draw, "selection_png", lambda path, selection, **kw: PNG)
    clip = tmp_path / "run.mp4"
    clip.write_bytes(b"not a video: the synthetic runner above stands in for it")
    return gait.analyse_file(local_user(), clip, "side").id


@dataclass(frozen=True)
class Finding:
    """One rule broken on one page, with what a developer needs to find it."""

    page: str
    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]
    detail: str  # axe's own words for the first element, e.g. the contrast ratio and both colours

    def __str__(self) -> str:
        where = "; ".join(self.targets[:6]) + (" …" if len(self.targets) > 6 else "")
        return f"{self.page}: {self.rule} ({self.impact}) {self.help} at {where}. {self.detail}"


def _detail(node: dict) -> str:
    checks = node.get("any", []) + node.get("all", []) + node.get("none", [])
    return next((check["message"] for check in checks if check.get("message")), "")


def findings(page, name: str) -> list[Finding]:
    """axe-core's violations on the page as it is now, of every impact."""
    response = AXE.run(page).response
    return [
        Finding(
            page=name,
            rule=violation["id"],
            impact=violation["impact"],
            help=violation["help"],
            targets=tuple(" ".join(node["target"]) for node in violation["nodes"]),
            detail=_detail(violation["nodes"][0]),
        )
        for violation in response["violations"]
    ]


def _question_with_error(page) -> None:
    open_question(page)
    page.fill("#value-input", "abc")
    page.click("button.primary")
    page.wait_for_selector(".error")


def _run_form_with_errors(page) -> None:
    page.goto("/activities/new-run/")
    page.fill("#distance_km", "far")
    page.fill("#duration_min", "")
    page.click("button.primary")
    page.wait_for_selector(".error")


def _open_result(path: str) -> Callable[[object], None]:
    def visit(page) -> None:
        page.goto(path)
        open_folds(page)

    return visit


def _save_a_run(page) -> None:
    """A run saved: its page with the "Saved" toast."""
    page.goto("/activities/new-run/")
    page.fill("#distance_km", "5")
    page.fill("#duration_min", "30")
    page.click("button.primary")
    page.wait_for_selector(".toast")


def _delete_the_run(page) -> None:
    """The run just saved, deleted: the list with its Undo toast."""
    page.click("text=Delete this activity")
    page.wait_for_selector(".toast-undo")


def _visit(path: str) -> Callable[[object], None]:
    def visit(page) -> None:
        page.goto(path)
        page.wait_for_load_state("load")

    return visit


def states(analysed_clip: int) -> Iterator[tuple[str, Callable[[object], None]]]:
    """Each page or state as (name, how to reach it); data is stored as the runner goes on."""
    paths = every_page()
    yield "form-check-analysed", _visit(f"/form/{analysed_clip}/")
    for path in paths:
        yield page_name(path), _visit(path)
    yield "offline", _visit("/offline/")
    failed = FormCheck.objects.get(status="failed")
    yield "form-check-failed", _visit(f"/form/{failed.id}/")
    yield "form-check-confirm-delete", _visit(f"/form/{failed.id}/delete/")
    running = FormCheck.objects.create(owner=local_user(), status="running", filename="PXL_20261205.mp4")
    yield "form-check-running", _visit(f"/form/{running.id}/")
    job = ImportJob.objects.create(owner=local_user(), status="running", total_files=3, processed_files=1)
    yield "import-job", _visit(f"/imports/{job.id}/")
    result = next(path for path in paths if path.startswith("/checks/"))
    yield "check-result-folds-open", _open_result(result)
    yield "check-question", open_question
    yield "check-question-error", _question_with_error
    yield "new-run-errors", _run_form_with_errors
    yield "activity-saved-toast", _save_a_run
    yield "activities-undo-toast", _delete_the_run
    # The other colours of the traffic light: amber (sciatica) and red (see a doctor).
    for name, answers in (("amber", SCIATICA), ("see-a-doctor", SEE_A_DOCTOR)):
        check_id = check_symptoms(answers, local_user()).check_id
        yield f"check-result-{name}", _visit(f"/checks/{check_id}/")
        yield f"today-after-{name}", _visit("/today/")
    # Last: an emergency changes Today and the plan from here on.
    emergency = check_symptoms({**SELF_MANAGE, "saddle_numbness": True}, local_user(), completed=False)
    yield "check-result-emergency", _open_result(f"/checks/{emergency.check_id}/")
    yield "today-after-emergency", _visit("/today/")


def test_the_plan_in_the_checked_pages_has_items(browser, live_server):
    """The plan is checked with items on it (tick buttons, timers, folds), not as an empty page."""
    assert "/plan/" in every_page()
    context = browser.new_context(viewport=PHONE, base_url=live_server.url)
    page = context.new_page()
    page.goto("/plan/")
    assert page.locator(".plan-item").count() > 0
    context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("size", SIZES)
def test_no_serious_or_critical_accessibility_violation_on_any_page(
    browser, live_server, analysed_clip, size, scheme
):
    context = browser.new_context(viewport=SIZES[size], color_scheme=scheme, base_url=live_server.url)
    page = context.new_page()
    found: list[Finding] = []
    checked = 0
    for name, reach in states(analysed_clip):
        reach(page)
        found += findings(page, f"{name} [{size}, {scheme}]")
        checked += 1
    context.close()
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / f"{size}-{scheme}.json").write_text(json.dumps([asdict(f) for f in found], indent=1))
    assert checked > 20
    blocking = [finding for finding in found if finding.impact in BLOCKING]
    assert not blocking, f"{len(blocking)} accessibility violations:\n" + "\n".join(map(str, blocking))
