"""Teacher targets (stage 08): per-frame top-k log-probabilities in fp16, with the rest of the
probability mass as one remainder, plus the teacher's 1-best transcript, for every cached
feature copy. Stored per (list, copy) beside stage 04's features, in the same row order."""
import math
from pathlib import Path

import torch

from .ragged import gather_padded
from .text import NUM_CLASSES


def targets_path(data_dir, list_name, copy):
    return Path(data_dir) / "targets" / f"{list_name}.c{copy}.pt"


def compress(logp, k):
    """logp [T, C] -> (top-k log-probs fp16 [T, k], their class ids uint8 [T, k])."""
    values, ids = logp.topk(k, dim=-1)
    return values.half(), ids.to(torch.uint8)


def expand(values, ids, classes=NUM_CLASSES):
    """Inverse of compress: full log-probs [..., C], the remainder mass shared evenly by the classes outside the top k."""
    values = values.float()
    k = values.shape[-1]
    rest = (1.0 - values.exp().sum(-1, keepdim=True)).clamp(min=1e-8)
    fill = torch.log(rest / max(classes - k, 1))
    out = fill.expand(*values.shape[:-1], classes).clone()
    out.scatter_(-1, ids.long(), values)
    return out


class TargetBank:
    """Targets for the same (list, copy) parts as a FeatBank, row for row."""

    def __init__(self, parts):
        self.hyps, self.confidence = [], []
        offs, frames, values, ids = [], [], [], []
        base = 0
        for part in parts:
            self.hyps += part["hyps"]
            self.confidence += part["confidence"]
            offs.append(part["offsets"] + base)
            frames.append(part["frames"])
            values.append(part["values"])
            ids.append(part["ids_topk"])
            base += part["values"].shape[0]
        self.offsets, self.frames = torch.cat(offs), torch.cat(frames)
        self.values, self.ids = torch.cat(values), torch.cat(ids)

    @classmethod
    def for_features(cls, data_dir, featbank):
        """The targets of every part of a FeatBank; refuses targets that do not line up with those features."""
        parts, ids = [], []
        for name, c in featbank.parts:
            path = targets_path(data_dir, name, c)
            if not path.exists():
                raise FileNotFoundError(f"{path}: teacher targets missing; run stage 08")
            part = torch.load(path)
            parts.append(part)
            ids += part["utt_ids"]
        if ids != list(featbank.ids):
            raise ValueError(f"teacher targets in {Path(data_dir) / 'targets'} do not match the cached features row for row; rerun stage 08")
        return cls(parts)

    def batch(self, idx):
        """Full teacher log-probs [B, Tmax, C] (padding rows uniform) and the 1-best transcripts."""
        values, valid, _ = gather_padded(self.values, self.offsets, self.frames, idx)
        ids, _, _ = gather_padded(self.ids, self.offsets, self.frames, idx)
        logp = expand(values, ids)
        logp = torch.where(valid.unsqueeze(-1), logp, torch.full_like(logp, -math.log(NUM_CLASSES)))
        return logp, [self.hyps[i] for i in idx]
