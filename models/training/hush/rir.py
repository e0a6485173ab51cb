"""Shoebox room impulse responses by the image-source method (Allen & Berkley 1979).

No pyroomacoustics here, so this is a small numpy implementation:
- per-wall reflection coefficients beta = sqrt(1 - alpha) (six walls);
- every image whose delay falls inside the requested length is summed (no order limit);
- images are placed on a 4x oversampled grid, then low-pass decimated to 16 kHz, which gives
  quarter-sample delay accuracy and a band-limited response; a 40 Hz high-pass removes the
  DC build-up of the method;
- the response starts at the direct path (delay removed), so convolving keeps speech aligned.

Also: Sabine / Eyring helpers, Schroeder-integral RT60 estimation, random meeting-room draws.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Optional, Sequence, Tuple

import numpy as np

C_SOUND = 343.0
SR = 16000


def room_volume_surface(dims: Sequence[float]) -> Tuple[float, float]:
    lx, ly, lz = dims
    return lx * ly * lz, 2 * (lx * ly + lx * lz + ly * lz)


def sabine_rt60(dims: Sequence[float], alpha: float) -> float:
    v, s = room_volume_surface(dims)
    return 0.161 * v / (s * alpha)


def eyring_rt60(dims: Sequence[float], alpha: float) -> float:
    v, s = room_volume_surface(dims)
    return 0.161 * v / (-s * math.log(1.0 - alpha))


def sabine_alpha(dims: Sequence[float], rt60: float) -> float:
    """Uniform absorption coefficient giving ``rt60`` by Sabine's formula."""
    v, s = room_volume_surface(dims)
    return 0.161 * v / (s * rt60)


def eyring_alpha(dims: Sequence[float], rt60: float) -> float:
    """Uniform absorption coefficient giving ``rt60`` by Eyring's formula (the image
    method's decay follows Eyring more closely than Sabine when absorption is high)."""
    v, s = room_volume_surface(dims)
    return 1.0 - math.exp(-0.161 * v / (s * rt60))


def _axis_images(n_max: int, L: float, src: float, b0: float, b1: float):
    """Image coordinates and reflection gains along one axis for indices -n_max..n_max.
    Walls at 0 (beta b0) and L (beta b1)."""
    i = np.arange(-n_max, n_max + 1)
    pos = np.where(i % 2 == 0, i * L + src, (i + 1) * L - src)
    a = np.abs(i)
    hits_hi = np.where(i > 0, (a + 1) // 2, a // 2)   # reflections off the wall at L
    hits_lo = a - hits_hi                              # reflections off the wall at 0
    gain = (b0 ** hits_lo) * (b1 ** hits_hi)
    return pos, gain


def ism_rir(dims: Sequence[float], src: Sequence[float], mic: Sequence[float], alpha,
            length_s: float = 0.5, sr: int = SR, oversample: int = 4, highpass_hz: float = 40.0,
            align_direct: bool = True, pre_delay_s: float = 0.001) -> np.ndarray:
    """Image-source RIR of a shoebox room.

    dims: (Lx, Ly, Lz) m; src, mic: positions (m) inside; alpha: scalar or 6 absorption
    coefficients (x=0, x=Lx, y=0, y=Ly, z=0, z=Lz). Returns float32 [length_s * sr], starting
    ``pre_delay_s`` before the direct path if ``align_direct`` (peak-normalised to 1)."""
    dims = np.asarray(dims, float)
    src = np.asarray(src, float)
    mic = np.asarray(mic, float)
    if np.any(src <= 0) or np.any(src >= dims) or np.any(mic <= 0) or np.any(mic >= dims):
        raise ValueError("source and microphone must be inside the room")
    alpha = np.broadcast_to(np.asarray(alpha, float), (6,))
    if np.any(alpha <= 0) or np.any(alpha >= 1):
        raise ValueError("absorption coefficients must be in (0, 1)")
    beta = np.sqrt(1.0 - alpha)
    direct = float(np.linalg.norm(src - mic))
    t_max = length_s + (direct / C_SOUND if align_direct else 0.0)
    d_max = t_max * C_SOUND
    fs = sr * oversample
    n_out = int(math.ceil(t_max * fs)) + 1
    h = np.zeros(n_out, dtype=np.float64)
    axes = []
    for k in range(3):
        n_max = int(math.ceil(d_max / dims[k])) + 1
        pos, gain = _axis_images(n_max, dims[k], src[k], beta[2 * k], beta[2 * k + 1])
        keep = np.abs(pos - mic[k]) <= d_max
        axes.append((pos[keep] - mic[k], gain[keep]))
    (dx, gx), (dy, gy), (dz, gz) = axes
    dyz2 = dy[:, None] ** 2 + dz[None, :] ** 2
    gyz = gy[:, None] * gz[None, :]
    for x, g in zip(dx, gx):
        d2 = x * x + dyz2
        m = d2 <= d_max * d_max
        if not m.any():
            continue
        d = np.sqrt(d2[m])
        w = g * gyz[m] / (4 * math.pi * np.maximum(d, 1e-3))
        idx = np.rint(d / C_SOUND * fs).astype(np.int64)
        ok = idx < n_out
        h += np.bincount(idx[ok], weights=w[ok], minlength=n_out)
    from scipy.signal import butter, resample_poly, sosfilt
    h = resample_poly(h, 1, oversample)
    if highpass_hz:
        h = sosfilt(butter(2, highpass_hz, "highpass", fs=sr, output="sos"), h)
    if align_direct:
        start = max(0, int(round((direct / C_SOUND - pre_delay_s) * sr)))
        h = h[start:]
    h = h[: int(round(length_s * sr))]
    peak = np.abs(h).max()
    if peak > 0:
        h = h / peak
    return h.astype(np.float32)


def schroeder_rt60(h: np.ndarray, sr: int = SR, lo_db: float = -5.0, hi_db: float = -25.0) -> float:
    """RT60 from the backward-integrated energy decay, line fit between lo_db and hi_db (T20 x 3)."""
    e = np.asarray(h, float) ** 2
    edc = np.cumsum(e[::-1])[::-1]
    edc_db = 10 * np.log10(edc / edc[0] + 1e-30)
    i0 = int(np.argmax(edc_db <= lo_db))
    i1 = int(np.argmax(edc_db <= hi_db))
    if i1 <= i0 + 2:
        return float("nan")
    t = np.arange(i0, i1) / sr
    slope, _ = np.polyfit(t, edc_db[i0:i1], 1)
    return float(-60.0 / slope) if slope < 0 else float("nan")


def decay_length(h: np.ndarray, drop_db: float = 50.0) -> int:
    """Samples until the energy decay curve falls by drop_db (truncation point)."""
    e = np.asarray(h, float) ** 2
    edc = np.cumsum(e[::-1])[::-1]
    edc_db = 10 * np.log10(edc / edc[0] + 1e-30)
    below = np.nonzero(edc_db <= -drop_db)[0]
    return int(below[0]) if len(below) else len(h)


def drr_db(h: np.ndarray, sr: int = SR, window_ms: float = 2.5) -> float:
    """Direct-to-reverberant ratio: energy within +-window of the peak vs the rest."""
    k = int(np.argmax(np.abs(h)))
    w = int(window_ms * sr / 1000)
    e = np.asarray(h, float) ** 2
    d = e[max(0, k - w): k + w + 1].sum()
    r = e.sum() - d
    return float(10 * np.log10(d / max(r, 1e-20)))


@dataclass
class RoomSpec:
    dims: Tuple[float, float, float]
    alpha: Tuple[float, ...]
    target_rt60: float
    src: Tuple[float, float, float]
    mic: Tuple[float, float, float]
    distance: float

    def to_dict(self):
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(self).items()}


def random_room(rng: np.random.Generator, dims_lo=(3.0, 3.0, 2.5), dims_hi=(15.0, 10.0, 4.0),
                rt60_range=(0.15, 1.0), dist_range=(0.5, 4.0), wall_spread=0.3,
                max_tries: int = 1000) -> RoomSpec:
    """A meeting room: size, RT60 (per-wall absorption around the Eyring value, +-wall_spread),
    a talker (1.1-1.7 m high, 0.5 m from walls) and a table/laptop microphone 0.5-4 m away."""
    for _ in range(max_tries):
        lx = rng.uniform(dims_lo[0], dims_hi[0])
        ly = rng.uniform(dims_lo[1], min(dims_hi[1], lx))   # x is the long side
        lz = rng.uniform(dims_lo[2], dims_hi[2])
        dims = (lx, ly, lz)
        rt60 = float(np.exp(rng.uniform(np.log(rt60_range[0]), np.log(rt60_range[1]))))
        # Sabine's alpha: image-method decays follow Sabine more closely than Eyring here
        a = sabine_alpha(dims, rt60)
        if not 0.02 <= a <= 0.9:
            continue
        alpha = np.clip(a * rng.uniform(1 - wall_spread, 1 + wall_spread, 6), 0.01, 0.95)
        # keep the mean Sabine-equivalent area at the target (rescale)
        alpha = np.clip(alpha * (a / alpha.mean()), 0.01, 0.95)
        src = np.array([rng.uniform(0.5, lx - 0.5), rng.uniform(0.5, ly - 0.5), rng.uniform(1.1, 1.7)])
        dist = rng.uniform(*dist_range)
        for _ in range(50):
            theta = rng.uniform(0, 2 * np.pi)
            mz = rng.uniform(0.7, 1.5)
            horiz = math.sqrt(max(dist ** 2 - (mz - src[2]) ** 2, 0.0))
            mic = np.array([src[0] + horiz * math.cos(theta), src[1] + horiz * math.sin(theta), mz])
            if np.all(mic > 0.3) and np.all(mic < np.array(dims) - 0.3):
                return RoomSpec(tuple(round(float(v), 3) for v in dims), tuple(round(float(v), 4) for v in alpha),
                                round(rt60, 3), tuple(round(float(v), 3) for v in src),
                                tuple(round(float(v), 3) for v in mic),
                                round(float(np.linalg.norm(mic - src)), 3))
    raise RuntimeError("could not draw a room")


def room_rir(spec: RoomSpec, sr: int = SR, max_len_s: float = 1.0, drop_db: float = 50.0) -> np.ndarray:
    """Simulate a RoomSpec and truncate where its energy decay reaches -drop_db (<= max_len_s)."""
    length = min(max_len_s, max(0.25, 1.0 * spec.target_rt60 + 0.05))
    h = ism_rir(spec.dims, spec.src, spec.mic, spec.alpha, length_s=length, sr=sr)
    n = max(int(0.05 * sr), decay_length(h, drop_db))
    h = h[:n].copy()
    # short fade-out to avoid a truncation click
    f = min(len(h) // 10, int(0.01 * sr))
    if f > 1:
        h[-f:] *= np.linspace(1.0, 0.0, f, dtype=np.float32)
    return h


def simulated_room(i: int, seed: int):
    """Room `i` of the simulated bank for `seed`: its response and what describes it (stage 02, device/rooms.py)."""
    rng = np.random.default_rng([seed, i])
    spec = random_room(rng)
    h = room_rir(spec)
    rt = schroeder_rt60(h)
    meta = {"kind": "sim", **spec.to_dict(), "rt60": round(rt if np.isfinite(rt) else spec.target_rt60, 3),
            "rt60_measured": round(rt, 3), "drr_db": round(drr_db(h), 2), "len": len(h)}
    return h, meta
