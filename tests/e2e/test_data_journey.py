"""The "Your data" pages in a browser (issue 14): download the export, a refused restore, the DELETE
confirmation and what was deleted; screenshots at phone and desktop width into test-artifacts/screens/
(looked at), and no page wider than the phone."""

from __future__ import annotations

import zipfile

import pytest
from tests.conftest import ARTIFACTS
from tests.services.data_world import fill

from backstride.services import backup
from backstride.services.users import local_user
from backstride.storage.models import Activity

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SCREENS = ARTIFACTS / "screens"
SIZES = {"390": {"width": 390, "height": 844}, "1280": {"width": 1280, "height": 900}}


def fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width} px wide"


def shot(page, name: str, size: str) -> None:
    fits(page)
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"data-{name}-{size}.png"), full_page=True)


@pytest.mark.parametrize("size", list(SIZES))
def test_export_refused_restore_and_delete_in_a_browser(browser, live_server, tmp_path, size):
    fill(local_user())
    backup.back_up()
    context = browser.new_context(viewport=SIZES[size], base_url=live_server.url, accept_downloads=True)
    page = context.new_page()
    page.goto("/data/")
    shot(page, "page", size)
    with page.expect_download() as caught:
        page.click("text=Download my data (.zip)")
    saved = tmp_path / "export.zip"
    caught.value.save_as(saved)
    assert "manifest.json" in zipfile.ZipFile(saved).namelist()

    not_a_zip = tmp_path / "holiday.jpg"
    not_a_zip.write_bytes(b"\xff\xd8\xff not a zip")
    page.set_input_files("#export-file", str(not_a_zip))
    page.click("text=Restore from this file")
    page.wait_for_selector(".error")
    assert "This file cannot be restored" in page.inner_text(".error")
    shot(page, "restore-refused", size)

    page.goto("/data/delete/")
    page.fill("#confirm", "delete")
    page.click("text=Delete everything")
    page.wait_for_selector("#confirm-error")
    shot(page, "delete-confirm", size)
    page.fill("#confirm", "DELETE")
    page.click("text=Delete everything")
    page.wait_for_selector("text=Your data was deleted")
    shot(page, "deleted", size)
    assert not Activity.objects.exists()

    page.goto("/data/")
    page.set_input_files("#export-file", str(saved))
    page.click("text=Restore from this file")
    page.wait_for_selector(".toast")
    assert "Restored: " in page.inner_text(".toast")
    shot(page, "restored", size)
    assert Activity.objects.count() == 4
    context.close()
