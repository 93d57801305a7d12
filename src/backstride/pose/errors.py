"""Errors of the pose backend. Pure Python: importable without the ``video`` extra."""

from __future__ import annotations

INSTALL_HINT = "install the video extra: pip install 'backstride[video]'"


class PoseUnavailable(RuntimeError):
    """MediaPipe or OpenCV is not installed (the optional ``video`` extra)."""

    def __init__(self, missing: str) -> None:
        self.missing = missing
        super().__init__(f"The running-form check needs {missing}, which is not installed: {INSTALL_HINT}")


# What to film instead, appended to the messages about the clip itself.
FILMING_TIPS = (
    "Film from the side, camera still at hip height, about 3-5 m from the runner, landscape, "
    "for 10-20 s (at least 7 steps), at 60 fps if the phone can."
)


class VideoError(ValueError):
    """A clip that cannot be analysed. ``code`` is stable (for the web app and tests); ``message`` says
    what went wrong and what to do instead."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        return self.message
