"""The activity list in pages of 100, newest first: ten years of runs make one page of 3,000 rows
(half a megabyte, the slowest page under load) otherwise."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from backstride.services.users import local_user
from backstride.storage.models import Activity
from backstride.web.views.activities import PAGE_SIZE

pytestmark = pytest.mark.django_db


def test_the_list_comes_in_pages_newest_first_with_links_between_them(client):
    user = local_user()
    first = datetime(2020, 1, 1, 7, tzinfo=UTC)
    Activity.objects.bulk_create(
        Activity(owner=user, start_time=first + timedelta(days=i), sport="running", source_format="manual")
        for i in range(PAGE_SIZE + 30)
    )
    newest = Activity.objects.order_by("-start_time").first()
    oldest = Activity.objects.order_by("start_time").first()
    assert newest is not None and oldest is not None
    page = client.get("/activities/").content.decode()
    assert page.count('<tr><td><a href="/activities/') == PAGE_SIZE
    assert f'href="/activities/{newest.id}/"' in page and f'href="/activities/{oldest.id}/"' not in page
    assert f"Activities 1–{PAGE_SIZE} of {PAGE_SIZE + 30}" in page and 'href="?page=2">Older' in page
    last = client.get("/activities/?page=2").content.decode()
    assert last.count('<tr><td><a href="/activities/') == 30 and f'href="/activities/{oldest.id}/"' in last
    assert 'href="?page=1">Newest' in last and "Older" not in last
    assert client.get("/activities/?page=99").status_code == 200  # past the end: the last page
    assert client.get("/activities/?page=x").status_code == 200  # not a number: the first page


def test_one_page_of_runs_needs_no_pager(client):
    Activity.objects.create(
        owner=local_user(),
        start_time=datetime(2026, 1, 1, tzinfo=UTC),
        sport="running",
        source_format="manual",
    )
    page = client.get("/activities/").content.decode()
    assert 'class="pager"' not in page and page.count('<tr><td><a href="/activities/') == 1
