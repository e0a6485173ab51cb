"""Python twin of electron/core/features/logmel.ts (models/FEATURES.md).

Both read models/features.json. test/unit/features/python-twin-parity.test.ts holds
the two within 1e-4 on real speech. Batched torch so training can run it on a GPU.
"""
import json
import math
from pathlib import Path

import torch

SPEC = json.loads((Path(__file__).resolve().parents[2] / "features.json").read_text())


def mel_bank(spec=SPEC, dtype=torch.float64):
    """[bins, numMel] triangular HTK-mel filters, as the spec defines them."""
    def mel(f):
        return 2595.0 * math.log10(1.0 + f / 700.0)

    def hz(m):
        return 700.0 * (10.0 ** (m / 2595.0) - 1.0)

    lo, hi, n = mel(spec["melLowHz"]), mel(spec["melHighHz"]), spec["numMel"]
    points = [hz(lo + (hi - lo) * i / (n + 1)) for i in range(n + 2)]
    bins = spec["fftSize"] // 2 + 1
    f = torch.arange(bins, dtype=torch.float64) * spec["sampleRate"] / spec["fftSize"]
    bank = torch.zeros(bins, n, dtype=torch.float64)
    for m in range(n):
        l, c, r = points[m], points[m + 1], points[m + 2]
        bank[:, m] = torch.clamp(torch.minimum((f - l) / (c - l), (r - f) / (r - c)), min=0.0)
    return bank.to(dtype)


class LogMel(torch.nn.Module):
    """waveform [B, N] in [-1, 1] -> log-mel [B, T, numMel], T = floor((N - 400) / 160) + 1."""

    def __init__(self, spec=SPEC, dtype=torch.float32):
        super().__init__()
        self.spec = spec
        n = spec["frameLength"]
        window = 0.5 - 0.5 * torch.cos(2 * math.pi * torch.arange(n, dtype=torch.float64) / n)
        self.register_buffer("window", window.to(dtype), persistent=False)
        self.register_buffer("bank", mel_bank(spec, dtype), persistent=False)

    @torch.no_grad()
    def forward(self, wav):
        spec = self.spec
        if wav.shape[-1] < spec["frameLength"]:
            return wav.new_zeros(wav.shape[0], 0, spec["numMel"])
        frames = wav.to(self.window.dtype).unfold(-1, spec["frameLength"], spec["frameShift"])
        spectrum = torch.fft.rfft(frames * self.window, n=spec["fftSize"])
        power = spectrum.real ** 2 + spectrum.imag ** 2
        return torch.log(torch.clamp(power @ self.bank, min=spec["logFloor"]))


def logmel_numpy(samples):
    """Float64 extraction of one signal, for the parity test and offline caches."""
    wav = torch.as_tensor(samples, dtype=torch.float64).reshape(1, -1)
    return LogMel(dtype=torch.float64)(wav)[0].numpy()


def num_frames(num_samples, spec=SPEC):
    if num_samples < spec["frameLength"]:
        return 0
    return (num_samples - spec["frameLength"]) // spec["frameShift"] + 1
