"""The experiments page: the start form with the kinds in words, the open experiment with its days
and adherence, an early stop, a finished one with its verdict and bar chart; errors keep what was typed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests.experiment_data import fill_experiment

from backstride.config import local_today
from backstride.services.users import local_user
from backstride.storage.models import Experiment

pytestmark = pytest.mark.django_db

URL = "/experiments/"


def test_the_empty_page_offers_every_kind_in_words(client):
    page = client.get(URL).content.decode()
    for words in ("Two weeks without hills", "Switch shoes", "Break up sitting", "Shorter long run",
                  "Rest day after a long run", "No run with more than 15 m of climb per km"):  # fmt: skip
        assert words in page
    assert "no_hills" not in page.replace('value="no_hills"', "")  # the key only as a form value
    assert "Finished" not in page


def test_start_then_the_open_one_shows_days_and_adherence_then_stop(client):
    response = client.post(URL, {"kind": "break_up_sitting", "param": "", "from": ""})
    assert response.status_code == 302
    page = client.get(URL).content.decode()
    assert "Running now: Break up sitting" in page and "0 days done" in page and "14 days to go" in page
    assert "Start for two weeks" not in page  # one at a time
    assert client.post("/experiments/stop/").status_code == 302
    page = client.get(URL).content.decode()
    assert "not enough data" in page and "(stopped early)" in page and "no days to judge yet" in page
    assert Experiment.objects.get().stopped_on == local_today()


def test_a_refused_form_keeps_what_was_typed_and_names_the_field(client):
    response = client.post(URL, {"kind": "no_hills", "param": "steep", "from": "2026-13-40"})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'value="steep"' in page and 'value="2026-13-40"' in page
    assert "Setting (optional)" in page and "First day" in page and 'aria-invalid="true"' in page
    assert 'value="no_hills" checked' in page
    assert not Experiment.objects.exists()


def test_a_finished_experiment_shows_the_verdict_and_the_chart(client):
    today = local_today()
    start = today - timedelta(days=14)
    fill_experiment(local_user(), start, today, before=6, during=2)
    Experiment.objects.create(owner=local_user(), kind="no_hills", param="15", start=start)
    page = client.get(URL).content.decode()
    assert "clear difference" in page and "A-B-A" in page and "not proof" in page
    assert "<svg" in page and "points lower" in page and "14 rated days before, 14 during" in page
    assert "kept on 7 of 7 runs (100%)" in page
    assert "<script" not in page.split("<main", 1)[1] and "style=" not in page


def test_the_more_page_links_to_experiments(client):
    page = client.get("/more/").content.decode()
    assert 'href="/experiments/"' in page
