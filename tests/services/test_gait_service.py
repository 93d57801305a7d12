"""Form checks through the service, the CLI and the web, with the pose backend replaced by synthetic
keypoints (the real MediaPipe path is tested in tests/pose with the shared clips)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from tests.core.gait.synthetic import side_gait

import backstride.pose as pose
import backstride.pose.draw as draw
from backstride.cli import main
from backstride.core.gait.analysis import GaitInputError, analyse
from backstride.services import gait
from backstride.services.errors import BackstrideError
from backstride.services.gait_json import metric_json
from backstride.services.gait_types import GaitHistoryRow, GaitResult, MetricJson
from backstride.services.users import local_user
from backstride.storage.models import FormCheck, FormCheckImage

pytestmark = [pytest.mark.django_db, pytest.mark.postgres_ok]
PNG = b"\x89PNG\r\n\x1a\nfake"
# The fields issue 6 names for `backstride gait --format json`: a public contract.
CLI_CONTRACT = (
    "view",
    "fps",
    "steps",
    "cadence_spm",
    "overstride_pct_leg",
    "shank_angle_deg",
    "trunk_lean_deg",
    "warnings",
)


@dataclass
class FakeSelection:
    frame: int = 10
    method: str = "travel"
    box: tuple = (10.0, 10.0, 200.0, 400.0)
    n_people: int = 2

    def to_dict(self):
        return {"method": self.method, "frame": self.frame, "box": list(self.box), "n_people": self.n_people}


@dataclass
class FakeExtraction:
    selection: FakeSelection = field(default_factory=FakeSelection)

    def to_dict(self):
        return {"fps": 60.0, "width": 1280, "height": 720, "selection": self.selection.to_dict()}


@pytest.fixture
def fake_pose(monkeypatch, tmp_path):
    """extract_pose returns a synthetic overstriding runner; calls are recorded. Uploaded clips go
    to this test's own folder."""
    monkeypatch.setenv("BACKSTRIDE_JOBS_INLINE", "1")
    monkeypatch.setattr(gait, "video_root", lambda: tmp_path / "videos")
    calls = []
    state = {"overstride": 0.40, "cadence": 160.0, "error": None}

    def extract(path, roi=None, progress=None):
        calls.append({"path": Path(path), "roi": roi})
        if state["error"]:
            raise state["error"]
        if progress:
            progress(0.5)
        synthetic = side_gait(cadence_spm=state["cadence"], overstride=state["overstride"])
        return synthetic.series, FakeExtraction()

    monkeypatch.setattr(pose, "extract_pose", extract)
    monkeypatch.setattr(draw, "contact_frames_png", lambda path, series, chosen, **kw: [PNG] * len(chosen))
    monkeypatch.setattr(draw, "selection_png", lambda path, selection, **kw: PNG)
    return state, calls


@pytest.fixture
def clip(tmp_path):
    path = tmp_path / "run.mp4"
    path.write_bytes(b"not really a video; the fake backend does not read it")
    return path


def test_a_clip_is_analysed_stored_with_key_frames_and_findings(fake_pose, clip):
    check = gait.analyse_file(local_user(), clip, "side")
    stored = FormCheck.objects.get()
    assert stored.status == "done" and stored.id == check.id
    result = stored.result
    for name in CLI_CONTRACT:
        assert name in result, name
    # The fake clip: 6 s of running at 160 steps a minute.
    assert result["steps"] == 16 and result["cadence_spm"] == pytest.approx(160.0, rel=0.01)
    assert result["findings"][0]["id"] == "GAIT-OVERSTRIDE"
    assert result["cadence_target_spm"] == [
        round(result["cadence_spm"] * 1.05),
        round(result["cadence_spm"] * 1.10),
    ]
    kinds = list(stored.images.values_list("kind", flat=True))
    assert kinds.count("selection") == 1 and kinds.count("contact") == gait.KEY_FRAMES
    assert stored.medians["overstride_pct_leg"] == pytest.approx(result["overstride_pct_leg"])
    assert stored.video_path == ""  # the CLI analyses in place and keeps no copy


def test_a_later_clip_is_compared_with_the_earlier_one_but_not_with_itself(fake_pose, clip, tmp_path):
    state, _ = fake_pose
    gait.analyse_file(local_user(), clip, "side")
    again = gait.analyse_file(local_user(), clip, "side")  # the same clip: no baseline for itself
    assert "GAIT-CHANGE" not in [f["id"] for f in again.result["findings"]]
    other = tmp_path / "later.mp4"
    other.write_bytes(b"another clip")
    state.update(overstride=0.15, cadence=176.0)
    second = gait.analyse_file(local_user(), other, "side")
    ids = [f["id"] for f in second.result["findings"]]
    assert "GAIT-CHANGE" in ids and "GAIT-OVERSTRIDE" not in ids
    change = next(f for f in second.result["findings"] if f["id"] == "GAIT-CHANGE")
    assert "Step rate: 160" in change["text"] and "176 steps/min now" in change["text"]


def test_a_clip_that_cannot_be_analysed_stores_nothing_and_says_what_to_film(fake_pose, clip):
    state, _ = fake_pose
    state["error"] = GaitInputError(
        "too_few_steps", "Only 4 steps were found.", "Film 10-20 s from the side."
    )
    with pytest.raises(gait.FormCheckFailed) as caught:
        gait.analyse_file(local_user(), clip, "side")
    assert caught.value.code == "too_few_steps" and "Film 10-20 s" in str(caught.value)
    state["error"] = pose.VideoError("not_video", "This file is not a video we can read. Film an mp4.")
    with pytest.raises(gait.FormCheckFailed, match="not a video"):
        gait.analyse_file(local_user(), clip, "side")
    assert not FormCheck.objects.exists() and not FormCheckImage.objects.exists()
    with pytest.raises(BackstrideError, match="view must be 'side'"):
        gait.analyse_file(local_user(), clip, "front")
    with pytest.raises(gait.FormCheckFailed, match="No file at") as missing:
        gait.analyse_file(local_user(), clip.with_name("missing.mp4"), "side")
    assert missing.value.code == "not_found" and missing.value.exit_code == 2


def test_cli_gait_json_contract_list_and_errors(fake_pose, clip):
    state, calls = fake_pose
    runner = CliRunner()
    result = runner.invoke(main, ["gait", str(clip), "--roi", "10,20,300,400", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    for name in CLI_CONTRACT:
        assert name in data
    assert calls[-1]["roi"] == (10.0, 20.0, 300.0, 400.0)
    text = runner.invoke(main, ["gait", str(clip)]).output
    assert "Heel ahead of pelvis" in text and "Try a slightly quicker step" in text and "Sources:" in text
    listed = json.loads(runner.invoke(main, ["gait", "--list", "--format", "json"]).stdout)
    assert len(listed) == 2 and listed[0]["status"] == "done"
    bad_roi = runner.invoke(main, ["gait", str(clip), "--roi", "300,20,10,400"])
    assert bad_roi.exit_code == 2 and "x1 must be greater than x0" in bad_roi.output
    state["error"] = GaitInputError("looks_like_rear", "This looks like a rear view.", "Film from the side.")
    failed = runner.invoke(main, ["gait", str(clip), "--format", "json"])
    assert failed.exit_code == 1 and json.loads(failed.stdout)["error"] == "looks_like_rear"


GAIT_RESULT = {
    *("view", "fps", "steps", "cadence_spm", "direction", "overstride_pct_leg", "shank_angle_deg"),
    *("trunk_lean_deg", "contacts", "toe_offs", "metrics", "warnings", "leg_length_px", "camera_roll_deg"),
    *("cutoff_hz", "label_swaps_fixed", "treadmill", "knee_flexion_ic_deg", "cadence_target_spm"),
    *("findings", "sources", "video"),
}
METRIC = {
    *("name", "unit", "frames", "sides", "values", "n", "median", "q25", "q75", "confidence", "note"),
    "iqr",
}
GAIT_ROW = {
    *("id", "day", "filename", "view", "status", "message", "cadence_spm", "overstride_pct_leg"),
    *("trunk_lean_deg", "pelvic_drop_deg"),
}


def test_cli_gait_json_keys_nested_too(fake_pose, clip):
    """The exact keys of `backstride gait VIDEO/--list/--delete --format json` (a public contract; the
    video's own keys come from the pose package, faked here: tests/pose checks them)."""
    runner = CliRunner()
    data = json.loads(runner.invoke(main, ["gait", str(clip), "--format", "json"]).stdout)
    assert set(data) == {*GAIT_RESULT, "id"}
    assert data["metrics"] and all(set(metric) == METRIC for metric in data["metrics"].values())
    assert data["findings"] and all(
        set(finding) == {"id", "kind", "title", "text", "sources"} for finding in data["findings"]
    )
    assert data["sources"] and all(set(source) == {"id", "citation"} for source in data["sources"])
    assert set(data["contacts"]) == {"left", "right"}
    listed = json.loads(runner.invoke(main, ["gait", "--list", "--format", "json"]).stdout)
    assert [set(row) for row in listed] == [GAIT_ROW]
    deleted = runner.invoke(main, ["gait", "--delete", str(data["id"]), "--format", "json"])
    assert json.loads(deleted.stdout) == {"deleted": data["id"]}


def analysis_as_before(analysis):
    """The analysis as GaitAnalysis.to_dict() and MetricSummary.to_dict() in the core gave it before
    the shaping moved to services (issue 12 item 5), written out here to compare the result with."""

    def metric(summary):
        out = asdict(summary)
        out["values"] = [v if np.isfinite(v) else None for v in summary.values]
        out["iqr"] = summary.iqr
        return out

    return {
        "view": analysis.view,
        "fps": analysis.fps,
        "steps": analysis.steps,
        "cadence_spm": analysis.cadence_spm,
        "direction": analysis.direction,
        "overstride_pct_leg": analysis.overstride_pct_leg,
        "shank_angle_deg": analysis.shank_angle_deg,
        "trunk_lean_deg": analysis.trunk_lean_deg,
        "contacts": analysis.contacts,
        "toe_offs": analysis.toe_offs,
        "metrics": {name: metric(summary) for name, summary in analysis.metrics.items()},
        "warnings": list(analysis.warnings),
        "leg_length_px": analysis.leg_length_px,
        "camera_roll_deg": analysis.camera_roll_deg,
        "cutoff_hz": analysis.cutoff_hz,
        "label_swaps_fixed": analysis.label_swaps_fixed,
        "treadmill": analysis.treadmill,
    }


def test_the_stored_and_printed_result_is_the_analysis_exactly_as_before(fake_pose, clip):
    """Every key of the analysis, in its order and nested too, with every value: the stored result and
    `backstride gait --format json` are byte for byte what they were, followed by what the check adds."""
    data = json.loads(CliRunner().invoke(main, ["gait", str(clip), "--format", "json"]).stdout)
    stored = FormCheck.objects.get(id=data["id"]).result
    analysis = analyse(side_gait(cadence_spm=160.0, overstride=0.4).series, "side")
    expected = json.dumps(analysis_as_before(analysis))
    added = ["knee_flexion_ic_deg", "cadence_target_spm", "findings", "sources", "video"]
    for result in (data, stored):
        assert set(result) == {*json.loads(expected), *added} | ({"id"} if result is data else set())
        assert {key: result[key] for key in json.loads(expected)} == json.loads(expected)
    if connection.vendor == "sqlite":  # PostgreSQL's jsonb keeps no key order; SQLite keeps it as written
        for result in (data, stored):
            keys = list(result)
            assert json.dumps({key: result[key] for key in json.loads(expected)}) == expected
            assert keys[: len(keys) - len(added) - (keys[-1] == "id")] == list(json.loads(expected))
        assert list(data)[-len(added) - 1 :] == [*added, "id"] and list(stored)[-len(added) :] == added
    assert data["knee_flexion_ic_deg"] == analysis.median("knee_flexion_ic_deg")


def test_the_declared_types_name_the_contract_keys():
    """GaitResult and friends are what mypy checks; they name exactly the keys pinned above, and each
    metric of the result as gait_json.metric_json shapes it."""
    assert GaitResult.__required_keys__ | GaitResult.__optional_keys__ == GAIT_RESULT
    assert GaitHistoryRow.__required_keys__ == GAIT_ROW
    assert MetricJson.__required_keys__ == METRIC
    analysis = analyse(side_gait(cadence_spm=160.0, overstride=0.4).series, "side")
    assert analysis.metrics and all(set(metric_json(m)) == METRIC for m in analysis.metrics.values())


def test_web_upload_job_result_box_and_deleting_the_video(fake_pose, client, settings, tmp_path):
    _, calls = fake_pose
    page = client.get("/form/").content.decode()
    assert "How to film" in page and 'name="video"' in page
    upload = SimpleUploadedFile("my run.mp4", b"\x00" * 2048, content_type="video/mp4")
    response = client.post("/form/upload/", {"video": upload, "view": "side"})
    assert response.status_code == 302
    check = FormCheck.objects.get()
    assert Path(check.video_path).is_file() and Path(check.video_path).parent == gait.video_root()
    result = client.get(response["Location"]).content.decode()
    check.refresh_from_db()
    assert check.status == "done", check.message
    assert "Your heel lands well ahead" in result and "Play a metronome" in result
    assert 'id="key-frames"' in result and 'id="box-form"' in result and "heiderscheit-2011" in result
    image = check.images.get(kind="selection")
    png = client.get(f"/form/{check.id}/image/{image.id}.png")
    assert png.status_code == 200 and png["Content-Type"] == "image/png" and png.content == PNG
    moved = client.post(f"/form/{check.id}/box/", {"x0": "500", "y0": "0", "x1": "800", "y1": "500"})
    assert moved.status_code == 302 and calls[-1]["roi"] == (500.0, 0.0, 800.0, 500.0)
    bad = client.post(f"/form/{check.id}/box/", {"x0": "800", "y0": "0", "x1": "500", "y1": "500"})
    assert bad.status_code == 400 and "Draw the box" in bad.content.decode()
    client.post(f"/form/{check.id}/delete-video/")
    assert not Path(check.video_path).exists()
    assert FormCheck.objects.filter(video_path="").count() == 2  # both checks of that clip
    after = client.get(f"/form/{check.id}/").content.decode()
    assert "The video was not kept" in after and "Your heel lands well ahead" in after
    listing = client.get("/form/").content.decode()
    assert listing.count("my run.mp4") == 2


def test_web_refuses_a_missing_file_an_empty_file_and_a_bad_view(fake_pose, client):
    assert client.post("/form/upload/", {"view": "side"}).status_code == 400
    empty = client.post("/form/upload/", {"video": SimpleUploadedFile("e.mp4", b""), "view": "side"})
    assert empty.status_code == 400 and not FormCheck.objects.exists()
    odd = client.post("/form/upload/", {"video": SimpleUploadedFile("a.mp4", b"x" * 10), "view": "top"})
    assert odd.status_code == 400 and "view must be" in odd.content.decode()
    assert client.get("/form/999/").status_code == 404


def test_a_failed_job_shows_what_to_film(fake_pose, client):
    state, _ = fake_pose
    state["error"] = pose.VideoError("too_dark", "The clip is too dark. Film in daylight.")
    response = client.post(
        "/form/upload/", {"video": SimpleUploadedFile("d.mp4", b"x" * 100), "view": "side"}
    )
    page = client.get(response["Location"]).content.decode()
    assert "could not be analysed" in page and "Film in daylight" in page
    assert FormCheck.objects.get().error_code == "too_dark"


def test_another_users_checks_and_images_are_not_found(fake_pose, client, clip):
    from django.contrib.auth.models import User

    other = User.objects.create(username="someone-else")
    check = gait.analyse_file(other, clip, "side")
    image = check.images.first()
    assert client.get(f"/form/{check.id}/").status_code == 404
    assert client.get(f"/form/{check.id}/image/{image.id}.png").status_code == 404
    assert client.post(f"/form/{check.id}/delete/").status_code == 404
    assert client.post(f"/form/{check.id}/delete-video/").status_code == 404
    assert client.post(f"/form/{check.id}/box/", {"x0": 1, "y0": 1, "x1": 9, "y1": 9}).status_code == 404
    assert FormCheck.objects.filter(id=check.id).exists()


def test_an_oversized_upload_is_refused_before_any_analysis(fake_pose, client, monkeypatch):
    _, calls = fake_pose
    monkeypatch.setattr(gait, "MAX_VIDEO_BYTES", 1000)
    big = SimpleUploadedFile("big.mp4", b"x" * 5000, content_type="video/mp4")
    response = client.post("/form/upload/", {"video": big, "view": "side"})
    assert response.status_code == 400 and "limit" in response.content.decode()
    assert not calls and not FormCheck.objects.exists() and not list(gait.video_root().glob("*"))


def test_a_failed_or_interrupted_job_keeps_no_clip(fake_pose, client):
    state, _ = fake_pose
    state["error"] = RuntimeError("boom")  # an unexpected failure inside the pipeline
    client.post("/form/upload/", {"video": SimpleUploadedFile("a.mp4", b"x" * 100), "view": "side"})
    failed = FormCheck.objects.get()
    assert failed.status == "failed" and failed.error_code == "internal" and "boom" in failed.message
    assert failed.video_path == "" and not list(gait.video_root().glob("*"))
    page = client.get(f"/form/{failed.id}/").content.decode()
    assert "Delete this form check" in page
    stuck_path = gait.video_root() / "stuck.mp4"
    stuck_path.write_bytes(b"x")
    stuck = FormCheck.objects.create(owner=local_user(), status="running", video_path=str(stuck_path))
    assert gait.recover_interrupted() == 1
    stuck.refresh_from_db()
    assert stuck.status == "failed" and stuck.error_code == "interrupted" and not stuck_path.exists()


def test_cli_deletes_a_check(fake_pose, clip):
    check = gait.analyse_file(local_user(), clip, "side")
    result = CliRunner().invoke(main, ["gait", "--delete", str(check.id)])
    assert result.exit_code == 0 and not FormCheck.objects.exists() and not FormCheckImage.objects.exists()
    missing = CliRunner().invoke(main, ["gait", "--delete", str(check.id)])
    assert missing.exit_code == 1 and "No form check" in missing.output


def test_native_log_lines_are_held_back_unless_the_analysis_breaks(capfd):
    import os

    from backstride.cli.gait import _native_logs_held

    with _native_logs_held() as real:
        os.write(2, b"W0000 inference_feedback_manager.cc noise\n")
        real.write("Analysing\n")
    err = capfd.readouterr().err
    assert "Analysing" in err and "W0000" not in err
    with pytest.raises(RuntimeError), _native_logs_held():
        os.write(2, b"F0000 the real reason\n")
        raise RuntimeError("crash")
    assert "F0000 the real reason" in capfd.readouterr().err
