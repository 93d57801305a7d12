"""The scan (step 1 of ``runner``): every frame decoded once, which measures the clip and stops at the
limits, and people detected on sampled frames by worker threads, each with a static-mode Pose.
The worker count and the progress callback are shared with the follow pass."""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from backstride.pose import graphs
from backstride.pose.people import Box, PersonFound, ScanSettings, detect_people
from backstride.pose.video import FrameReader, Timeline, VideoLimits, luma

Progress = Callable[[float], None]
# The scan and the follow decode in one thread each while pose threads keep both cores busy: OpenCV's
# threaded decoding would only add its own overhead (bit-identical frames either way).
DECODE_THREADS = 1


@dataclass
class ScanResult:
    n_frames: int  # frames actually decoded
    sample_frames: list[int]
    people: list[PersonFound] = field(default_factory=list)
    lumas: list[float] = field(default_factory=list)  # mean luma of each sampled frame
    timestamps_ms: list[float] = field(default_factory=list)  # of every frame, from the container
    timeline: Timeline | None = None  # frame count, duration and rate measured while decoding


def sample_frames(n_frames: int, fps: float, settings: ScanSettings) -> list[int]:
    step = fps / settings.scan_hz
    step = min(step, n_frames / settings.min_samples)
    step = max(step, n_frames / settings.max_samples, 1.0)
    return sorted({round(float(x)) for x in np.arange(0, n_frames, step)} & set(range(n_frames)))


def worker_count(requested: int | None) -> int:
    if requested is not None:
        return max(1, requested)
    return max(1, min(2, os.cpu_count() or 1))


def scan_people(
    path: str,
    n_frames_hint: int,
    fps: float,
    *,
    roi: Box | None = None,
    settings: ScanSettings | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    limits: VideoLimits | None = None,
    size: tuple[int, int] | None = None,
) -> ScanResult:
    """Detect every person on sampled frames (at ``size``, the analysis size). Decoding runs in this
    thread and is the first pass over every frame: it measures the clip (``ScanResult.timeline``) and
    stops with ``too_long`` at the limits. Detection runs in ``workers`` threads, each with a
    static-mode Pose (borrowed warm from ``graphs``). ``progress`` is called from this thread only."""
    settings = settings or ScanSettings()
    samples = sample_frames(max(n_frames_hint, 1), fps, settings)
    wanted = set(samples)
    jobs: queue.Queue[tuple[int, np.ndarray] | None] = queue.Queue(maxsize=4)
    result = ScanResult(n_frames=0, sample_frames=[])
    lock = threading.Lock()
    errors: list[BaseException] = []

    def work() -> None:
        with graphs.borrowed(static=True, detection_confidence=settings.detection_confidence) as pose:
            while True:
                job = jobs.get()
                if job is None:
                    return
                if errors:
                    continue
                try:
                    people = detect_people(pose, job[1], job[0], settings, roi)
                except BaseException as exc:  # re-raised in the calling thread
                    errors.append(exc)
                    continue
                with lock:
                    result.people.extend(people)

    reader = FrameReader(path, limits, size, decode_threads=DECODE_THREADS)
    threads = [threading.Thread(target=work, daemon=True) for _ in range(worker_count(workers))]
    for t in threads:
        t.start()
    try:
        last_sample = samples[-1] if samples else 0
        while reader.grab():
            i = reader.count - 1
            if i in wanted:
                frame = reader.retrieve()
                if frame is not None:
                    jobs.put((i, frame))
                    result.sample_frames.append(i)
                    result.lumas.append(luma(frame))
                if progress is not None:
                    progress(min(1.0, i / max(last_sample, 1)))
        result.n_frames = reader.count
        result.timestamps_ms = reader.timestamps_ms
        result.timeline = reader.timeline()
    finally:
        reader.close()
        for _ in threads:
            jobs.put(None)
        for t in threads:
            t.join()
    if errors:
        raise errors[0]
    result.people.sort(key=lambda p: (p.frame, p.box[0]))
    return result
