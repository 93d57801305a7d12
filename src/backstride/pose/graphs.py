"""Warm MediaPipe Pose graphs, lent to one thread at a time and kept between uses.

Starting a graph costs as much as six to eight inferences (the models are loaded and packed for XNNPACK
on its first frame) and restarting one (``reset``) about four. A clip used to start up to six and restart
one on every re-seed of the tracker: about a quarter of the work on the short shared clips. Now each
worker thread borrows a graph for its whole pass, the tracker's forward and backward runs share theirs,
and up to ``KEEP`` idle graphs of each kind stay warm for the next clip in the same process (a web
worker, the benchmark); each holds about 115 MB, so graphs left idle for ``IDLE_S`` are closed. A
video-mode graph forgets whom it followed by being shown a blank frame: its landmark model finds nobody
there, so the next frame starts with a detection exactly as after a restart (the keypoints are
bit-identical), for the price of one inference.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from backstride.pose.people import new_pose

KEEP = 2  # idle graphs kept per kind: one per worker thread (two cores)
IDLE_S = 300.0  # a graph idle this long is closed (its memory given back)
_BLANK = np.zeros((64, 64, 3), dtype=np.uint8)

GraphKey = tuple[bool, float]  # (static mode, minimum detection confidence)


class PoseGraph:
    """One MediaPipe Pose graph and whether it may still hold a person from earlier frames."""

    def __init__(self, static: bool, detection_confidence: float) -> None:
        self.key: GraphKey = (static, detection_confidence)
        self.pose: Any = new_pose(static=static, detection_confidence=detection_confidence)
        self.fresh = True  # nothing to forget
        self.healthy = True  # False after a call that raised: such a graph is closed, not lent again
        self.idle_since = 0.0

    def process(self, rgb: np.ndarray) -> Any:
        self.fresh = self.key[0]  # a static graph never carries anything over
        self.healthy = False
        result = self.pose.process(rgb)
        self.healthy = True
        return result

    def forget(self) -> None:
        """Make the next frame start with a detection (as a new graph would)."""
        if self.fresh:
            return
        if self.process(_BLANK).pose_landmarks:  # never seen; a restart is the sure way
            self.pose.reset()
        self.fresh = True

    def close(self) -> None:
        self.pose.close()


class _Pool:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.idle: dict[GraphKey, list[PoseGraph]] = {}
        self.timer: threading.Timer | None = None

    def take(self, key: GraphKey) -> PoseGraph | None:
        with self.lock:
            waiting = self.idle.get(key)
            return waiting.pop() if waiting else None

    def give(self, graph: PoseGraph) -> None:
        with self.lock:
            waiting = self.idle.setdefault(graph.key, [])
            if graph.healthy and len(waiting) < KEEP:
                graph.idle_since = time.monotonic()
                waiting.append(graph)
                self._expire_later()
                return
        graph.close()

    def _expire_later(self) -> None:  # with the lock held
        if self.timer is None:
            self.timer = threading.Timer(IDLE_S, self._expire)
            self.timer.daemon = True
            self.timer.start()

    def _expire(self) -> None:
        now = time.monotonic()
        with self.lock:
            self.timer = None
            old = [g for waiting in self.idle.values() for g in waiting if now - g.idle_since >= IDLE_S]
            for key, waiting in self.idle.items():
                self.idle[key] = [g for g in waiting if g not in old]
            if any(self.idle.values()):
                self._expire_later()
        for graph in old:
            graph.close()

    def drain(self) -> list[PoseGraph]:
        with self.lock:
            graphs = [g for waiting in self.idle.values() for g in waiting]
            self.idle.clear()
            if self.timer is not None:
                self.timer.cancel()
                self.timer = None
        return graphs


_POOL = _Pool()


@contextmanager
def borrowed(static: bool, detection_confidence: float = 0.5) -> Iterator[PoseGraph]:
    """A warm graph for this thread; given back afterwards (closed instead if the work failed)."""
    key: GraphKey = (static, detection_confidence)
    graph = _POOL.take(key) or PoseGraph(static, detection_confidence)
    try:
        yield graph
    except BaseException:
        graph.close()
        raise
    _POOL.give(graph)


def idle_count() -> int:
    with _POOL.lock:
        return sum(len(waiting) for waiting in _POOL.idle.values())


def close_idle() -> None:
    """Close the graphs kept warm (their memory is freed; the next clip starts new ones)."""
    for graph in _POOL.drain():
        graph.close()
