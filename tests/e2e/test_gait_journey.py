"""The running-form check in a real browser with a real clip: upload, the result with key frames and
the pick shown on a frame, then a box drawn around the other person to analyse him instead."""

from __future__ import annotations

import pytest
from tests.e2e.conftest import screenshot
from tests.pose.conftest import MAN_ON_BOX_ROI, WALK

from backstride.storage.models import FormCheck

pytestmark = [pytest.mark.e2e, pytest.mark.video, pytest.mark.django_db(transaction=True)]


def test_upload_a_clip_see_the_result_and_correct_the_pick(browser, live_server, monkeypatch):
    monkeypatch.setenv("BACKSTRIDE_JOBS_INLINE", "1")  # the upload returns when the analysis is done
    page = browser.new_context(viewport={"width": 1100, "height": 900}, base_url=live_server.url).new_page()
    page.goto("/form/")
    assert "How to film" in page.inner_text("main")
    page.set_input_files("#video", str(WALK))
    page.check('input[name="view"][value="side"]')
    # The analysis runs inside the upload's request: its navigation may take a while on a busy machine.
    page.click("#gait-upload button.primary", timeout=180_000)
    page.wait_for_selector("#findings", timeout=180_000)
    text = page.inner_text("main")
    assert "This looks like walking" in text and "What a phone video can and cannot tell" in text
    assert "Step rate" in page.inner_text("#gait-summary")
    loaded = page.evaluate("[...document.querySelectorAll('#key-frames img')].map(i => i.naturalWidth)")
    assert len(loaded) == 4 and all(width > 300 for width in loaded)
    captions = page.inner_text("#key-frames")
    assert captions.count("Left foot strike") == 2 and captions.count("Right foot strike") == 2
    assert page.evaluate("document.getElementById('selection-image').naturalWidth") > 300
    screenshot(page, "form-check-result")

    # Drag a box around the man on the box: the fields get his box in video pixels.
    page.locator("#selection-image").scroll_into_view_if_needed()
    image = page.locator("#selection-image").bounding_box()
    scale = image["width"] / 1768  # the clip is 1768 px wide
    x0, y0, x1, y1 = MAN_ON_BOX_ROI
    page.mouse.move(image["x"] + x0 * scale + 2, image["y"] + y0 * scale + 2)
    page.mouse.down()
    page.mouse.move(image["x"] + x1 * scale - 2, image["y"] + y1 * scale - 2, steps=5)
    page.mouse.up()
    values = [int(page.input_value(f'#box-form input[name="{name}"]')) for name in ("x0", "y0", "x1", "y1")]
    assert abs(values[0] - x0) < 15 and abs(values[2] - x1) < 15 and abs(values[3] - y1) < 15
    page.click("#box-form button", timeout=180_000)  # a second analysis, inside the request too
    page.wait_for_selector("#findings, #gait-error", timeout=180_000)
    rerun = FormCheck.objects.order_by("-id").first()
    assert rerun.roi == values  # the person in the box, not the automatic pick
    if rerun.status == "done":  # he mostly stands and jumps: too few steps is the honest answer
        assert rerun.result["video"]["selection"]["method"] == "roi"
    else:
        assert rerun.error_code in ("too_few_steps", "too_short", "no_person"), rerun.message
        assert "Film" in page.inner_text("#gait-error")
    screenshot(page, "form-check-other-person")
    page.goto("/form/")
    assert page.locator("#gait-checks tbody tr").count() == 2
