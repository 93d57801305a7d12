"""2D body keypoints over a clip: the contract between the pose backend and the gait core.

The pose backend (``backstride.pose``, needs the optional ``video`` extra) produces a ``PoseSeries``;
everything in ``core.gait`` works on it with numpy only, so it can be tested on synthetic sequences.
Landmark numbering follows MediaPipe's 33-point BlazePose topology.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np


class Landmark(IntEnum):
    NOSE = 0
    LEFT_EAR = 7
    RIGHT_EAR = 8
    LEFT_SHOULDER = 11
    RIGHT_SHOULDER = 12
    LEFT_HIP = 23
    RIGHT_HIP = 24
    LEFT_KNEE = 25
    RIGHT_KNEE = 26
    LEFT_ANKLE = 27
    RIGHT_ANKLE = 28
    LEFT_HEEL = 29
    RIGHT_HEEL = 30
    LEFT_FOOT_INDEX = 31
    RIGHT_FOOT_INDEX = 32


N_LANDMARKS = 33


@dataclass(frozen=True)
class PoseSeries:
    """Keypoints of one person, one row per analysed frame.

    ``xy`` is in pixels of the original frame, x to the right and y *down* (image convention);
    NaN where the landmark was not found. ``frame_index`` holds the original frame numbers, so a
    backend that analyses every second frame still reports events in source frames.
    """

    fps: float
    width: int
    height: int
    xy: np.ndarray  # (n_frames, 33, 2) float
    visibility: np.ndarray  # (n_frames, 33) float in [0, 1]
    frame_index: np.ndarray  # (n_frames,) int, strictly increasing

    def __post_init__(self) -> None:
        n = len(self.frame_index)
        if self.xy.shape != (n, N_LANDMARKS, 2):
            raise ValueError(f"xy must be ({n}, {N_LANDMARKS}, 2), got {self.xy.shape}")
        if self.visibility.shape != (n, N_LANDMARKS):
            raise ValueError(f"visibility must be ({n}, {N_LANDMARKS}), got {self.visibility.shape}")
        if self.fps <= 0:
            raise ValueError("fps must be positive")

    @property
    def n_frames(self) -> int:
        return len(self.frame_index)

    def point(self, landmark: Landmark) -> np.ndarray:
        """(n_frames, 2) track of one landmark."""
        return self.xy[:, int(landmark), :]

    # --- helpers (additions; the fields above are the contract) ---

    @property
    def frame_step(self) -> int:
        """Original frames between analysed rows (2 when the backend analyses every second frame)."""
        if self.n_frames < 2:
            return 1
        return max(1, round(float(np.median(np.diff(self.frame_index)))))

    @property
    def sample_rate(self) -> float:
        """Rows per second (fps / frame_step)."""
        return self.fps / self.frame_step

    def with_xy(self, xy: np.ndarray) -> PoseSeries:
        """The same clip with other coordinates (for filtered or repaired copies)."""
        return PoseSeries(self.fps, self.width, self.height, xy, self.visibility, self.frame_index)

    def frames_to_rows(self, frames: np.ndarray) -> np.ndarray:
        """Original (possibly fractional) frame numbers -> fractional row positions."""
        rows = np.interp(np.asarray(frames, dtype=float), self.frame_index, np.arange(self.n_frames))
        return np.asarray(rows, dtype=float)

    def rows_to_frames(self, rows: np.ndarray) -> np.ndarray:
        """Fractional row positions -> original (fractional) frame numbers."""
        frames = np.interp(np.asarray(rows, dtype=float), np.arange(self.n_frames), self.frame_index)
        return np.asarray(frames, dtype=float)

    def at_frames(self, frames: np.ndarray) -> np.ndarray:
        """(k, 33, 2) keypoints linearly interpolated at original (fractional) frame numbers."""
        rows = self.frames_to_rows(frames)
        lo = np.clip(np.floor(rows).astype(int), 0, max(self.n_frames - 2, 0))
        hi = np.minimum(lo + 1, self.n_frames - 1)
        w = (rows - lo)[:, None, None]
        mixed = (1 - w) * self.xy[lo] + w * self.xy[hi]
        # an exact row must not pick up NaN from its neighbour (0 * NaN is NaN)
        return np.asarray(np.where(w == 0, self.xy[lo], mixed), dtype=float)
