"""Issue 11, items 8 and 9: every failure of `backstride gait --format json` is one JSON object
``{"error": code, "message": ...}`` on stdout, with exit status 2 for what was typed (a path, a view, a
box) and 1 for a clip that cannot be analysed; never text on stdout or a traceback. Without
``--format json`` the same failures are one line on stderr."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import backstride.pose as pose
from backstride.cli import main
from backstride.storage.models import FormCheck

pytestmark = pytest.mark.django_db

HOSTILE_ROIS = [
    "nan,0,100,100",
    "0,0,inf,100",
    "-inf,0,100,100",
    "0,0,1e308,100",
    "0,0,1e999,100",
    "-5,0,100,100",
    "300,20,10,400",  # reversed corners
    "0,0,5,5",  # too small to hold a person
    "1,2,3",
    "a,b,c,d",
    "²,0,100,100",
    "",
]


def gait(*args: str) -> Result:
    return CliRunner().invoke(main, ["gait", *args])


def json_error(result: Result, code: str, exit_code: int) -> dict:
    """The one JSON object a failure prints, checked: its code, its exit status, one line, no traceback."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert result.exit_code == exit_code, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"error", "message"}, data
    assert data["error"] == code, data
    assert data["message"] and "\n" not in data["message"]
    assert not FormCheck.objects.exists()
    return data


def text_error(result: Result, exit_code: int) -> str:
    """Without --format json: one line on stderr, nothing on stdout, no traceback."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == exit_code, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


@pytest.mark.parametrize("roi", HOSTILE_ROIS)
def test_a_hostile_roi_is_a_usage_error_in_json_and_in_one_line(roi, tmp_path):
    clip = tmp_path / "run.mp4"
    clip.write_bytes(b"never read: the box is refused first")
    data = json_error(gait(str(clip), "--roi", roi, "--format", "json"), "bad_roi", 2)
    assert "--roi" in data["message"]
    line = text_error(gait(str(clip), "--roi", roi), 2)
    assert "--roi" in line and "Usage:" not in line


def test_bad_view_unknown_option_and_no_video_are_usage_errors(tmp_path):
    clip = tmp_path / "run.mp4"
    clip.write_bytes(b"x")
    data = json_error(gait(str(clip), "--view", "front", "--format", "json"), "bad_view", 2)
    assert "'side'" in data["message"] and "'rear'" in data["message"]
    json_error(gait(str(clip), "--view=front", "--format=json"), "bad_view", 2)
    json_error(gait(str(clip), "--speed", "9", "--format", "json"), "usage", 2)
    json_error(gait("--format", "json"), "usage", 2)
    assert "--view" in text_error(gait(str(clip), "--view", "front"), 2)
    assert "VIDEO" in text_error(gait(), 2)


def test_paths_that_are_not_a_readable_file(tmp_path, monkeypatch):
    json_error(gait(str(tmp_path / "missing.mp4"), "--format", "json"), "not_found", 2)
    data = json_error(gait(str(tmp_path), "--format", "json"), "not_a_file", 2)
    assert "folder" in data["message"]
    fifo = tmp_path / "pipe.mp4"
    os.mkfifo(fifo)
    json_error(gait(str(fifo), "--format", "json"), "not_a_file", 2)  # refused without blocking on it
    json_error(gait("/dev/zero", "--format", "json"), "not_a_file", 2)
    locked = tmp_path / "locked.mp4"
    locked.write_bytes(b"\x00" * 100)
    locked.chmod(0)
    if os.geteuid() == 0:  # root reads anything: make this file refuse as it would for a user
        real_open = Path.open

        def refuse(self, *args, **kwargs):
            if self == locked:
                raise PermissionError(13, "Permission denied", str(self))
            return real_open(self, *args, **kwargs)

        monkeypatch.setattr(Path, "open", refuse)
    data = json_error(gait(str(locked), "--format", "json"), "unreadable", 2)
    assert "Permission denied" in data["message"] and "permissions" in data["message"]
    assert "No file at" in text_error(gait(str(tmp_path / "missing.mp4")), 2)
    odd = tmp_path / "line\nbreak.mp4"  # a file name cannot break the one line
    assert "line?break" in text_error(gait(str(odd)), 2)


def test_an_empty_file_and_an_unknown_check(tmp_path):
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    json_error(gait(str(empty), "--format", "json"), "empty", 1)
    json_error(gait("--delete", "999", "--format", "json"), "no_such_check", 1)
    json_error(gait("--delete", "abc", "--format", "json"), "bad_delete_id", 2)


def test_an_unexpected_failure_inside_the_analysis_is_a_message_not_a_traceback(tmp_path, monkeypatch):
    clip = tmp_path / "run.mp4"
    clip.write_bytes(b"x" * 100)

    def broken(*args, **kwargs):
        raise RuntimeError("decoder exploded")

    monkeypatch.setattr(pose, "extract_pose", broken)
    data = json_error(gait(str(clip), "--format", "json"), "internal", 1)
    assert "decoder exploded" in data["message"]
    assert "decoder exploded" in text_error(gait(str(clip)), 1)


@pytest.mark.video
def test_clips_that_cannot_be_analysed_are_json_errors_with_status_1(tmp_path):
    from tests.pose.clips import write_clip, write_lying_mkv

    text = tmp_path / "notes.mp4"
    text.write_text("a text file, not a video\n" * 50)
    json_error(gait(str(text), "--format", "json"), "not_video", 1)
    short = write_clip(tmp_path / "short.mp4", frames=20, value=120)
    json_error(gait(str(short), "--format", "json"), "too_short", 1)
    dark = write_clip(tmp_path / "dark.mp4", frames=90, value=5)
    json_error(gait(str(dark), "--format", "json"), "too_dark", 1)
    grey = write_clip(tmp_path / "grey.mp4", frames=75, value=120)
    json_error(gait(str(grey), "--format", "json"), "no_person", 1)
    lying = write_lying_mkv(tmp_path / "lying.mkv", frames=2000, real_fps=25.0, declared_fps=1000.0)
    data = json_error(gait(str(lying), "--format", "json"), "too_long", 1)
    assert "60 s" in data["message"]
    # a box inside the numbers' rules but outside this 160 x 120 video: a usage error
    data = json_error(gait(str(grey), "--roi", "0,0,500,100", "--format", "json"), "roi_outside", 2)
    assert "160 x 120" in data["message"]
    assert "too dark" in text_error(gait(str(dark)), 1)
