"""Where training batches come from: cached features (stage 04) on CPU, or audio augmented on the fly on a GPU.

Both give the same thing per batch (features [B, T, 80], frame counts, transcripts, seconds of audio)
so the teacher and student stages have one training loop for either.
"""
import random

import torch

from . import stage
from .assets import augmenter_for, load_lists
from .featbank import FeatBank, feats_path
from .trainer import Featurizer, cmvn_stats, length_batches
from .wavbank import concat


class CachedSource:
    def __init__(self, bank: FeatBank, device, sources_hours):
        self.bank, self.device, self.sources_hours = bank, device, sources_hours
        self.texts, self.lengths = bank.texts, bank.lengths

    def __len__(self):
        return len(self.bank)

    def hours(self):
        return self.bank.hours()

    def batch(self, idx, step):
        feats, frames = self.bank.batch(idx)
        return feats.to(self.device), frames.to(self.device), float(frames.sum()) / 100

    def feature_stats(self, frames=400_000, seed=0):
        """Per-bin mean and std over a random sample of cached frames (the models' global CMVN)."""
        gen = torch.Generator().manual_seed(seed)
        pick = torch.randint(len(self.bank.feats), (min(frames, len(self.bank.feats)),), generator=gen)
        x = self.bank.feats[pick].float()
        return x.mean(0), x.std(0)


class OnlineSource:
    def __init__(self, wavbank, augment, device, seed, sources_hours):
        self.bank, self.augment, self.device, self.seed = wavbank, augment, device, seed
        self.sources_hours = sources_hours
        self.featurize = Featurizer(device)
        self.texts, self.lengths = wavbank.texts, wavbank.lengths

    def __len__(self):
        return len(self.bank)

    def hours(self):
        return self.bank.hours()

    def batch(self, idx, step):
        wav, lengths = self.bank.batch(idx, self.device)
        wav, lengths = self.augment(wav, lengths, seed=self.seed * 1_000_003 + step)
        feats, frames = self.featurize(wav, lengths)
        return feats, frames, float(lengths.sum()) / 16000

    def feature_stats(self):
        return cmvn_stats(self.bank, self.featurize, self.device)


def epoch_batches(source, seconds, epoch, seed):
    return length_batches(source.lengths, int(16000 * seconds), random.Random(seed * 1000 + epoch))


def training_source(mode, names, copies, real_repeats, device, seed, jobs, log, augment="full", synth_copies=None):
    """`mode`: cached | online | auto (cached on CPU when stage 04's cache exists). Real lists are
    repeated `real_repeats` times per epoch so synthetic hours do not drown real speech. The source's
    `sources_hours` gives each list's own hours (one clean copy). `synth_copies` (cached mode) names the
    cached copies of the synthetic lists to load, e.g. [1] for the augmented copy alone, so synthetic
    speech can be a fifth of an epoch whose real speech comes in eight copies; None loads the same
    copies as the real lists."""
    data = stage.DATA
    if mode == "auto":
        mode = "cached" if device.type == "cpu" and feats_path(data, names[0], 0).exists() else "online"
    if mode == "cached":
        present = [n for n in names if feats_path(data, n, 0).exists()]
        for name in names:
            if name not in present:
                log.info("list %s has no cached features (stage 04 / 06 makes them); skipped", name)
        order = []
        for name in present:
            order += [name] * (1 if name.startswith("synth") else real_repeats)
        def copies_of(name):
            return synth_copies if synth_copies is not None and name.startswith("synth") else range(copies)
        bank = FeatBank.load(data, order, copies_of)
        if bank is None:
            raise stage.Refusal(f"no cached features for {names} in {data / 'feats'}; run stage 04 first")
        log.info("cached features: %d utterances, parts %s, %.2f h per epoch", len(bank), bank.parts, bank.hours())
        if len(bank.copies) < copies:
            log.warning("--copies %d asked, stage 04 cached copies %s: training on those (run stage 04 --copies %d for more)", copies, bank.copies, copies)
        # One copy's hours per list: the clean copy, or the lowest copy loaded where the clean one is not.
        clean = {}
        for (name, _copy), frames in sorted(zip(bank.parts, bank.part_frames), key=lambda part: part[0][1]):
            clean.setdefault(name, frames / 100 / 3600)
        return CachedSource(bank, device, clean)
    if synth_copies is not None:
        raise stage.Refusal("--synth-copies picks stage 04's cached copies; online features augment every batch afresh, so drop it or use --features cached")
    banks = load_lists(names, jobs, log)
    if not banks:
        raise stage.Refusal(f"none of the lists {names} is in {data / 'lists'}; run stages 00 and 01 first")
    real = [banks[n] for n in banks if not n.startswith("synth")]
    synth = [banks[n] for n in banks if n.startswith("synth")]
    bank = concat(real * real_repeats + synth).to(device)
    log.info("online augmentation: %d utterances, %.2f h per epoch (real x%d)", len(bank), bank.hours(), real_repeats)
    log.info("online augmentation strength: %s", augment)
    return OnlineSource(bank, augmenter_for(banks, device, log, seed=seed, strength=augment), device, seed, {n: b.hours() for n, b in banks.items()})
