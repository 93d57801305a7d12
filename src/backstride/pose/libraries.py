"""Lazy imports of OpenCV and MediaPipe, so ``import backstride.pose`` works without the extra."""

from __future__ import annotations

import os
from typing import Any

from backstride.pose.errors import PoseUnavailable


def cv2() -> Any:
    try:
        import cv2 as _cv2
    except ImportError as exc:
        raise PoseUnavailable("OpenCV (opencv-python-headless)") from exc
    return _cv2


def mp_pose() -> Any:
    """``mediapipe.solutions.pose``; only ``model_complexity=1`` is bundled in the wheel (no download)."""
    # Quieten MediaPipe's C++ logging (glog/absl) before the first import.
    os.environ.setdefault("GLOG_minloglevel", "2")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        from mediapipe.python.solutions import pose as _pose
    except ImportError as exc:
        raise PoseUnavailable("MediaPipe (mediapipe==0.10.21)") from exc
    return _pose


def available() -> bool:
    """True when both OpenCV and MediaPipe can be imported (does not import them if already loaded)."""
    try:
        cv2()
        mp_pose()
    except PoseUnavailable:
        return False
    return True
