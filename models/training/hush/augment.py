"""Meeting-room augmentation, on the fly, deterministic by the rng it is given.

    assets = Assets.load("models/training/data/aug")          # mmap'd, shareable by DataLoader workers
    info = []
    y = augment(wav, rng, assets, AugmentConfig(), info=info)  # wav: float [-1, 1], 16 kHz, numpy or torch
    describe(info)  # 'speed=1.1;overlap=-14.2dB@+0.80s;rir=sim17(rt60=0.45,d=2.1m);noise=babble3@8.5dB;...'

Order: speed perturbation -> quieter overlapping talker -> room (RIR, FFT convolution) ->
additive noise at an SNR -> telephone band -> low-bitrate Opus -> level change -> clipping.
Only speed perturbation changes the length. Everything random comes from ``rng``
(a numpy Generator), so the same seed gives the same output.
"""
from __future__ import annotations

import io
import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

import numpy as np

SR = 16000


@dataclass
class AugmentConfig:
    p_speed: float = 0.3                  # 0.9 or 1.1 (else 1.0)
    speeds: Tuple[float, ...] = (0.9, 1.1)
    p_overlap: float = 0.15               # a quieter second talker
    overlap_db: Tuple[float, float] = (-20.0, -10.0)
    p_reverb: float = 0.5
    p_measured_rir: float = 0.05          # share of reverb events using the measured seminar-room RIR
    p_noise: float = 0.6
    p_babble: float = 0.35                # share of noise events that are babble built from training speakers
    snr_db: Tuple[float, float] = (0.0, 25.0)
    p_telephone: float = 0.07
    p_codec: float = 0.05                 # live Opus round trip (about 2 % of real time per call)
    codec_level: Tuple[float, float] = (0.98, 1.0)   # libsndfile level: about 12 .. 7.7 kbit/s at 16 kHz
    p_gain: float = 0.8
    level_dbfs: Tuple[float, float] = (-42.0, -14.0)  # target RMS level
    p_clip: float = 0.04
    clip_drive: Tuple[float, float] = (1.2, 3.0)      # peak / full scale before hard clipping

    def to_dict(self):
        return asdict(self)


class _Bank:
    """float32 clips in an mmap'd .npy + .json: either concatenated 1-D with ``offsets``, or a
    zero-padded 2-D [N, Lmax] array with ``lengths`` (the RIR bank, loadable as a plain array)."""

    def __init__(self, data: np.ndarray, offsets: Optional[np.ndarray], meta: List[dict],
                 lengths: Optional[np.ndarray] = None):
        self.data, self.offsets, self.meta, self.lengths = data, offsets, meta, lengths

    def __len__(self):
        return len(self.meta)

    def clip(self, i: int) -> np.ndarray:
        if self.data.ndim == 2:
            return self.data[i, : self.lengths[i]]
        return self.data[self.offsets[i]: self.offsets[i + 1]]

    @classmethod
    def load(cls, npy: Path, js: Path, mmap: bool = True):
        meta = json.loads(Path(js).read_text())
        data = np.load(npy, mmap_mode="r" if mmap else None)
        if data.ndim == 2:
            return cls(data, None, meta["items"], np.asarray(meta["lengths"], dtype=np.int64))
        return cls(data, np.asarray(meta["offsets"], dtype=np.int64), meta["items"])

    @staticmethod
    def save(npy: Path, js: Path, clips: Sequence[np.ndarray], items: List[dict], **header):
        offsets = np.concatenate([[0], np.cumsum([len(c) for c in clips])]).astype(np.int64)
        data = np.concatenate([np.asarray(c, np.float32) for c in clips]) if clips else np.zeros(0, np.float32)
        tmp = Path(str(npy) + ".tmp.npy")
        np.save(tmp, data)
        tmp.replace(npy)
        Path(js).write_text(json.dumps({**header, "offsets": offsets.tolist(), "items": items}, indent=0))

    @staticmethod
    def save_padded(npy: Path, js: Path, clips: Sequence[np.ndarray], items: List[dict], **header):
        lengths = [len(c) for c in clips]
        data = np.zeros((len(clips), max(lengths) if clips else 0), np.float32)
        for i, c in enumerate(clips):
            data[i, : len(c)] = c
        tmp = Path(str(npy) + ".tmp.npy")
        np.save(tmp, data)
        tmp.replace(npy)
        Path(js).write_text(json.dumps({**header, "lengths": lengths, "items": items}, indent=0))


class _ListBank:
    """Several banks seen as one (simulated RIRs + the measured one)."""

    def __init__(self, banks: Sequence[_Bank]):
        self.parts = [(b, i) for b in banks for i in range(len(b))]
        self.meta = [b.meta[i] for b, i in self.parts]

    def __len__(self):
        return len(self.parts)

    def clip(self, i: int) -> np.ndarray:
        b, j = self.parts[i]
        return b.clip(j)


@dataclass
class Assets:
    rirs: Optional[_Bank] = None      # simulated (rirs.npy, [N, Lmax]) + measured (rir_measured.npy)
    noise: Optional[_Bank] = None     # shared noise clips; meta: category, file, licence
    babble: Optional[_Bank] = None    # built from training speakers; meta: speakers
    overlap: Optional[_Bank] = None   # training utterances for the overlapping talker; meta: id, speaker
    _measured: List[int] = field(default_factory=list)
    _simulated: List[int] = field(default_factory=list)

    def __post_init__(self):
        if self.rirs is not None:
            self._measured = [i for i, m in enumerate(self.rirs.meta) if m.get("kind") == "measured"]
            self._simulated = [i for i, m in enumerate(self.rirs.meta) if m.get("kind") != "measured"]

    @classmethod
    def load(cls, directory, mmap: bool = True) -> "Assets":
        d = Path(directory)
        banks = {}
        for name in ("rirs", "rir_measured", "noise", "babble", "overlap"):
            if (d / f"{name}.npy").is_file() and (d / f"{name}.json").is_file():
                banks[name] = _Bank.load(d / f"{name}.npy", d / f"{name}.json", mmap)
        rir_parts = [banks.pop(k) for k in ("rirs", "rir_measured") if k in banks]
        if rir_parts:
            banks["rirs"] = _ListBank(rir_parts)
        return cls(**banks)


# ----------------------------------------------------------------------------- building blocks

def _rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64)) + 1e-12))


def active_rms(x: np.ndarray, frame: int = 400) -> float:
    """RMS over the louder frames (speech activity), so pauses don't skew the SNR."""
    n = len(x) // frame
    if n < 4:
        return _rms(x)
    e = np.mean(np.square(x[: n * frame].reshape(n, frame), dtype=np.float64), axis=1)
    thr = e.max() * 10 ** (-40 / 10)
    act = e[e > thr]
    return float(math.sqrt(act.mean() + 1e-12)) if len(act) else _rms(x)


def speed_perturb(x: np.ndarray, factor: float) -> np.ndarray:
    """Kaldi-style speed perturbation (tempo and pitch) by resampling: length / factor."""
    if factor == 1.0:
        return x
    from scipy.signal import resample_poly
    up, down = {0.9: (10, 9), 1.1: (10, 11)}.get(round(factor, 3), (1000, int(round(1000 * factor))))
    g = math.gcd(up, down)
    return resample_poly(x, up // g, down // g).astype(np.float32)


def fft_convolve_same(x: np.ndarray, h: np.ndarray) -> np.ndarray:
    """Convolve and keep len(x) (the RIR starts at the direct path, so speech stays aligned)."""
    from scipy.signal import fftconvolve
    return fftconvolve(x, h, mode="full")[: len(x)].astype(np.float32)


def random_segment(clip: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """n samples from a clip at a random start, looping (with a short crossfade) if too short."""
    clip = np.asarray(clip, dtype=np.float32)
    if len(clip) == 0:
        return np.zeros(n, np.float32)
    if len(clip) >= n:
        s = int(rng.integers(0, len(clip) - n + 1))
        return np.array(clip[s: s + n], dtype=np.float32)
    reps = int(math.ceil(n / len(clip))) + 1
    tiled = np.tile(clip, reps)
    s = int(rng.integers(0, len(clip)))
    return np.array(tiled[s: s + n], dtype=np.float32)


def add_at_snr(x: np.ndarray, noise: np.ndarray, snr_db: float) -> np.ndarray:
    ps = active_rms(x) ** 2
    pn = _rms(noise) ** 2
    if pn <= 1e-12:
        return x
    g = math.sqrt(ps / (pn * 10 ** (snr_db / 10)))
    return (x + g * noise).astype(np.float32)


_SOS_CACHE = {}


def telephone(x: np.ndarray) -> np.ndarray:
    """300-3400 Hz band-pass and an 8 kHz round trip; same length."""
    from scipy.signal import butter, resample_poly, sosfilt
    if "tel" not in _SOS_CACHE:
        _SOS_CACHE["tel"] = butter(4, [300, 3400], "bandpass", fs=SR, output="sos")
    y = sosfilt(_SOS_CACHE["tel"], x)
    y = resample_poly(y, 1, 2)
    y = resample_poly(y, 2, 1)[: len(x)]
    if len(y) < len(x):
        y = np.pad(y, (0, len(x) - len(y)))
    return y.astype(np.float32)


SFC_SET_COMPRESSION_LEVEL = 0x1301


def opus_roundtrip(x: np.ndarray, level: float = 1.0) -> np.ndarray:
    """Ogg Opus encode/decode in memory via libsndfile at a compression level in [0, 1]
    (at 16 kHz mono: 0.98 -> about 12 kbit/s, 1.0 -> about 7.7 kbit/s). Same length."""
    import soundfile as sf
    from soundfile import _ffi, _snd
    peak = float(np.max(np.abs(x))) if len(x) else 0.0
    scale = 0.99 / peak if peak > 0.99 else 1.0  # the codec path is float; avoid wrap-around
    buf = io.BytesIO()
    with sf.SoundFile(buf, "w", SR, 1, format="OGG", subtype="OPUS") as f:
        v = _ffi.new("double*", float(level))
        _snd.sf_command(f._file, SFC_SET_COMPRESSION_LEVEL, v, _ffi.sizeof("double"))
        f.write(np.asarray(x, np.float32) * scale)
    buf.seek(0)
    y, _ = sf.read(buf, dtype="float32")
    if len(y) < len(x):
        y = np.pad(y, (0, len(x) - len(y)))
    return (y[: len(x)] / scale).astype(np.float32)


def opus_kbps_for_level(level: float) -> float:
    """Approximate Ogg Opus bit rate (kbit/s, container included) libsndfile gives at 16 kHz."""
    return 7.7 + (1.0 - level) * 250.0


# ----------------------------------------------------------------------------- entry point

def augment(wav, rng: np.random.Generator, assets: Assets, config: Optional[AugmentConfig] = None,
            info: Optional[list] = None):
    """Augment one 16 kHz utterance. Returns the same type (numpy or torch) as ``wav``.
    ``info``, if a list, receives (name, details) tuples of what was applied (see describe())."""
    cfg = config or AugmentConfig()
    torch_in = None
    if not isinstance(wav, np.ndarray):
        torch_in = wav
        wav = wav.detach().cpu().numpy()
    x = np.asarray(wav, dtype=np.float32).reshape(-1).copy()
    log = info if info is not None else []
    # draw every decision up front, in a fixed order, so one choice never shifts another's randomness
    u = rng.random(10)
    if len(x) == 0:
        return torch_in.new_zeros(0) if torch_in is not None else x

    if u[0] < cfg.p_speed:
        f = float(cfg.speeds[int(rng.integers(len(cfg.speeds)))])
        x = speed_perturb(x, f)
        log.append(("speed", f))
    n = len(x)

    if u[1] < cfg.p_overlap and assets.overlap is not None and len(assets.overlap):
        k = int(rng.integers(len(assets.overlap)))
        other = np.asarray(assets.overlap.clip(k), np.float32)
        db = float(rng.uniform(*cfg.overlap_db))
        off = int(rng.integers(-len(other) // 2, max(n - len(other) // 2, 1)))  # may start before / end after
        seg = np.zeros(n, np.float32)
        a, b = max(off, 0), min(off + len(other), n)
        if b > a:
            seg[a:b] = other[a - off: b - off]
            g = active_rms(x) / max(active_rms(other), 1e-6) * 10 ** (db / 20)
            x = x + g * seg
            log.append(("overlap", (round(db, 1), round(off / SR, 2), assets.overlap.meta[k].get("speaker", ""))))

    if u[2] < cfg.p_reverb and assets.rirs is not None and len(assets.rirs):
        use_meas = assets._measured and (rng.random() < cfg.p_measured_rir or not assets._simulated)
        pool = assets._measured if use_meas else assets._simulated
        k = pool[int(rng.integers(len(pool)))]
        h = np.asarray(assets.rirs.clip(k), np.float32)
        before = active_rms(x)
        x = fft_convolve_same(x, h)
        x *= before / max(active_rms(x), 1e-9)
        m = assets.rirs.meta[k]
        log.append(("rir", (k, m.get("kind", "sim"), m.get("rt60"), m.get("distance"))))

    if u[3] < cfg.p_noise:
        bank, kind = None, None
        if assets.babble is not None and len(assets.babble) and (rng.random() < cfg.p_babble or assets.noise is None):
            bank, kind = assets.babble, "babble"
        elif assets.noise is not None and len(assets.noise):
            bank, kind = assets.noise, "noise"
        if bank is not None:
            k = int(rng.integers(len(bank)))
            noise = random_segment(bank.clip(k), n, rng)
            snr = float(rng.uniform(*cfg.snr_db))
            x = add_at_snr(x, noise, snr)
            label = bank.meta[k].get("category", kind)
            log.append(("noise", (label, k, round(snr, 1))))

    if u[4] < cfg.p_telephone:
        x = telephone(x)
        log.append(("telephone", None))

    if u[5] < cfg.p_codec:
        level = float(rng.uniform(*cfg.codec_level))
        x = opus_roundtrip(x, level)
        log.append(("codec", round(opus_kbps_for_level(level), 1)))

    if u[6] < cfg.p_gain:
        target = float(rng.uniform(*cfg.level_dbfs))
        x = x * (10 ** (target / 20) / max(active_rms(x), 1e-9))
        log.append(("gain", round(target, 1)))

    peak = float(np.max(np.abs(x)))
    if u[7] < cfg.p_clip and peak > 0:
        drive = float(rng.uniform(*cfg.clip_drive))
        x = np.clip(x * (drive / peak), -1.0, 1.0)
        log.append(("clip", round(drive, 2)))
    elif peak > 0.99:
        x = x * (0.99 / peak)

    x = x.astype(np.float32)
    if torch_in is not None:
        import torch
        return torch.from_numpy(x).to(dtype=torch_in.dtype if torch_in.is_floating_point() else torch.float32)
    return x


def describe(info: Sequence[tuple]) -> str:
    """Compact one-line description of what augment() applied (for manifests / logs)."""
    parts = []
    for name, d in info:
        if name == "speed":
            parts.append(f"speed={d:g}")
        elif name == "overlap":
            parts.append(f"overlap={d[0]:+.1f}dB@{d[1]:+.2f}s")
        elif name == "rir":
            k, kind, rt60, dist = d
            extra = f"(rt60={rt60:.2f},d={dist:.1f}m)" if rt60 is not None and dist is not None else ""
            parts.append(f"rir={'meas' if kind == 'measured' else 'sim'}{k}{extra}")
        elif name == "noise":
            parts.append(f"noise={d[0]}{d[1]}@{d[2]:.1f}dB")
        elif name == "telephone":
            parts.append("telephone")
        elif name == "codec":
            parts.append(f"opus={d:.0f}kbps")
        elif name == "gain":
            parts.append(f"level={d:.1f}dBFS")
        elif name == "clip":
            parts.append(f"clip={d:.2f}x")
        else:
            parts.append(str(name))
    return ";".join(parts) if parts else "clean"


class Augmenter:
    """Picklable callable for DataLoader workers: per-item seeds make results reproducible
    whatever the worker count: rng = default_rng([seed, epoch, index])."""

    def __init__(self, asset_dir, config: Optional[AugmentConfig] = None, seed: int = 0):
        self.asset_dir, self.config, self.seed = str(asset_dir), config or AugmentConfig(), seed
        self._assets = None

    @property
    def assets(self) -> Assets:
        if self._assets is None:
            self._assets = Assets.load(self.asset_dir)
        return self._assets

    def __getstate__(self):
        d = dict(self.__dict__)
        d["_assets"] = None
        return d

    def __call__(self, wav, index: int, epoch: int = 0, info: Optional[list] = None):
        rng = np.random.default_rng([self.seed, epoch, index])
        return augment(wav, rng, self.assets, self.config, info)
