"""Issue 11, item 8: the form-check box is checked before anything is stored or analysed. Hostile corners
posted to /form/<id>/box/ (nan, inf, 1e308, negative, reversed, too small, outside the frame, not
numbers) give a 400 with the reason, never a 500; a good box starts the analysis again."""

from __future__ import annotations

from pathlib import Path

import pytest

import backstride.pose as pose
from backstride.services import gait
from backstride.services.users import local_user
from backstride.storage.models import FormCheck

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_ok]

WIDTH, HEIGHT = 1280, 720

HOSTILE = [
    ({"x0": "nan", "y0": "0", "x1": "100", "y1": "100"}, "not a number"),
    ({"x0": "0", "y0": "0", "x1": "inf", "y1": "100"}, "not a number"),
    ({"x0": "-inf", "y0": "0", "x1": "100", "y1": "100"}, "not a number"),
    ({"x0": "0", "y0": "0", "x1": "1e308", "y1": "100"}, "no video is that large"),
    ({"x0": "0", "y0": "0", "x1": "1e999", "y1": "100"}, "not a number"),
    ({"x0": "-5", "y0": "0", "x1": "100", "y1": "100"}, "pixels start at 0"),
    ({"x0": "800", "y0": "0", "x1": "500", "y1": "500"}, "greater than the left edge"),
    ({"x0": "10", "y0": "10", "x1": "15", "y1": "15"}, "at least 16 pixels"),
    ({"x0": "0", "y0": "0", "x1": "1281", "y1": "100"}, "1280 x 720"),
    ({"x0": "0", "y0": "0", "x1": "100", "y1": "721"}, "1280 x 720"),
    ({"x0": "²", "y0": "0", "x1": "100", "y1": "100"}, "must be a number"),
    ({"x0": "0x10", "y0": "0", "x1": "100", "y1": "100"}, "must be a number"),
    ({"x0": "", "y0": "0", "x1": "100", "y1": "100"}, "must be a number"),
    ({"y0": "0", "x1": "100", "y1": "100"}, "must be a number"),
    ({"x0": "1" * 5000, "y0": "0", "x1": "100", "y1": "100"}, "no video is that large"),
]


@pytest.fixture
def done_check(tmp_path, monkeypatch):
    """A finished check of a 1280 x 720 clip that is still kept, and the analyses started since."""
    monkeypatch.setenv("BACKSTRIDE_JOBS_INLINE", "1")
    monkeypatch.setattr(gait, "video_root", lambda: tmp_path)
    started = []

    def extract(path, roi=None, progress=None):
        started.append(roi)
        raise pose.VideoError("no_person", "No person in this test clip.")

    monkeypatch.setattr(pose, "extract_pose", extract)
    clip = tmp_path / "kept.mp4"
    clip.write_bytes(b"x" * 100)
    check = FormCheck.objects.create(
        owner=local_user(),
        status="done",
        filename="kept.mp4",
        view="side",
        video_path=str(clip),
        result={"video": {"width": WIDTH, "height": HEIGHT}},
    )
    return check, started


@pytest.mark.parametrize(("fields", "reason"), HOSTILE, ids=[str(i) for i in range(len(HOSTILE))])
def test_a_hostile_box_is_a_400_with_the_reason(client, done_check, fields, reason):
    check, started = done_check
    response = client.post(f"/form/{check.id}/box/", fields)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Draw the box again" in page and reason in page
    assert FormCheck.objects.count() == 1 and not started  # nothing stored, nothing analysed


def test_a_good_box_inside_the_frame_starts_the_analysis_again(client, done_check):
    check, started = done_check
    fields = {"x0": "500", "y0": "0", "x1": "1280", "y1": "720"}  # up to the frame's edge
    response = client.post(f"/form/{check.id}/box/", fields)
    assert response.status_code == 302
    assert started == [(500.0, 0.0, 1280.0, 720.0)]
    rerun = FormCheck.objects.exclude(id=check.id).get()
    assert rerun.roi == [500.0, 0.0, 1280.0, 720.0]
    assert Path(check.video_path).exists()  # the failed rerun does not take the kept clip with it
