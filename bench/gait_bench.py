"""Speed of the running-form check on the shared clips: the full pipeline vs a naive MediaPipe loop.

    python bench/gait_bench.py [--repeat N] [--workers N] [--cold]   (needs the video extra)

"pipeline" is what `backstride gait` does to a clip: probe, scan for people, pick the runner, follow
them with a crop tracker in two threads, then the gait core (events, metrics). "naive" runs MediaPipe
Pose (video mode, model_complexity=1) on every full frame in one loop, decoding included: the plain
approach, which would also follow whoever it sees first. Both are measured in the same run; the numbers
are video frames per second (real time is the clip's own fps, 30 for these clips). The best of
``--repeat`` runs counts. The load average is printed because the machine may be shared, and so is the
work: "cpu" is naive CPU seconds / pipeline CPU seconds of the same runs (below 1 the pipeline does more
work than the loop: the scan for people on sampled frames and a second decoding pass; only a second idle
core turns that into speed, so on a busy machine the wall-time ratio falls towards this one).

The pipeline keeps its MediaPipe graphs warm between clips (``backstride.pose.graphs``), as a web worker
does; the naive loop starts one per clip, as the plain approach does. ``--cold`` closes the warm graphs
before every pipeline run, so each clip pays its graph starts too (what one `backstride gait` process
pays).
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from pathlib import Path

from backstride.core.gait.analysis import GaitInputError, analyse
from backstride.pose import extract_pose, graphs, libraries
from backstride.pose.video import iter_frames, probe_video

VIDEO_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "video"
CLIPS = {
    "sports2d_demo_walk_side.mp4": "side",
    "sports2d_demo3_run_side.mp4": "side",
    "radluy_run_side_overlay.mp4": "side",
    "radluy_run_rear_overlay.mp4": "rear",
}
GOAL_RATIO = 1.7  # pipeline / naive, all clips, same run (issue 17)
GOAL_FPS = 60.0  # video frames per second end to end, all clips


def run_pipeline(path: Path, view: str, workers: int | None, cold: bool) -> tuple[int, str]:
    if cold:
        graphs.close_idle()
    series, info = extract_pose(path, workers=workers)
    try:
        result = analyse(series, "rear" if view == "rear" else "side")
        outcome = f"{result.steps} steps, {result.cadence_spm or 0:.0f} spm"
    except GaitInputError as err:
        outcome = err.code
    return info.n_video_frames, outcome


def run_naive(path: Path) -> int:
    cv2, mp_pose = libraries.cv2(), libraries.mp_pose()
    n = 0
    with mp_pose.Pose(static_image_mode=False, model_complexity=1) as pose:
        for frame in iter_frames(path):
            pose.process(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
            n += 1
    return n


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)  # every thread of this process, MediaPipe's too
    return usage.ru_utime + usage.ru_stime


def best_time(fn, repeat: int):  # type: ignore[no-untyped-def]
    """(wall, cpu, result) of the fastest of ``repeat`` runs."""
    best, best_cpu, out = float("inf"), 0.0, None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), cpu_seconds()
        out = fn()
        wall, cpu = time.perf_counter() - t0, cpu_seconds() - c0
        if wall < best:
            best, best_cpu = wall, cpu
    return best, best_cpu, out


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f} (1, 5, 15 min)"


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--workers", type=int, default=None, help="threads for the pipeline (default: 2)")
    parser.add_argument("--cold", action="store_true", help="no warm graphs: every clip starts its own")
    args = parser.parse_args()
    t0 = time.perf_counter()
    libraries.cv2()
    libraries.mp_pose()
    print(f"import of OpenCV + MediaPipe: {time.perf_counter() - t0:.2f} s (once per process, not counted)")
    print(f"cores: {os.cpu_count()}, load average before: {load()}")
    print(f"pipeline graphs: {'cold (started for every clip)' if args.cold else 'kept warm between clips'}")
    header = f"{'clip':32} {'frames':>6} {'fps':>6} {'pipeline':>9} {'naive':>7} {'ratio':>6} {'cpu':>5}"
    header += "  result"
    print(header)
    print("-" * len(header))
    tot_frames = tot_pipe = tot_naive = cpu_pipe = cpu_naive = 0.0
    for name, view in CLIPS.items():
        path = VIDEO_DIR / name
        info = probe_video(path)
        t_pipe, c_pipe, (frames, outcome) = best_time(
            lambda p=path, v=view: run_pipeline(p, v, args.workers, args.cold), args.repeat
        )
        t_naive, c_naive, _ = best_time(lambda p=path: run_naive(p), args.repeat)
        tot_frames += frames
        tot_pipe, tot_naive = tot_pipe + t_pipe, tot_naive + t_naive
        cpu_pipe, cpu_naive = cpu_pipe + c_pipe, cpu_naive + c_naive
        print(
            f"{name:32} {frames:6d} {info.fps:6.1f} {frames / t_pipe:9.1f} {frames / t_naive:7.1f} "
            f"{t_naive / t_pipe:6.2f} {c_naive / c_pipe:5.2f}  {outcome}"
        )
    print("-" * len(header))
    fps, ratio, naive_fps = tot_frames / tot_pipe, tot_naive / tot_pipe, tot_frames / tot_naive
    print(
        f"{'all clips':32} {int(tot_frames):6d} {'':6} {fps:9.1f} {naive_fps:7.1f} {ratio:6.2f} "
        f"{cpu_naive / cpu_pipe:5.2f}"
    )
    print(
        f"CPU seconds: pipeline {cpu_pipe:.2f} ({cpu_pipe / tot_pipe:.2f} cores busy), "
        f"naive {cpu_naive:.2f} ({cpu_naive / tot_naive:.2f} cores busy)"
    )
    print(f"load average after: {load()}")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    print(f"peak memory (max RSS of this process): {peak_mb:.0f} MB")
    print(f"goal: >= {GOAL_RATIO}x the naive loop (all clips): {ratio:.2f}x, {verdict(ratio >= GOAL_RATIO)}")
    print(f"goal: >= {GOAL_FPS:.0f} frames/s end to end (all clips): {fps:.1f}, {verdict(fps >= GOAL_FPS)}")


if __name__ == "__main__":
    main()
