"""`check --answers` with hostile files (issue 11, item 8): each exits 2 with one line per problem naming
the item (or the file), saves nothing and never shows a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from tests.cases import SELF_MANAGE

from backstride.cli import main
from backstride.storage.models import SymptomCheck

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_ok]


def check(path: Path | str, *extra: str) -> Result:
    result = CliRunner().invoke(main, ["check", "--answers", str(path), *extra], catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def refused(result: Result) -> dict[str, str]:
    """Exit 2, one short line per problem after the header, nothing saved: {item: message}."""
    assert result.exit_code == 2, result.output
    header, *lines = result.stderr.splitlines()
    assert header.startswith("error: ") and "nothing was saved" in header
    assert lines and all(line.startswith("  ") and len(line) < 300 for line in lines), result.stderr
    assert SymptomCheck.objects.count() == 0
    return dict(line.strip().split(": ", 1) for line in lines)


def written(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "answers.json"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def with_value(value_json: str) -> str:
    """SELF_MANAGE with age replaced by a raw JSON value."""
    return json.dumps(SELF_MANAGE).replace('"age": 34', f'"age": {value_json}')


@pytest.mark.parametrize(
    ("value_json", "words"),
    [
        ("1" * 400, "a number of 400 digits"),
        ("1" * 5000, "a number of 5000 digits"),  # beyond Python's 4300-digit limit: was a ValueError
        ("-" + "9" * 16, "a number of 16 digits"),
        ("NaN", "is NaN"),
        ("Infinity", "is Infinity"),
        ("-Infinity", "is -Infinity"),
        ("1e400", "is 1e400"),
        ("[1, NaN]", "is NaN"),
        ('{"a": [Infinity]}', "is Infinity"),
    ],
)
def test_a_value_no_answer_can_be_is_refused_naming_the_item(tmp_path, value_json, words):
    problems = refused(check(written(tmp_path, with_value(value_json))))
    assert list(problems) == ["age"] and words in problems["age"]


def test_nesting_deeper_than_python_follows_is_refused(tmp_path):
    deep = "[" * 100_000 + "]" * 100_000  # was a RecursionError traceback
    problems = refused(check(written(tmp_path, with_value(deep))))
    assert "nested too deeply" in problems["(file)"]


def test_a_lone_surrogate_key_is_named_escaped(tmp_path):
    problems = refused(check(written(tmp_path, '{"\\udcff": 1, "pain_now": 2}')))
    assert problems == {"\\udcff": "unknown item id (see spec/questionnaire.json)"}
    as_json = check(written(tmp_path, '{"\\ud800x": 1}'), "--format", "json")
    assert as_json.exit_code == 2
    assert json.loads(as_json.stdout)["problems"][0]["item_id"] == "\ud800x"  # the key as given


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null", "/dev/urandom"])
def test_a_device_is_not_an_answers_file(device):
    # /dev/zero reports a size of 0, so the old size check let it through and it was read forever.
    problems = refused(check(device))
    assert "is not a regular file" in problems["(file)"]


def test_a_folder_or_a_missing_file(tmp_path):
    folder = check(tmp_path)  # Click's own check (dir_okay=False): a usage error, exit 2
    assert folder.exit_code == 2 and "is a directory" in folder.output
    assert "does not exist" in refused(check(tmp_path / "nope.json"))["(file)"]


def test_a_fifo_is_refused_at_once_rather_than_waited_on(tmp_path):
    """A real process: reading a FIFO nobody writes to would block for ever."""
    fifo = tmp_path / "answers.fifo"
    os.mkfifo(fifo)
    env = {**os.environ, "BACKSTRIDE_DATA_DIR": str(tmp_path / "data")}
    env.pop("BACKSTRIDE_DB", None)
    done = subprocess.run(
        [sys.executable, "-m", "backstride.cli", "check", "--answers", str(fifo), "--no-save"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "is not a regular file" in done.stderr
    assert "Traceback" not in done.stderr


def test_more_than_a_megabyte_is_refused_whatever_the_file_system_says(tmp_path):
    problems = refused(check(written(tmp_path, '{"pain_now": 2, "x": "' + "a" * 1_000_000 + '"}')))
    assert "larger than 1 MB" in problems["(file)"]


def test_a_utf8_byte_order_mark_is_fine_utf16_is_named(tmp_path):
    with_bom = written(tmp_path, b"\xef\xbb\xbf" + json.dumps(SELF_MANAGE).encode())
    assert check(with_bom, "--no-save").exit_code == 0
    problems = refused(check(written(tmp_path, json.dumps(SELF_MANAGE).encode("utf-16"))))
    assert "UTF-16" in problems["(file)"]
    assert "not UTF-8" in refused(check(written(tmp_path, b'{"pain_now": "\xff"}')))["(file)"]


@pytest.mark.parametrize(
    ("text", "item", "words"),
    [
        ("[1, 2]", "(file)", "must be a JSON object"),
        ('"pain"', "(file)", "must be a JSON object"),
        ("", "(file)", "is not valid JSON"),
        ('{"pain_now": 2,}', "(file)", "is not valid JSON"),
        ('{"pain_now": 2, "pain_now": 9}', "pain_now", "appears more than once"),
        ('{"pain_now": "²"}', "pain_now", "must be a whole number from 0 to 10"),
        ('{"pain_now": [' + "1," * 200_000 + "1]}", "pain_now", "must be a whole number"),
    ],
)
def test_other_malformed_files_name_what_to_fix(tmp_path, text, item, words):
    problems = refused(check(written(tmp_path, text)))
    assert words in problems[item]


def test_json_output_on_a_refusal_is_one_object(tmp_path):
    result = check(written(tmp_path, with_value("NaN")), "--format", "json")
    assert result.exit_code == 2
    assert json.loads(result.stdout)["problems"][0]["item_id"] == "age"


def test_duplicate_keys_in_an_answers_file_are_refused(tmp_path):
    path = tmp_path / "a.json"
    path.write_text('{"saddle_numbness": true, "pain_now": 2, "saddle_numbness": false}')
    result = CliRunner().invoke(main, ["check", "--answers", str(path), "--format", "json"])
    assert result.exit_code == 2
    assert [p["item_id"] for p in json.loads(result.stdout)["problems"]] == ["saddle_numbness"]
    assert SymptomCheck.objects.count() == 0
