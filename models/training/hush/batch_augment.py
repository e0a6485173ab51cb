"""Meeting-room augmentation of a whole batch of waveforms in torch, on the GPU when there is one.

Deterministic by seed: every random draw comes from a torch.Generator seeded per step.
Each utterance independently gets, with the configured probabilities: speed
perturbation, a simulated or measured room (RIR), a quieter overlapping talker,
additive noise (clips and babble) at a random SNR, telephone band, level change and
clipping. The low-bitrate codec is applied offline (see augment.py), since Opus has
no torch implementation.
"""
from dataclasses import dataclass

import torch
import torch.nn.functional as F


@dataclass
class AugmentConfig:
    p_speed: float = 0.4
    p_rir: float = 0.5
    p_talker: float = 0.2
    p_noise: float = 0.6
    p_phone: float = 0.1
    p_clip: float = 0.05
    snr_db: tuple = (0.0, 25.0)
    talker_db: tuple = (-20.0, -10.0)
    gain_db: tuple = (-20.0, 10.0)


# For a model that still underfits clean speech (a short GPU budget): half the rooms and noise, milder SNRs.
LIGHT = AugmentConfig(p_speed=0.4, p_rir=0.25, p_talker=0.1, p_noise=0.3, p_phone=0.05, p_clip=0.02, snr_db=(5.0, 30.0))
CONFIGS = {"full": AugmentConfig(), "light": LIGHT}


def _uniform(lo, hi, n, gen, device):
    return lo + (hi - lo) * torch.rand(n, generator=gen, device=device)


def _fft_conv(x, h):
    n = x.shape[-1] + h.shape[-1] - 1
    size = 1 << (n - 1).bit_length()
    y = torch.fft.irfft(torch.fft.rfft(x, size) * torch.fft.rfft(h, size), size)
    return y[..., : x.shape[-1]]


def _lowpass_mask(n_fft_bins, rate, lo_hz, hi_hz, device):
    f = torch.linspace(0, rate / 2, n_fft_bins, device=device)
    return ((f >= lo_hz) & (f <= hi_hz)).float()


class BatchAugmenter:
    def __init__(self, noises, rirs, config=AugmentConfig(), rate=16000):
        """noises: list of 1-D float tensors (clips and babble); rirs: [R, L] float tensor, direct path first."""
        # One cyclic noise tape, each clip RMS-normalised, so a batch draws windows with one gather.
        self.noise_tape = torch.cat([n / (n.pow(2).mean().sqrt() + 1e-6) for n in noises]) if noises else None
        self.rirs = rirs
        self.config = config
        self.rate = rate

    def to(self, device):
        self.noise_tape = self.noise_tape.to(device) if self.noise_tape is not None else None
        self.rirs = self.rirs.to(device) if self.rirs is not None else None
        return self

    @torch.no_grad()
    def __call__(self, wav, lengths, seed):
        """wav [B, N] float, lengths [B] -> (wav', lengths'); padding stays zero."""
        c, dev = self.config, wav.device
        gen = torch.Generator(device=dev)
        gen.manual_seed(int(seed))
        b = wav.shape[0]
        roll = lambda p: torch.rand(b, generator=gen, device=dev) < p  # noqa: E731
        wav, lengths = self._speed(wav, lengths, roll(c.p_speed), gen)
        n = wav.shape[1]
        valid = (torch.arange(n, device=dev).unsqueeze(0) < lengths.unsqueeze(1)).float()
        clean_power = (wav ** 2).sum(1) / lengths.clamp(min=1)
        if self.rirs is not None and len(self.rirs):
            use = roll(c.p_rir)
            if use.any():
                pick = torch.randint(len(self.rirs), (int(use.sum()),), generator=gen, device=dev)
                wav[use] = _fft_conv(wav[use], self.rirs[pick])
        talker = roll(c.p_talker)
        if talker.any() and b > 1:
            other = torch.roll(wav, 1, 0) * valid
            shift = int(torch.randint(0, max(n // 2, 1), (1,), generator=gen, device=dev))
            other = torch.roll(other, shift, 1)
            other_power = (other ** 2).sum(1) / lengths.clamp(min=1) + 1e-9
            db = _uniform(*c.talker_db, b, gen, dev)
            scale = torch.sqrt(clean_power * 10 ** (db / 10) / other_power)
            wav = wav + (talker.float() * scale).unsqueeze(1) * other
        noisy = roll(c.p_noise)
        if noisy.any() and self.noise_tape is not None:
            tape = self.noise_tape
            starts = torch.randint(len(tape), (b, 1), generator=gen, device=dev)
            noise = tape[(starts + torch.arange(n, device=dev).unsqueeze(0)) % len(tape)]
            noise_power = (noise ** 2 * valid).sum(1) / lengths.clamp(min=1) + 1e-9
            snr = _uniform(*c.snr_db, b, gen, dev)
            scale = torch.sqrt(clean_power / (noise_power * 10 ** (snr / 10)))
            wav = wav + (noisy.float() * scale).unsqueeze(1) * noise
        phone = roll(c.p_phone)
        if phone.any():
            spec = torch.fft.rfft(wav[phone], dim=1)
            spec = spec * _lowpass_mask(spec.shape[1], self.rate, 300.0, 3400.0, dev)
            wav[phone] = torch.fft.irfft(spec, n, dim=1)
        gain = 10 ** (_uniform(*c.gain_db, b, gen, dev) / 20)
        peak = wav.abs().amax(1).clamp(min=1e-4)
        # Level change, kept under full scale except where clipping is wanted.
        gain = torch.where(roll(c.p_clip), gain * 2.0 / peak, torch.minimum(gain, 0.99 / peak))
        wav = torch.clamp(wav * gain.unsqueeze(1), -1.0, 1.0) * valid
        return wav, lengths

    def _speed(self, wav, lengths, use, gen):
        """Speed perturbation by 0.9 or 1.1 (tempo and pitch, as Kaldi's sox speed), batched per factor."""
        if not use.any():
            return wav, lengths
        dev = wav.device
        fast = torch.rand(wav.shape[0], generator=gen, device=dev) < 0.5
        groups = [(~use, 1.0), (use & fast, 1.1), (use & ~fast, 0.9)]
        new_lengths = lengths.clone()
        for sel, factor in groups[1:]:
            new_lengths[sel] = torch.floor(lengths[sel].float() / factor).long()
        out = torch.zeros(wav.shape[0], int(new_lengths.max()), device=dev)
        for sel, factor in groups:
            if not sel.any():
                continue
            x = wav[sel]
            if factor > 1.0:  # low-pass at the new Nyquist before squeezing, so nothing aliases
                spec = torch.fft.rfft(x, dim=1)
                spec[:, int(spec.shape[1] / factor):] = 0
                x = torch.fft.irfft(spec, x.shape[1], dim=1)
            size = int(round(x.shape[1] / factor))
            y = x if factor == 1.0 else F.interpolate(x.unsqueeze(1), size=size, mode="linear", align_corners=False).squeeze(1)
            m = min(out.shape[1], y.shape[1])
            out[sel, :m] = y[:, :m]
        valid = torch.arange(out.shape[1], device=dev).unsqueeze(0) < new_lengths.unsqueeze(1)
        return out * valid, new_lengths
