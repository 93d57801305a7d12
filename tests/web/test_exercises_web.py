"""The exercise library on the web and the CLI: every exercise page shows its picture, steps and sources."""

from __future__ import annotations

import json
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner
from django.utils.html import escape

from backstride.cli import main
from backstride.knowledge.exercises import exercises

pytestmark = pytest.mark.django_db


def test_every_exercise_page_has_a_picture_steps_dose_and_sources(client):
    listing = client.get("/exercises/").content.decode()
    for item in exercises().values():
        assert f"/exercises/{item.id}/" in listing
        page = client.get(f"/exercises/{item.id}/").content.decode()
        svg = page[page.index("<svg") : page.index("</svg>") + 6]
        ElementTree.fromstring(svg)  # well-formed
        assert "start position" in svg
        assert escape(item.steps[0]) in page and 'id="sources"' in page


def test_flexion_exercises_show_their_disc_caution(client):
    page = client.get("/exercises/sit-ups/").content.decode()
    assert 'id="cautions"' in page and "disc" in page.lower()


def test_unknown_exercise_is_404(client):
    assert client.get("/exercises/levitation/").status_code == 404


def test_cli_lists_filters_and_shows_with_a_picture(tmp_path):
    data = json.loads(
        CliRunner().invoke(main, ["exercises", "--pattern", "nerve_root", "--format", "json"]).stdout
    )
    deadlifts = [row for row in data["exercises"] if row["id"] == "deadlifts"]
    # Listed for a nerve-root pattern, but with its caution for that pattern (no loaded flexion yet).
    assert [row["cautions"]["nerve_root"] for row in deadlifts] == [
        "No loaded flexion until the leg pain centralises; leave deadlifts out until then."
    ]
    svg = tmp_path / "bridge.svg"
    result = CliRunner().invoke(
        main, ["exercises", "show", "glute-bridge", "--svg", str(svg), "--format", "json"]
    )
    bridge = json.loads(result.stdout)
    assert bridge["id"] == "glute-bridge"
    assert (bridge["loads"], bridge["pregnancy_ok"], bridge["pregnancy_swap"]) == (
        ["supine"],
        False,
        "hip-thrust",
    )
    ElementTree.fromstring(svg.read_text())
    assert CliRunner().invoke(main, ["exercises", "show", "levitation"]).exit_code == 1


def test_the_walk_run_page_and_cli_show_all_seven_stages(client):
    from click.testing import CliRunner

    from backstride.cli import main

    page = client.get("/exercises/walk-run/").content.decode()
    assert 'id="stages"' in page and "run 30 min continuously" in page and "walk 4 min + run 1 min" in page
    assert 'id="stages"' not in client.get("/exercises/front-plank/").content.decode()
    text = CliRunner().invoke(main, ["exercises", "show", "walk-run"]).output
    assert "Stage 7: run 30 min continuously" in text
