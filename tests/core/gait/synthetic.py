"""Synthetic keypoint sequences with known answers: a sine-wave gait seen from the side or from behind.

Side view, per foot, in leg lengths (LL) relative to the hip, with phase phi:
- fore-aft ankle position u = c + A·sin(phi): the heel is furthest ahead (Zeni IC) at phi = pi/2 and
  the toe furthest behind (Zeni TO) at phi = 3pi/2; c is set so that the heel is ``overstride`` LL
  ahead of the pelvis at phi = pi/2;
- vertical: the stance foot stands on a fixed ground line in the image (``GROUND`` LL below the mean hip
  height) while the pelvis bounces above it at the step frequency (peak-to-peak ``bounce`` LL). In swing
  the ankle is lifted ``SWING_LIFT``·cos²(phi) and comes down smoothly to foot-flat at phi = pi/2. The
  foot lands heel first: the heel hangs ``heel_drop`` LL below its foot-flat position (the foot is
  dorsiflexed), so it touches the ground a little before foot-flat, while still coming down, and then
  stays on the ground. Late in stance the heel rises where the leg (``REACH``) can no longer reach the
  ground (heel-off);
- the knee from two-link inverse kinematics (thigh = shank = LL/2), bent forwards.
The pelvis carries a rigid trunk, neck and head with known lean, neck flexion and head pitch.

Truth: a contact (IC) is the physical one, the moment the heel reaches the ground (spec: Fellin et al.
2010, heel height). The metrics at contact (overstride, shank angle, knee flexion) are taken at that
moment from the same geometry. The heel is furthest ahead of the pelvis (the Zeni peak) later, at
foot-flat: about 2 frames later at 60 fps with the default ``heel_drop`` (as on the real walking clip,
where the Zeni peak comes about 1.7 frames after the visible heel contact). With ``heel_drop=0`` the
foot lands flat and both coincide. (Before this model the truth was the fore-aft peak, the heel came
down tangentially and the stance foot rode up and down with the pelvis, so "heel on the ground" had no
sharp moment.)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from backstride.core.gait.keypoints import N_LANDMARKS, Landmark, PoseSeries
from backstride.core.gait.sides import LEFT_CHAIN, RIGHT_CHAIN

L = Landmark
AMPLITUDE = 0.45  # fore-aft ankle swing, LL
HEEL_OFFSET = (-0.04, 0.05)  # from the ankle, (forward, down) in LL
TOE_OFFSET = (0.14, 0.04)  # toes 0.01 LL above the heel on the ground: a heel-first landing
THIGH = SHANK = 0.5
TRUNK = 0.6
NECK = 0.25
HEAD = 0.12
PHASE0 = 0.3
REACH = 0.995  # longest hip-ankle distance in stance, LL (the leg is 1 LL)
GROUND = 0.92  # the ankle of a foot standing on the ground, LL below the mean hip height
SWING_LIFT = 0.2  # ankle lift in swing, LL


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
    heel_drop: float = 0.0175,
) -> Synthetic:
    """A side-view gait; see the module docstring. ``gaps`` = (landmark, first row, rows) set to NaN;
    ``swaps`` = rows whose L/R leg chains are exchanged; ``heel_drop`` = how far (LL) the heel hangs
    below its foot-flat position at touchdown (0: a flat-foot landing at the fore-aft peak)."""
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
    for offset, chain in ((0.0, LEFT_CHAIN), (np.pi, RIGHT_CHAIN)):
        phi = 2 * np.pi * fs * t + PHASE0 + offset
        drop = _hip_drop(phi, bounce)
        ankle_f, ankle_d, knee_f, knee_d = _leg(phi, c, drop)
        heel_d = ankle_d + HEEL_OFFSET[1] + _heel_hang(phi, c, drop, heel_drop)
        # both hip points on the hip axis, as seen from the side: the leg geometry hangs from it
        xy[:, chain[0]] = place(np.zeros_like(t), np.zeros_like(t))
        xy[:, chain[1]] = place(knee_f, knee_d)
        xy[:, chain[2]] = place(ankle_f, ankle_d)
        xy[:, chain[3]] = place(ankle_f + HEEL_OFFSET[0], heel_d)
        xy[:, chain[4]] = place(ankle_f + TOE_OFFSET[0], ankle_d + TOE_OFFSET[1])
    # the same for both feet: the pelvis bounces at the step frequency
    phi_ic = _touchdown_phase(c, bounce, heel_drop)
    a_f, a_d, k_f, k_d = (float(v[0]) for v in _leg(np.array([phi_ic]), c, _hip_drop(phi_ic, bounce)))
    shank_truth = float(np.degrees(np.arctan2(a_f - k_f, a_d - k_d)))
    knee_inner = np.degrees(
        np.arccos(
            ((-k_f) * (a_f - k_f) + (-k_d) * (a_d - k_d))
            / (np.hypot(k_f, k_d) * np.hypot(a_f - k_f, a_d - k_d))
        )
    )

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
        "left": _ic_frames(0.0, fs, fps, first_frame, int(last), phi_ic),
        "right": _ic_frames(np.pi, fs, fps, first_frame, int(last), phi_ic),
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
        overstride_pct_leg=100 * (a_f + HEEL_OFFSET[0]),
        shank_angle_deg=shank_truth,
        knee_flexion_deg=float(180.0 - knee_inner),
        trunk_lean_deg=trunk_lean_deg,
        neck_flexion_deg=neck_deg,
        head_pitch_deg=head_pitch_deg,
        vertical_oscillation_pct_leg=100 * bounce,
        swapped_rows=tuple(swaps),
    )
    return _finish(xy, frames, fps, truth, noise_px, gaps, swaps, seed)


def _hip_drop(phi: np.ndarray | float, bounce: float) -> np.ndarray:
    """How far the pelvis is below its mean height (LL) at foot phase phi (the same for both feet)."""
    return np.asarray(bounce / 2 * np.cos(2 * (np.asarray(phi) - PHASE0)))


def _ankle_height(phi: np.ndarray, c: float, drop: np.ndarray) -> np.ndarray:
    """Ankle height (LL) above its foot-flat position: the swing lift, smooth (tangential) at foot-flat
    so the hip-relative leg has no kink, plus heel-off where the leg cannot reach the ground."""
    u = c + AMPLITUDE * np.sin(phi)
    on_ground = GROUND - drop  # ankle depth below the (bouncing) hip of a foot flat on the ground
    reach = np.sqrt(REACH**2 - np.minimum(u**2, REACH**2))
    lift = SWING_LIFT * np.maximum(0.0, np.cos(phi)) ** 2
    return np.asarray(np.maximum(on_ground - reach, 0.0) + lift)


def _heel_hang(phi: np.ndarray, c: float, drop: np.ndarray, heel_drop: float) -> np.ndarray:
    """How far (LL) the heel is below its foot-flat position: ``heel_drop`` in swing, less as the
    dorsiflexed foot lands heel first and rotates down to flat, so the heel stays on the ground."""
    return np.asarray(np.minimum(heel_drop, _ankle_height(phi, c, drop)))


def _touchdown_phase(c: float, bounce: float, heel_drop: float) -> float:
    """The phase at which the heel reaches the ground (IC): where its height first becomes zero."""
    phi = np.linspace(np.pi / 2 - 1.0, np.pi / 2 + 1.5, 25001)
    drop = _hip_drop(phi, bounce)
    height = _ankle_height(phi, c, drop) - _heel_hang(phi, c, drop, heel_drop)
    down = np.flatnonzero(height <= 1e-12)
    if not len(down) or phi[down[0]] >= np.pi:
        raise ValueError("the leg never reaches the ground: lower the overstride or the bounce")
    return float(phi[down[0]])


def _leg(
    phi: np.ndarray, c: float, drop: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Ankle and knee (forward, down) relative to the hip, in LL, for foot phases phi; ``drop`` is the
    pelvis's height below its mean (a foot on the ground stays on a fixed ground line)."""
    u = c + AMPLITUDE * np.sin(phi)
    down = GROUND - drop - _ankle_height(phi, c, drop)
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
