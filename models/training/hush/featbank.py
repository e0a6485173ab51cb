"""Cached log-mel features (stage 04): one fp16 tensor per (list, copy) with frame offsets.

Copy 0 of a list is the clean audio; copy k > 0 is the same audio through the meeting-room
augmenter with a seed fixed by (list, k), so every cached frame can be traced back to its
audio and augmentation seed (data/feats/manifest.tsv). Training on CPU reads batches from
here instead of augmenting and featurising every epoch again.
"""
from pathlib import Path

import torch

from .ragged import gather_padded


def copy_seed(list_name, copy):
    """The augmentation seed of a cached copy: stable across runs and machines (no Python hash())."""
    return 0 if copy == 0 else sum(ord(c) * 31 ** i for i, c in enumerate(list_name)) % 100_000 * 100 + copy


def feats_path(data_dir, list_name, copy):
    return Path(data_dir) / "feats" / f"{list_name}.c{copy}.pt"


class FeatBank:
    """Utterances of one or more cached copies; `lengths` are in samples so batching matches WavBank's."""

    def __init__(self, parts):
        self.ids, self.texts, self.speakers = [], [], []
        self.parts = [(part["list"], part["copy"]) for part in parts]
        self.part_frames = [int(part["frames"].sum()) for part in parts]
        offs, frames, feats = [], [], []
        base = 0
        for part in parts:
            self.ids += part["ids"]
            self.texts += part["texts"]
            self.speakers += part["speakers"]
            offs.append(part["offsets"] + base)
            frames.append(part["frames"])
            feats.append(part["feats"])
            base += part["feats"].shape[0]
        self.offsets = torch.cat(offs) if offs else torch.zeros(0, dtype=torch.long)
        self.frames = torch.cat(frames) if frames else torch.zeros(0, dtype=torch.long)
        self.feats = torch.cat(feats) if feats else torch.zeros(0, 80, dtype=torch.float16)
        self.lengths = self.frames * 160 + 240

    @classmethod
    def load(cls, data_dir, list_names, copies):
        """`copies`: how many cached copies of every list to load (0 … copies-1), or a function from a
        list's name to the copy numbers to load for it. Copies stage 04 has not made are left out."""
        copies_of = copies if callable(copies) else (lambda _name: range(copies))
        parts = []
        for name in list_names:
            for c in copies_of(name):
                path = feats_path(data_dir, name, c)
                if path.exists():
                    parts.append(torch.load(path))
        return cls(parts) if parts else None

    def __len__(self):
        return len(self.ids)

    @property
    def copies(self):
        """The cached copies this bank holds (0: clean, 1…: augmented), sorted."""
        return sorted({c for _, c in self.parts})

    def hours(self):
        return float(self.frames.sum()) / 100 / 3600

    def batch(self, idx):
        """Float features [B, Tmax, 80] (zero padded) and frame counts, for bank indices idx."""
        feats, valid, frames = gather_padded(self.feats, self.offsets, self.frames, idx)
        return feats.float() * valid.unsqueeze(-1), frames
