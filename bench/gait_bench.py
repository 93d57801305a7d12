"""Speed of the running-form check on the shared clips: the full pipeline vs a naive MediaPipe loop.

    python bench/gait_bench.py [--repeat N] [--workers N]   (needs the video extra)

"pipeline" is what `backstride gait` does to a clip: probe, scan for people, pick the runner, follow
them with a crop tracker in two threads, then the gait core (events, metrics). "naive" runs MediaPipe
Pose (video mode, model_complexity=1) on every full frame in one loop, decoding included: the plain
approach, which would also follow whoever it sees first. Both are measured in the same run; the numbers
are video frames per second (real time is the clip's own fps, 30 for these clips). The best of
``--repeat`` runs counts. The load average is printed because the machine may be shared.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from backstride.core.gait.analysis import GaitInputError, analyse
from backstride.pose import extract_pose, libraries
from backstride.pose.video import iter_frames, probe_video

VIDEO_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "video"
CLIPS = {
    "sports2d_demo_walk_side.mp4": "side",
    "sports2d_demo3_run_side.mp4": "side",
    "radluy_run_side_overlay.mp4": "side",
    "radluy_run_rear_overlay.mp4": "rear",
}


def run_pipeline(path: Path, view: str, workers: int | None) -> tuple[int, str]:
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


def best_time(fn, repeat: int):  # type: ignore[no-untyped-def]
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--workers", type=int, default=None, help="threads for the pipeline (default: 2)")
    args = parser.parse_args()
    t0 = time.perf_counter()
    libraries.cv2()
    libraries.mp_pose()
    print(f"import of OpenCV + MediaPipe: {time.perf_counter() - t0:.2f} s (once per process, not counted)")
    print(f"cores: {os.cpu_count()}, load average before: {os.getloadavg()[0]:.2f}")
    header = f"{'clip':32} {'frames':>6} {'fps':>6} {'pipeline':>9} {'naive':>7} {'ratio':>6}  result"
    print(header)
    print("-" * len(header))
    tot_frames = tot_pipe = tot_naive = 0.0
    for name, view in CLIPS.items():
        path = VIDEO_DIR / name
        info = probe_video(path)
        t_pipe, (frames, outcome) = best_time(
            lambda p=path, v=view: run_pipeline(p, v, args.workers), args.repeat
        )
        t_naive, _ = best_time(lambda p=path: run_naive(p), args.repeat)
        tot_frames += frames
        tot_pipe += t_pipe
        tot_naive += t_naive
        print(
            f"{name:32} {frames:6d} {info.fps:6.1f} {frames / t_pipe:9.1f} {frames / t_naive:7.1f} "
            f"{t_naive / t_pipe:6.2f}  {outcome}"
        )
    print("-" * len(header))
    print(
        f"{'all clips':32} {int(tot_frames):6d} {'':6} {tot_frames / tot_pipe:9.1f} "
        f"{tot_frames / tot_naive:7.1f} {tot_naive / tot_pipe:6.2f}"
    )
    print(f"load average after: {os.getloadavg()[0]:.2f}   (goal: pipeline >= 30 video frames/s)")


if __name__ == "__main__":
    main()
