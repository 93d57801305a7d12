"""Synthetic keypoint sequences with known answers: a sine-wave gait seen from the side or from behind.

Side view, per foot, in leg lengths (LL) relative to the hip, with phase phi (IC at phi = pi/2):
- fore-aft ankle position u = c + A·sin(phi): the heel is furthest ahead (Zeni IC) at phi = pi/2 and
  the toe furthest behind (Zeni TO) at phi = 3pi/2; c is set so that the heel is ``overstride`` LL
  ahead of the pelvis at IC;
- depth below the hip: the ground (capped so the leg can reach it) minus a swing lift;
- the knee from two-link inverse kinematics (thigh = shank = LL/2), bent forwards.
The pelvis bounces at the step frequency (peak-to-peak ``bounce`` LL) and carries a rigid trunk, neck
and head with known lean, neck flexion and head pitch. The truth (contact frames, overstride, shank
angle, knee flexion at IC...) is computed from the same geometry.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from backstride.core.gait.keypoints import N_LANDMARKS, Landmark, PoseSeries
from backstride.core.gait.sides import LEFT_CHAIN, RIGHT_CHAIN

L = Landmark
AMPLITUDE = 0.45  # fore-aft ankle swing, LL
HEEL_OFFSET = (-0.04, 0.05)  # from the ankle, (forward, down) in LL
TOE_OFFSET = (0.14, 0.06)
THIGH = SHANK = 0.5
TRUNK = 0.6
NECK = 0.25
HEAD = 0.12
PHASE0 = 0.3
REACH = 0.985  # longest hip-ankle distance in stance, LL (the leg is 1 LL)


@dataclass(frozen=True)
class Truth:
    contacts: dict[str, np.ndarray]  # original frame numbers, every IC inside the clip
    toe_offs: dict[str, np.ndarray]
    cadence_spm: float
    stride_frames: float
    overstride_pct_leg: float
    shank_angle_deg: float
    knee_flexion_deg: float
    trunk_lean_deg: float
    neck_flexion_deg: float
    head_pitch_deg: float
    vertical_oscillation_pct_leg: float
    pelvic_drop_deg: float = 0.0
    swapped_rows: tuple[int, ...] = ()

    def inner(self, events: dict[str, np.ndarray], first: float, last: float) -> dict[str, np.ndarray]:
        """Events at least half a stride from either end of the clip: these must always be found."""
        margin = self.stride_frames / 2
        return {f: e[(e > first + margin) & (e < last - margin)] for f, e in events.items()}


@dataclass(frozen=True)
class Synthetic:
    series: PoseSeries
    truth: Truth
    clean: PoseSeries = field(repr=False)  # before noise, gaps and swaps


def _empty(n: int) -> np.ndarray:
    return np.full((n, N_LANDMARKS, 2), np.nan)


def _ic_frames(phase_offset: float, fs: float, fps: float, first: int, last: int, at: float) -> np.ndarray:
    """Frames where the foot's phase equals ``at`` (mod 2pi)."""
    t_end = (last - first) / fps
    k = np.arange(-1, int(t_end * fs) + 3)
    t = (at + 2 * np.pi * k - PHASE0 - phase_offset) / (2 * np.pi * fs)
    t = t[(t >= 0) & (t <= t_end)]
    return first + t * fps


def side_gait(
    cadence_spm: float = 170.0,
    fps: float = 60.0,
    seconds: float = 6.0,
    direction: int = 1,
    treadmill: bool = True,
    overstride: float = 0.20,
    trunk_lean_deg: float = 8.0,
    neck_deg: float = 20.0,
    head_pitch_deg: float = 15.0,
    bounce: float = 0.08,
    speed_ll_s: float = 1.2,
    leg_px: float = 200.0,
    noise_px: float = 0.0,
    gaps: tuple[tuple[Landmark, int, int], ...] = (),
    swaps: tuple[int, ...] = (),
    first_frame: int = 100,
    frame_step: int = 1,
    seed: int = 0,
) -> Synthetic:
    """A side-view gait; see the module docstring. ``gaps`` = (landmark, first row, rows) set to NaN;
    ``swaps`` = rows whose L/R leg chains are exchanged."""
    frames = np.arange(first_frame, first_frame + int(seconds * fps), frame_step)
    t = (frames - first_frame) / fps
    fs = cadence_spm / 120.0  # stride frequency, Hz
    d = direction
    xy = _empty(len(t))
    ox = 1000.0 - d * (0 if treadmill else speed_ll_s * t.max() / 2 * leg_px)
    hip_x = ox + (0 if treadmill else d * speed_ll_s * leg_px) * t
    hip_y = 500.0 + bounce / 2 * leg_px * np.cos(2 * np.pi * 2 * fs * t)

    def place(fwd: np.ndarray, down: np.ndarray) -> np.ndarray:
        return np.stack([hip_x + d * fwd * leg_px, hip_y + down * leg_px], axis=-1)

    c = overstride - HEEL_OFFSET[0] - AMPLITUDE
    truth_leg: dict[str, float] = {}
    for offset, chain in ((0.0, LEFT_CHAIN), (np.pi, RIGHT_CHAIN)):
        phi = 2 * np.pi * fs * t + PHASE0 + offset
        ankle_f, ankle_d, knee_f, knee_d = _leg(phi, c)
        # both hip points on the hip axis, as seen from the side: the leg geometry hangs from it
        xy[:, chain[0]] = place(np.zeros_like(t), np.zeros_like(t))
        xy[:, chain[1]] = place(knee_f, knee_d)
        xy[:, chain[2]] = place(ankle_f, ankle_d)
        xy[:, chain[3]] = place(ankle_f + HEEL_OFFSET[0], ankle_d + HEEL_OFFSET[1])
        xy[:, chain[4]] = place(ankle_f + TOE_OFFSET[0], ankle_d + TOE_OFFSET[1])
        a_f, a_d, k_f, k_d = (float(v[0]) for v in _leg(np.array([np.pi / 2]), c))
        truth_leg["shank"] = float(np.degrees(np.arctan2(a_f - k_f, a_d - k_d)))
        knee_inner = np.degrees(
            np.arccos(
                ((-k_f) * (a_f - k_f) + (-k_d) * (a_d - k_d))
                / (np.hypot(k_f, k_d) * np.hypot(a_f - k_f, a_d - k_d))
            )
        )
        truth_leg["knee"] = float(180.0 - knee_inner)

    lean = np.radians(trunk_lean_deg)
    sh_f, sh_d = TRUNK * np.sin(lean), -TRUNK * np.cos(lean)
    for lm, dx in ((L.LEFT_SHOULDER, 0.02), (L.RIGHT_SHOULDER, -0.02)):
        xy[:, lm] = place(np.full_like(t, sh_f + dx), np.full_like(t, sh_d))
    neck = lean + np.radians(neck_deg)
    ear_f, ear_d = sh_f + NECK * np.sin(neck), sh_d - NECK * np.cos(neck)
    for lm, dx in ((L.LEFT_EAR, 0.01), (L.RIGHT_EAR, -0.01)):
        xy[:, lm] = place(np.full_like(t, ear_f + dx), np.full_like(t, ear_d))
    pitch = np.radians(head_pitch_deg)
    xy[:, L.NOSE] = place(
        np.full_like(t, ear_f + HEAD * np.cos(pitch)), np.full_like(t, ear_d + HEAD * np.sin(pitch))
    )

    last = float(frames[-1])
    contacts = {
        "left": _ic_frames(0.0, fs, fps, first_frame, int(last), np.pi / 2),
        "right": _ic_frames(np.pi, fs, fps, first_frame, int(last), np.pi / 2),
    }
    toe_offs = {
        "left": _ic_frames(0.0, fs, fps, first_frame, int(last), 3 * np.pi / 2),
        "right": _ic_frames(np.pi, fs, fps, first_frame, int(last), 3 * np.pi / 2),
    }
    truth = Truth(
        contacts=contacts,
        toe_offs=toe_offs,
        cadence_spm=cadence_spm,
        stride_frames=fps / fs,
        overstride_pct_leg=100 * overstride,
        shank_angle_deg=truth_leg["shank"],
        knee_flexion_deg=truth_leg["knee"],
        trunk_lean_deg=trunk_lean_deg,
        neck_flexion_deg=neck_deg,
        head_pitch_deg=head_pitch_deg,
        vertical_oscillation_pct_leg=100 * bounce,
        swapped_rows=tuple(swaps),
    )
    return _finish(xy, frames, fps, truth, noise_px, gaps, swaps, seed)


def _leg(phi: np.ndarray, c: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Ankle and knee (forward, down) relative to the hip, in LL, for foot phases phi."""
    u = c + AMPLITUDE * np.sin(phi)
    # the ground 0.95 LL below the hip, raised where a straight-ish leg could not reach it
    ground = np.minimum(0.95, np.sqrt(REACH**2 - np.minimum(u**2, REACH**2)))
    # lift only in swing (3pi/2 .. 5pi/2), squared so it fades in smoothly, without a kink at contact
    down = ground - 0.2 * np.maximum(0.0, np.cos(phi)) ** 2
    r = np.hypot(u, down)
    ef, ed = u / r, down / r
    a = (THIGH**2 - SHANK**2 + r**2) / (2 * r)
    h = np.sqrt(np.maximum(THIGH**2 - a**2, 0.0))
    # (ed, -ef) is perpendicular to the hip->ankle line with a forward component: the knee bends forward
    return u, down, a * ef + h * ed, a * ed - h * ef


def rear_gait(
    cadence_spm: float = 170.0,
    fps: float = 60.0,
    seconds: float = 6.0,
    pelvic_drop_deg: float = 5.0,
    leg_px: float = 200.0,
    noise_px: float = 0.0,
    seed: int = 0,
) -> Synthetic:
    """A runner seen from behind on a treadmill: hips side by side, feet lifting alternately, and a hip
    line that tilts by ``pelvic_drop_deg`` towards the swing side at each mid-stance."""
    frames = np.arange(100, 100 + int(seconds * fps))
    t = (frames - 100) / fps
    fs = cadence_spm / 120.0
    phi = 2 * np.pi * fs * t + PHASE0  # left foot; left mid-stance at phi = pi
    xy = _empty(len(t))
    cx, cy = 960.0, 500.0 + 0.03 * leg_px * np.cos(2 * np.pi * 2 * fs * t)
    half = 0.18 * leg_px
    tilt = np.radians(pelvic_drop_deg) * -np.cos(phi)  # + = right hip lower (y down)
    xy[:, L.LEFT_HIP] = np.stack([np.full_like(t, cx - half), cy - half * np.tan(tilt)], axis=-1)
    xy[:, L.RIGHT_HIP] = np.stack([np.full_like(t, cx + half), cy + half * np.tan(tilt)], axis=-1)
    for side, offset, chain in (("left", 0.0, LEFT_CHAIN), ("right", np.pi, RIGHT_CHAIN)):
        lift = 0.25 * np.maximum(0.0, np.cos(phi + offset)) * leg_px
        x = np.full_like(t, cx - half if side == "left" else cx + half)
        hip_y = xy[:, chain[0], 1]
        xy[:, chain[1]] = np.stack([x, hip_y + 0.5 * leg_px - 0.5 * lift], axis=-1)
        xy[:, chain[2]] = np.stack([x, hip_y + 1.0 * leg_px - lift], axis=-1)
        xy[:, chain[3]] = np.stack([x, hip_y + 1.05 * leg_px - lift], axis=-1)
        xy[:, chain[4]] = np.stack([x, hip_y + 1.02 * leg_px - lift], axis=-1)
    for lm, dx in ((L.LEFT_SHOULDER, -0.25), (L.RIGHT_SHOULDER, 0.25)):
        xy[:, lm] = np.stack([np.full_like(t, cx + dx * leg_px), cy - 0.6 * leg_px], axis=-1)
    for lm, dx in ((L.LEFT_EAR, -0.08), (L.RIGHT_EAR, 0.08), (L.NOSE, 0.0)):
        xy[:, lm] = np.stack([np.full_like(t, cx + dx * leg_px), cy - 0.85 * leg_px], axis=-1)
    mid = {
        "left": _ic_frames(0.0, fs, fps, 100, int(frames[-1]), np.pi),
        "right": _ic_frames(np.pi, fs, fps, 100, int(frames[-1]), np.pi),
    }
    truth = Truth(
        contacts=mid,
        toe_offs={"left": np.array([]), "right": np.array([])},
        cadence_spm=cadence_spm,
        stride_frames=fps / fs,
        overstride_pct_leg=float("nan"),
        shank_angle_deg=float("nan"),
        knee_flexion_deg=float("nan"),
        trunk_lean_deg=0.0,
        neck_flexion_deg=float("nan"),
        head_pitch_deg=float("nan"),
        vertical_oscillation_pct_leg=float("nan"),
        pelvic_drop_deg=pelvic_drop_deg,
    )
    return _finish(xy, frames, fps, truth, noise_px, (), (), seed)


def _finish(
    xy: np.ndarray,
    frames: np.ndarray,
    fps: float,
    truth: Truth,
    noise_px: float,
    gaps: tuple[tuple[Landmark, int, int], ...],
    swaps: tuple[int, ...],
    seed: int,
) -> Synthetic:
    visibility = np.where(np.isfinite(xy[..., 0]), 1.0, 0.0)
    clean = PoseSeries(fps, 1920, 1080, xy.copy(), visibility, frames.copy())
    rng = np.random.default_rng(seed)
    noisy = xy + rng.normal(0.0, noise_px, xy.shape) if noise_px else xy.copy()
    left, right = list(LEFT_CHAIN), list(RIGHT_CHAIN)
    for row in swaps:
        noisy[row, left + right] = noisy[row, right + left]
    for lm, start, length in gaps:
        noisy[start : start + length, int(lm)] = np.nan
    series = PoseSeries(fps, 1920, 1080, noisy, visibility, frames.copy())
    return Synthetic(series, truth, clean)


def rotated(series: PoseSeries, degrees: float) -> PoseSeries:
    """The clip as a camera rolled by ``degrees`` (clockwise on screen) would see it."""
    a = np.radians(degrees)
    centre = np.array([series.width / 2, series.height / 2])
    p = series.xy - centre
    x = np.cos(a) * p[..., 0] - np.sin(a) * p[..., 1]
    y = np.sin(a) * p[..., 0] + np.cos(a) * p[..., 1]
    return series.with_xy(np.stack([x, y], axis=-1) + centre)
