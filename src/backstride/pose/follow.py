"""The follow pass (step 3 of ``runner``, over the clip): the frames around the picked track split in
segments, each tracked forwards and backwards from a seed frame where the runner was seen. Two threads
work on two halves of the clip (MediaPipe releases the GIL, so threads use both cores without forked
processes, which deadlock once MediaPipe is initialised)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import numpy as np

from backstride.core.gait.keypoints import N_LANDMARKS
from backstride.pose import graphs
from backstride.pose.people import PersonFound
from backstride.pose.scan import DECODE_THREADS, Progress, worker_count
from backstride.pose.tracker import CropTracker, Guide, TrackSettings
from backstride.pose.video import FrameReader, VideoLimits


@dataclass
class _Segment:
    lo: int  # first frame to track (backwards from seed)
    seed: int  # a sampled frame with a detection of the runner
    hi: int  # one past the last frame to track (forwards from seed)


def _plan_segments(
    found: list[PersonFound], n_frames: int, margin: int, workers: int, max_buffered: int
) -> list[_Segment]:
    # The frames before the first sighting are buffered to track backwards: never more than max_buffered.
    lo = max(0, found[0].frame - margin, found[0].frame - max_buffered + 1)
    hi = min(n_frames, found[-1].frame + margin + 1)
    seeds = [p.frame for p in found]
    if workers < 2 or len(seeds) < 3 or hi - lo < 60:
        return [_Segment(lo, seeds[0], hi)]
    # The second thread must decode (grab) up to its start, from a keyframe before it when the scan's
    # timestamps allow (FrameReader.frames), from the first frame otherwise: give it a little less than half.
    target = lo + 0.53 * (hi - lo)
    split = min(seeds[1:], key=lambda f: abs(f - target))
    return [_Segment(lo, seeds[0], split), _Segment(split, split, hi)]


def follow_runner(
    path: str,
    found: list[PersonFound],
    n_frames: int,
    fps: float,
    width: int,
    height: int,
    *,
    sample_step: float,
    settings: TrackSettings | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    limits: VideoLimits | None = None,
    timestamps_ms: list[float] | None = None,
) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
    """Follow the chosen person through the clip (frames decoded at ``width`` x ``height``, the
    analysis size). Returns xy (n_frames, 33, 2) with NaN where not found, visibility (n_frames, 33)
    and counters. With ``timestamps_ms`` (every frame's, from the scan) a segment's reader starts at a
    keyframe before the segment when the timestamps tell exactly where it is (``FrameReader.frames``)."""
    settings = settings or TrackSettings()
    margin = int(np.ceil(settings.margin_samples * sample_step))
    guide = Guide(found, margin)
    xy = np.full((n_frames, N_LANDMARKS, 2), np.nan)
    vis = np.zeros((n_frames, N_LANDMARKS))
    max_buffered = max(8, settings.back_buffer_bytes // max(1, width * height * 3))
    segments = _plan_segments(found, n_frames, margin, worker_count(workers), max_buffered)
    done = [0] * len(segments)
    calls = [0] * len(segments)
    landed: list[int | None] = [None] * len(segments)
    errors: list[BaseException] = []

    def run(k: int, seg: _Segment) -> None:
        try:
            with (
                graphs.borrowed(static=False) as graph,
                FrameReader(path, limits, (width, height), DECODE_THREADS) as reader,
            ):
                track(k, seg, graph, reader)
                landed[k] = reader.landed
        except BaseException as exc:  # re-raised in the calling thread
            errors.append(exc)

    def track(k: int, seg: _Segment, graph: graphs.PoseGraph, reader: FrameReader) -> None:
        fwd = CropTracker(guide, width, height, settings, graph)
        back = CropTracker(guide, width, height, settings, graph)
        buffered: list[tuple[int, np.ndarray]] = []
        for i, frame in reader.frames(seg.lo, seg.hi, timestamps_ms):
            if i <= seg.seed:
                buffered.append((i, frame))
            if i < seg.seed:
                continue
            res = fwd.step(i, frame)
            if res is not None:
                xy[i], vis[i] = res
            done[k] += 1
        # backwards from the seed over the buffered frames (the seed frame first, to lock on)
        for i, frame in reversed(buffered if seg.lo < seg.seed else []):
            res = back.step(i, frame)
            if res is not None and i < seg.seed:
                xy[i], vis[i] = res
            if i < seg.seed:
                done[k] += 1
        calls[k] = fwd.calls + back.calls

    threads = [threading.Thread(target=run, args=(k, s), daemon=True) for k, s in enumerate(segments)]
    for t in threads:
        t.start()
    total = max(1, sum(s.hi - s.lo for s in segments))
    while any(t.is_alive() for t in threads):
        threads[0].join(timeout=0.2)
        if progress is not None:
            progress(min(1.0, sum(done) / total))
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    stats = {
        "segments": [(s.lo, s.seed, s.hi) for s in segments],
        "pose_calls": sum(calls),
        "started_at_keyframe": [k for k in landed if k is not None],  # frames a reader seeked to
        "frames_tracked": int(np.isfinite(xy[:, 0, 0]).sum()),
    }
    return xy, vis, stats
