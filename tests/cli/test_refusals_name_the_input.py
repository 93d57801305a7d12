"""Every refusal names what was refused (issue 12 item 3: one error family): a bad run says "in the run",
a bad shoe "in the shoe", never "in the answers"; the count is in words ("1 problem", "2 problems");
exit 2, nothing saved, and the JSON form says the same."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from backstride.cli import main
from backstride.services.users import local_user
from backstride.storage.models import Activity, DiaryEntry, Shoe

pytestmark = pytest.mark.django_db


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def header(result) -> str:
    return result.stderr.splitlines()[0]


def test_a_bad_run_is_refused_as_a_run():
    result = invoke("log", "run", "--date", "2026-11-20", "--distance", "-3", "--duration", "abc")
    assert result.exit_code == 2
    assert header(result) == "error: 2 problems in the run; nothing was saved:"
    assert not Activity.objects.exists()
    as_json = invoke(
        "log", "run", "--date", "2026-11-20", "--distance", "-3", "--duration", "abc", "--format", "json"
    )
    assert as_json.exit_code == 2
    assert json.loads(as_json.stdout)["error"] == "invalid run; nothing was saved"


def test_a_bad_shoe_is_refused_as_a_shoe():
    Shoe.objects.create(owner=local_user(), name="Trail pair")
    result = invoke("shoes", "add", "Trail pair")
    assert result.exit_code == 2
    assert header(result) == "error: 1 problem in the shoe; nothing was saved:"
    assert Shoe.objects.count() == 1


def test_a_bad_check_in_is_refused_as_a_check_in():
    result = invoke("log", "pain", "--pain", "11", "--no-red-flags")
    assert result.exit_code == 2
    assert header(result) == "error: 1 problem in the check-in; nothing was saved:"
    assert not DiaryEntry.objects.exists()


def test_a_bad_date_option_is_refused_as_an_option():
    result = invoke("load", "--from", "yesterday-ish")
    assert result.exit_code == 2
    assert header(result) == "error: 1 problem in the options; nothing was saved:"


def test_an_unreadable_answers_file_is_refused_as_a_file(tmp_path):
    path = tmp_path / "answers.json"
    path.write_text("{not json")
    result = invoke("check", "--answers", str(path))
    assert result.exit_code == 2
    assert header(result) == "error: 1 problem in the answers file; nothing was saved:"
