"""Augmentation assets for training: noise clips, babble from training speakers, and room responses."""
import csv
import random

import numpy as np
import torch

from . import audio, stage
from .batch_augment import CONFIGS, BatchAugmenter
from .wavbank import load_named

NOISE = stage.SHARED / "data" / "noise"
RIR = stage.SHARED / "data" / "rir"


def noise_clips(log):
    clips = []
    with open(NOISE / "noise.tsv", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            clips.append(torch.from_numpy(audio.load(NOISE / row["file"])))
    log.info("noise: %d clips, %.0f s", len(clips), sum(len(c) for c in clips) / 16000)
    return clips


def babble(bank, speakers_prefix, count, seed, talkers=(3, 7), seconds=20.0):
    """Mixtures of 3-7 utterances of TRAINING speakers (never dev speakers), each `seconds` long."""
    rng = random.Random(seed)
    pool = [i for i, s in enumerate(bank.speakers) if s.startswith(speakers_prefix)]
    out, n = [], int(16000 * seconds)
    for _ in range(count if pool else 0):
        mix = torch.zeros(n)
        for i in rng.sample(pool, rng.randint(*talkers)):
            o, length = int(bank.offsets[i]), int(bank.lengths[i])
            x = bank.samples[o:o + length].float().cpu() / 32768.0
            x = x / (x.pow(2).mean().sqrt() + 1e-6)
            reps = n // max(length, 1) + 1
            start = rng.randrange(length)
            mix += x.repeat(reps + 1)[start:start + n]
        out.append(mix / mix.abs().max().clamp(min=1e-6))
    return out


def room_responses(log, seed):
    """The measured seminar room plus the simulated image-source bank (stage 02) when it exists."""
    rirs = []
    measured_path = next((p for p in (RIR / "seminar_room_clap_cc0.flac", RIR / "seminar_room_clap_cc0.wav") if p.exists()), None)
    if measured_path is not None:
        measured = audio.load(measured_path)
        rirs.append(measured / (np.abs(measured).max() + 1e-9))
    bank = stage.DATA / "aug" / "rirs.npy"
    if bank.exists():
        sim = np.load(bank)
        rirs += [r for r in sim]
    log.info("room responses: %d (%s)", len(rirs), "with simulated bank" if bank.exists() else "measured only; run stage 02")
    if not rirs:
        return None
    length = min(max(len(r) for r in rirs), 16000)
    out = torch.zeros(len(rirs), length)
    for i, r in enumerate(rirs):
        r = torch.from_numpy(np.asarray(r[:length], dtype=np.float32))
        peak = int(r.abs().argmax())
        r = r[max(peak - 16, 0):]  # keep the direct path at the start so speech is not delayed
        out[i, : len(r)] = r / (r.pow(2).sum().sqrt() + 1e-9)
    return out


def augmenter_for(train_banks, device, log, seed=0, strength="full"):
    noises = noise_clips(log)
    for name in ("train_real",):
        if name in train_banks:
            b = babble(train_banks[name], "speechocean762", 24, seed)
            log.info("babble: %d mixtures from %s training speakers", len(b), name)
            noises += b
    return BatchAugmenter(noises, room_responses(log, seed), CONFIGS[strength]).to(device)


def load_lists(names, jobs, log):
    """Banks for the named recipe lists; a missing list is logged and skipped, a bad row refused."""
    banks = {}
    for name in names:
        try:
            bank = load_named(name, stage.DATA, jobs, require_text=name != "untranscribed")
        except ValueError as exc:
            raise stage.Refusal(str(exc))
        if bank is None:
            log.info("list %s not present; skipped", name)
            continue
        banks[name] = bank
        log.info("%s: %d utterances, %.2f h", name, len(bank), bank.hours())
    return banks
