"""Running-form checks from a video (issue 6): pose (the optional ``video`` extra), gait analysis and
findings (pure core), stored one check per transaction with its key frames.

The CLI analyses a file in place and keeps no copy; the web app saves the upload in the private data
folder, runs the check as a background job and keeps the clip so the runner can correct the pick
with a box (and delete the clip afterwards).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, cast

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from backstride import config
from backstride.config import local_day
from backstride.core.gait.analysis import GaitAnalysis, GaitInputError, analyse
from backstride.core.gait.findings import EarlierAnalysis, medians_of
from backstride.core.text import clean_text
from backstride.storage.models import FormCheck, FormCheckImage

from .errors import BackstrideError, NotFound
from .gait_json import gait_result
from .gait_types import GaitHistoryRow, GaitResult

VIEWS = ("side", "rear")
MAX_VIDEO_BYTES = 200 * 1024 * 1024  # as pose.VideoLimits: a phone clip of 10-20 s is far smaller
KEY_FRAMES = 4  # foot strikes drawn with the skeleton and the overstride line
POSE_SHARE = 0.9  # of the progress bar
INTERRUPTED = "The app was stopped during this analysis. Upload the clip again."


# Failures of what was typed (a path, a view, a box) rather than of the clip: the CLI exits 2 for these.
USAGE_CODES = frozenset({"not_found", "not_a_file", "unreadable", "bad_view", "bad_roi", "roi_outside"})


class FormCheckFailed(BackstrideError):
    """The clip could not be analysed, or what was given is unusable; ``code`` is stable and the message
    says what to film or type instead. ``exit_code`` is 2 for a usage error, 1 for the clip itself."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.exit_code = 2 if code in USAGE_CODES else 1


def video_root() -> Path:
    return config.data_dir() / "videos"


def _check_view(view: str) -> None:
    if view not in VIEWS:
        raise FormCheckFailed(
            "bad_view",
            f"view must be 'side' (filmed from the side) or 'rear' (from behind), got {str(view)[:20]!r}",
        )


def check_box(
    values: Sequence[Any], frame_size: tuple[int, int] | None = None
) -> tuple[float, float, float, float]:
    """A box (x0, y0, x1, y1 video pixels) from four values, finite, in order, big enough and, when the
    frame size is known, inside it; ``FormCheckFailed`` with a one-line message otherwise."""
    from backstride.pose.box import BoxError, check_inside, parse_box

    try:
        box = parse_box(list(values))
        if frame_size is not None:
            check_inside(box, *frame_size)
    except BoxError as error:
        raise FormCheckFailed("bad_roi", f"Draw the box again: {error}.") from None
    return box


def _earlier(user: User, before: FormCheck) -> list[EarlierAnalysis]:
    """Analyses of other clips done before this one (the same clip analysed again is no baseline)."""
    rows = FormCheck.objects.filter(owner=user, status="done", created_at__lt=before.created_at).exclude(
        id=before.id
    )
    if before.video_sha256:
        rows = rows.exclude(video_sha256=before.video_sha256)
    return [
        EarlierAnalysis(_day(row), row.view, row.medians)
        for row in rows.only("created_at", "view", "medians")
    ]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _day(check: FormCheck) -> date:
    return local_day(check.created_at)


def result_of(check: FormCheck) -> GaitResult | None:
    """The check's stored result (None until its analysis is done), as gait_json made it."""
    return cast("GaitResult | None", check.result)


def _key_steps(analysis: GaitAnalysis) -> list[tuple[float, str]]:
    """KEY_FRAMES foot strikes to draw, half per foot, from the middle of the clip (the runner is
    fully in view there), in time order."""
    chosen: list[tuple[float, str]] = []
    per_foot = KEY_FRAMES // 2
    for foot in ("left", "right"):
        steps = [step for step in analysis.step_list() if step[1] == foot]
        if len(steps) > per_foot:
            first = (len(steps) - per_foot) // 2
            steps = steps[first : first + per_foot]
        chosen.extend(steps)
    return sorted(chosen)


def _analyse_into(check: FormCheck, path: Path, progress: Callable[[float], None] | None) -> None:
    """Pose -> analysis -> findings -> key frames, then one transaction that stores all of it.
    Raises FormCheckFailed: the clip cannot be analysed, or the video extra is missing (`unavailable`)."""
    from backstride.pose import PoseUnavailable, VideoError, extract_pose
    from backstride.pose.draw import contact_frames_png, selection_png

    def pose_progress(fraction: float) -> None:
        if progress is not None:
            progress(POSE_SHARE * fraction)

    roi = tuple(check.roi) if check.roi else None
    try:
        series, extraction = extract_pose(path, roi=roi, progress=pose_progress)  # type: ignore[arg-type]
        analysis = analyse(series, check.view)  # type: ignore[arg-type]
    except PoseUnavailable as error:
        raise FormCheckFailed("unavailable", str(error)) from error
    except VideoError as error:
        raise FormCheckFailed(error.code, error.message) from error
    except GaitInputError as error:
        raise FormCheckFailed(error.code, f"{error.message} {error.how_to_film}") from error
    result = gait_result(analysis, extraction, _earlier(check.owner, check))
    chosen = _key_steps(analysis) if analysis.view == "side" else []
    contact_pngs = contact_frames_png(path, analysis.series, chosen, leg_length_px=analysis.leg_length_px)
    pick_png = selection_png(path, extraction.selection)
    with transaction.atomic():
        # Only this job's fields, and only if the check still exists: the runner may have deleted
        # it, or its clip, while the job ran.
        updated = FormCheck.objects.filter(id=check.id).update(
            result=result,
            medians=medians_of(analysis),
            status="done",
            progress=1.0,
            error_code="",
            message="",
        )
        if not updated:
            return
        check.images.all().delete()
        FormCheckImage.objects.create(
            form_check=check,
            kind="selection",
            frame=extraction.selection.frame,
            caption=f"The person analysed (green box; picked by {extraction.selection.method})",
            png=pick_png,
        )
        for (frame, foot), png in zip(chosen, contact_pngs, strict=False):
            FormCheckImage.objects.create(
                form_check=check,
                kind="contact",
                frame=round(frame),
                caption=f"{foot.capitalize()} foot strike at frame {round(frame)}",
                png=png,
            )
    check.refresh_from_db()


def check_clip_file(path: Path) -> None:
    """Refuse a path that is not a readable, non-empty video-sized regular file (``FormCheckFailed``:
    ``not_found``, ``not_a_file``, ``unreadable``, ``empty``, ``too_big``). Needs no video extra."""
    from backstride.pose.errors import VideoError
    from backstride.pose.video import check_file

    try:
        check_file(path)
    except VideoError as error:
        raise FormCheckFailed(error.code, error.message) from None


def analyse_file(
    user: User,
    path: Path,
    view: str = "side",
    roi: tuple[float, float, float, float] | None = None,
    progress: Callable[[float], None] | None = None,
) -> FormCheck:
    """Analyse a clip in place (CLI). Stores the check when it succeeds; nothing is stored otherwise."""
    from backstride.pose.video import shown

    _check_view(view)
    if roi is not None:
        roi = check_box(list(roi))
    check_clip_file(path)
    try:
        digest = _sha256(path)
    except OSError as error:
        raise FormCheckFailed(
            "unreadable", f"{shown(path)} cannot be read ({error.strerror}): check its permissions."
        ) from None
    with transaction.atomic():
        check = FormCheck.objects.create(
            owner=user,
            status="running",
            filename=clean_text(path.name)[-200:],
            view=view,
            roi=list(roi) if roi else None,
            video_sha256=digest,
        )
    try:
        _analyse_into(check, path, progress)
    except BaseException:
        check.delete()
        raise
    return check


def start_form_check(
    user: User, upload: UploadedFile, view: str, roi: tuple[float, float, float, float] | None = None
) -> FormCheck:
    """Save an uploaded clip privately and queue its analysis (web)."""
    from .tasks import submit

    _check_view(view)
    if upload.size is not None and upload.size > MAX_VIDEO_BYTES:
        raise BackstrideError(
            f"That file is {upload.size / 1e6:.0f} MB; the limit is {MAX_VIDEO_BYTES // 1_000_000} MB. "
            "Film 10-20 s of running, or trim the clip on the phone first."
        )
    if not upload.size:
        raise BackstrideError("That file is empty. Choose the video again.")
    folder = video_root()
    folder.mkdir(parents=True, exist_ok=True)
    suffix = "".join(ch for ch in Path(upload.name or "").suffix[:8].lower() if ch.isalnum() or ch == ".")
    target = folder / f"{uuid.uuid4().hex}{suffix or '.mp4'}"
    with target.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    name = "".join(ch for ch in Path(upload.name or "").name[-120:] if ch.isalnum() or ch in "._- ")
    check = FormCheck.objects.create(
        owner=user,
        filename=name,
        view=view,
        roi=list(roi) if roi else None,
        video_path=str(target),
        video_sha256=_sha256(target),
    )
    submit("form_check", check.id)
    return check


def _frame_size(check: FormCheck) -> tuple[int, int] | None:
    """The video's size in pixels, as the check's analysis stored it (None if it has no result)."""
    video = (check.result or {}).get("video") or {}
    width, height = video.get("width"), video.get("height")
    if isinstance(width, int) and isinstance(height, int) and width > 0 and height > 0:
        return (width, height)
    return None


def rerun_with_box(user: User, check_id: int, values: Sequence[Any]) -> FormCheck:
    """Analyse the same clip again with the person in the box ``values`` (x0, y0, x1, y1 video pixels, as
    typed or drawn: checked here, finite and inside the frame) - the runner's correction of the pick."""
    from .tasks import submit

    old = get_check(user, check_id)
    if not old.video_path or not Path(old.video_path).is_file():
        raise BackstrideError("The clip of this check was deleted; upload it again to choose another person.")
    roi = check_box(list(values), _frame_size(old))
    check = FormCheck.objects.create(
        owner=user,
        filename=old.filename,
        view=old.view,
        roi=list(roi),
        video_path=old.video_path,
        video_sha256=old.video_sha256,
    )
    submit("form_check", check.id)
    return check


def run_form_check(check_id: int) -> None:
    """The background job: progress on the row while it runs, the result or a clear failure after.
    A clip that could not be analysed is deleted (nothing can be re-run on it)."""
    check = FormCheck.objects.filter(id=check_id).first()
    if check is None:
        return
    FormCheck.objects.filter(id=check_id).update(status="running")

    def progress(fraction: float) -> None:
        FormCheck.objects.filter(id=check_id).update(progress=round(fraction, 3))

    try:
        _analyse_into(check, Path(check.video_path), progress)
    except FormCheckFailed as error:
        _fail(check, error.code, str(error))
    except BackstrideError as error:
        _fail(check, "unavailable", str(error))
    except Exception as error:  # the page must say what went wrong, not spin forever
        _fail(check, "internal", f"The analysis stopped: {error}. Try the clip again, or film a new one.")


def fail_form_check(check_id: int, reason: str) -> None:
    """The job raised past run_form_check, or its worker kept dying: the page says so."""
    check = FormCheck.objects.filter(id=check_id).exclude(status="done").first()
    if check is not None:
        _fail(check, "internal", f"The analysis stopped: {reason}. Try the clip again, or film a new one.")


def _fail(check: FormCheck, code: str, message: str) -> None:
    FormCheck.objects.filter(id=check.id).update(status="failed", error_code=code, message=message)
    path = check.video_path
    others = FormCheck.objects.filter(video_path=path).exclude(id=check.id).exclude(status="failed")
    if path and not others.exists():
        FormCheck.objects.filter(video_path=path).update(video_path="")
        Path(path).unlink(missing_ok=True)


def recover_interrupted() -> int:
    """Form checks left queued/running by a stopped server are marked failed, and their clips deleted
    (a check that failed keeps no video)."""
    stuck = list(FormCheck.objects.filter(status__in=["queued", "running"]))
    for check in stuck:
        _fail(check, "interrupted", INTERRUPTED)
    return len(stuck)


def get_check(user: User, check_id: int) -> FormCheck:
    try:
        return FormCheck.objects.get(owner=user, id=check_id)
    except FormCheck.DoesNotExist as error:
        raise NotFound(f"No form check #{check_id}. `backstride gait --list` shows yours.") from error


def image_png(user: User, check_id: int, image_id: int) -> bytes:
    """A key frame of the runner's form check, as PNG; NotFound for anyone else's or none."""
    image = FormCheckImage.objects.filter(id=image_id, form_check_id=check_id, form_check__owner=user).first()
    if image is None:
        raise NotFound(f"No picture #{image_id} in form check #{check_id}.")
    return bytes(image.png)


def key_frames(check: FormCheck) -> list[FormCheckImage]:
    """The pictures of a check the runner already has (from get_check), without their bytes: the page
    links each to image_png, which checks the owner again."""
    return list(check.images.only("id", "kind", "frame", "caption"))


def delete_video(user: User, check_id: int) -> int:
    """Delete the stored clip (results and key frames stay). Returns how many checks used it."""
    check = get_check(user, check_id)
    path = check.video_path
    if not path:
        return 0
    count = FormCheck.objects.filter(owner=user, video_path=path).update(video_path="")
    Path(path).unlink(missing_ok=True)
    return count


def delete_check(user: User, check_id: int) -> None:
    check = get_check(user, check_id)
    path = check.video_path
    check.delete()
    if path and not FormCheck.objects.filter(video_path=path).exists():
        Path(path).unlink(missing_ok=True)


def history(user: User) -> list[GaitHistoryRow]:
    """The runner's form checks, newest first, with the headline numbers."""
    rows: list[GaitHistoryRow] = []
    for check in FormCheck.objects.filter(owner=user).defer("result"):
        rows.append(
            {
                "id": check.id,
                "day": _day(check).isoformat(),
                "filename": check.filename,
                "view": check.view,
                "status": check.status,
                "message": check.message,
                "cadence_spm": check.medians.get("cadence_spm"),
                "overstride_pct_leg": check.medians.get("overstride_pct_leg"),
                "trunk_lean_deg": check.medians.get("trunk_lean_deg"),
                "pelvic_drop_deg": check.medians.get("pelvic_drop_deg"),
            }
        )
    return rows
