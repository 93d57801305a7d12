"""Paths and shared fixtures of the pose backend tests.

The tests that need the ``video`` extra (OpenCV + MediaPipe) carry ``pytest.mark.video``. They do not
skip: `make test` installs the extra (requirements/video.lock), and CI runs them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
VIDEO_DIR = REPO.parent / "shared" / "data" / "video"
WALK = VIDEO_DIR / "sports2d_demo_walk_side.mp4"
DEMO3 = VIDEO_DIR / "sports2d_demo3_run_side.mp4"
RADLUY_SIDE = VIDEO_DIR / "radluy_run_side_overlay.mp4"
RADLUY_REAR = VIDEO_DIR / "radluy_run_rear_overlay.mp4"

# Hand-checked heel strikes of the walker in WALK (shared/data/README.md).
WALK_HEEL_STRIKES = [38, 58, 77, 96, 115, 132, 151, 169]
# A box around the man standing on the box in WALK (full-frame pixels; he is there for frames 0-160).
MAN_ON_BOX_ROI = (500.0, 0.0, 800.0, 500.0)


@pytest.fixture(scope="session")
def walk_extraction():  # type: ignore[no-untyped-def]
    """The walking clip through the whole pipeline, once per session (about 5-10 s)."""
    from backstride.pose import extract_pose

    return extract_pose(WALK)
