"""Pose backend for the running-form check: MediaPipe Pose (``mediapipe==0.10.21``, model bundled in the
wheel, no download) behind the optional ``video`` extra.

Importing this package needs neither OpenCV nor MediaPipe; they are imported when first used, and a
missing one raises ``PoseUnavailable`` saying how to install the extra. Everything after the keypoints
(events, metrics) lives in ``backstride.core.gait`` and needs neither.

    series, info = extract_pose("clip.mp4", roi=None, progress=lambda f: ...)
"""

from backstride.pose.errors import INSTALL_HINT, PoseUnavailable, VideoError
from backstride.pose.extract import Extraction, extract_pose, parse_roi
from backstride.pose.runner import Selection
from backstride.pose.video import VideoInfo, VideoLimits, probe_video


def available() -> bool:
    """True when the video extra (OpenCV and MediaPipe) is installed."""
    from backstride.pose import libraries

    return libraries.available()


__all__ = [
    "INSTALL_HINT",
    "Extraction",
    "PoseUnavailable",
    "Selection",
    "VideoError",
    "VideoInfo",
    "VideoLimits",
    "available",
    "extract_pose",
    "parse_roi",
    "probe_video",
]
