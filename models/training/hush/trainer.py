"""Waveform-level CTC/KD training shared by the teacher and student stages.

Audio lives in memory (WavBank), batches are augmented and featurised on the fly
on the training device, and everything is checkpointed for resumption. A wall-clock
budget sizes the learning-rate schedule, so a short session still ends annealed.
"""
import contextlib
import json
import math
import random
import time
from pathlib import Path

import torch

from .features import LogMel
from .nn import pad_lookahead
from .text import BLANK, encode, greedy, wer_counts


def length_batches(lengths, max_samples, rng, max_items=256):
    order = sorted(range(len(lengths)), key=lambda i: int(lengths[i]))
    out, cur, longest = [], [], 0
    for i in order:
        n = int(lengths[i])
        if cur and (max(longest, n) * (len(cur) + 1) > max_samples or len(cur) >= max_items):
            out.append(cur)
            cur, longest = [], 0
        cur.append(i)
        longest = max(longest, n)
    if cur:
        out.append(cur)
    rng.shuffle(out)
    return out


def spec_augment(feats, gen, freq_masks=2, freq_width=15, time_masks=4, time_width=20):
    """Batch SpecAugment in place with zero (after CMVN, the mean) filled via the per-utterance mean."""
    b, t, f = feats.shape
    dev = feats.device
    fill = feats.mean(dim=(1, 2), keepdim=True)
    ar_f = torch.arange(f, device=dev).view(1, 1, f)
    ar_t = torch.arange(t, device=dev).view(1, t, 1)
    mask = torch.zeros(b, t, f, dtype=torch.bool, device=dev)
    for _ in range(freq_masks):
        w = torch.randint(0, freq_width + 1, (b, 1, 1), generator=gen, device=dev)
        s = (torch.rand(b, 1, 1, generator=gen, device=dev) * (f - w)).long()
        mask |= (ar_f >= s) & (ar_f < s + w)
    for _ in range(time_masks):
        w = torch.randint(0, time_width + 1, (b, 1, 1), generator=gen, device=dev)
        w = torch.minimum(w, torch.tensor(max(t // 10, 1), device=dev))
        s = (torch.rand(b, 1, 1, generator=gen, device=dev) * (t - w).clamp(min=1)).long()
        mask |= (ar_t >= s) & (ar_t < s + w)
    return torch.where(mask, fill.expand_as(feats), feats)


class Featurizer:
    def __init__(self, device):
        self.logmel = LogMel().to(device)

    def __call__(self, wav, lengths):
        feats = self.logmel(wav)
        frames = torch.clamp((lengths - 400) // 160 + 1, min=1)
        return feats, frames


def cmvn_stats(bank, featurize, device, n=400, seed=0):
    rng = random.Random(seed)
    idx = rng.sample(range(len(bank)), min(n, len(bank)))
    feats = []
    for chunk in range(0, len(idx), 32):
        wav, lengths = bank.batch(idx[chunk:chunk + 32], device)
        f, frames = featurize(wav, lengths)
        feats += [f[i, : frames[i]] for i in range(len(frames))]
    allf = torch.cat(feats).float()
    return allf.mean(0).cpu(), allf.std(0).cpu()


def bank_logprobs(model, bank, featurize, device, max_samples=16000 * 400):
    """Log-probs [T, C] (CPU) of every row of a bank, in bank order."""
    model.eval()
    out = [None] * len(bank)
    with torch.no_grad():
        for idx in length_batches(bank.lengths, max_samples, random.Random(0)):
            wav, lengths = bank.batch(idx, device)
            feats, frames = featurize(wav, lengths)
            logp, out_len = run_model(model, feats, frames)
            logp = logp.float().cpu()
            for row, i in enumerate(idx):
                out[i] = logp[row, : int(out_len[row])]
    model.train()
    return out


def decode_bank(model, bank, featurize, device, max_samples=16000 * 400):
    """Greedy hypotheses for every row of a bank."""
    return [greedy(lp.argmax(-1).tolist()) for lp in bank_logprobs(model, bank, featurize, device, max_samples)]


def run_model(model, feats, frames):
    """Log-probs [B, T/2, C] aligned to output frames, and their lengths."""
    feats = pad_lookahead(feats, frames, model.lookahead)
    if model.kind == "conformer":
        logp = model(feats, frames)
    else:
        logp = model(feats)[:, model.lookahead // 2:]
    return logp, (frames + 1) // 2


def dev_wer(model, banks, featurize, device):
    out = {}
    for name, bank in banks.items():
        hyps = decode_bank(model, bank, featurize, device)
        e = w = 0
        for ref, hyp in zip(bank.texts, hyps):
            de, dw = wer_counts(ref, hyp)
            e, w = e + de, w + dw
        out[name] = round(100.0 * e / max(w, 1), 2)
    return out


def pooled_wer(wers, banks):
    """One score over several dev sets, each weighted by its reference words.

    A plain mean of per-set WERs lets a 71-word set swing the choice of checkpoint as much as a
    1,400-word one: GPU run 3 kept an epoch for a 5-point jump on LibriVox's five utterances while
    arctic_native was 3 points worse. Pooling counts every word once.
    """
    words = {name: sum(len(t.split()) for t in banks[name].texts) for name in wers}
    total = sum(words.values())
    return sum(wers[n] * words[n] for n in wers) / total if total else None


class Budget:
    """Cosine learning-rate schedule over the wall-clock budget, or max_steps if that ends first.

    Progress is measured in elapsed training time, not in a step count fixed at the start: on a
    shared 2-core machine the step time can triple when other work runs, and a step-sized
    schedule then hits the wall-clock stop before it has annealed. Elapsed time is checkpointed,
    so a resumed run continues the same curve. min_steps keeps a slow run from ending before
    CTC has left its blank plateau.
    """

    def __init__(self, seconds, max_steps, warmup=0.08, min_steps=0):
        self.seconds, self.max_steps, self.warmup, self.min_steps = seconds, max_steps, warmup, min_steps

    def progress(self, step, elapsed):
        p = max(elapsed / max(self.seconds, 1e-9), step / max(self.max_steps, 1))
        if self.min_steps:
            p = min(p, step / self.min_steps)
        return p

    def lr(self, step, elapsed, peak):
        p = self.progress(step, elapsed)
        return peak * min(1.0, p / self.warmup) * 0.5 * (1 + math.cos(math.pi * min(p, 1.0)))

    def over(self, step, elapsed):
        return self.progress(step, elapsed) >= 1.0


def targets_of(texts, idx):
    ids = [encode(texts[i]) for i in idx]
    return torch.tensor([c for t in ids for c in t], dtype=torch.long), torch.tensor([len(t) for t in ids])


def save_checkpoint(path, **state):
    tmp = Path(str(path) + ".tmp")
    torch.save(state, tmp)
    tmp.replace(path)


def write_json(path, obj):
    Path(path).write_text(json.dumps(obj, indent=2))


CTC = torch.nn.CTCLoss(blank=BLANK, zero_infinity=True, reduction="sum")


def autocast(device):
    """bf16 autocast on a GPU; nothing on CPU (torch 1.13 rejects a disabled CUDA autocast without CUDA)."""
    if device.type == "cuda":
        return torch.autocast(device_type="cuda", dtype=torch.bfloat16)
    return contextlib.nullcontext()


def pick_device(choice, jobs):
    """'auto' takes the GPU when there is one; on CPU, torch gets `jobs` threads."""
    if choice == "auto":
        choice = "cuda" if torch.cuda.is_available() else "cpu"
    device = torch.device(choice)
    if device.type == "cpu":
        torch.set_num_threads(max(1, jobs))
    return device


def training_arguments(parser, train, budget_min, max_epochs, lr, exp, seed):
    """The options every training stage shares, with that stage's defaults."""
    parser.add_argument("--train", nargs="+", default=train)
    parser.add_argument("--dev", nargs="+", default=["dev_arctic_native", "dev_speechocean762", "dev_librivox", "dev_synth_slt"])
    parser.add_argument("--device", default="auto")
    parser.add_argument("--budget-min", type=float, default=budget_min, help="wall-clock training budget (sizes the LR schedule)")
    parser.add_argument("--max-epochs", type=int, default=max_epochs)
    parser.add_argument("--min-steps", type=int, default=0, help="never size the schedule below this many steps (CTC needs thousands to leave the blank plateau)")
    parser.add_argument("--real-repeats", type=int, default=2, help="copies of the real speech per epoch, so synthetic hours do not drown it")
    parser.add_argument("--batch-seconds", type=float, default=0, help="audio per batch (default 400 s on GPU, 60 s on CPU)")
    parser.add_argument("--features", choices=["auto", "cached", "online"], default="auto",
                        help="cached: stage 04's clean + augmented feature copies (the CPU default); online: augment every batch afresh (GPU)")
    parser.add_argument("--copies", type=int, default=3, help="cached copies per list to train on (copy 0 is clean)")
    parser.add_argument("--synth-copies", type=int, nargs="+", default=None,
                        help="cached copies of the synthetic lists to train on (default: the same as --copies); e.g. 1 for the augmented copy alone")
    parser.add_argument("--augment", choices=["full", "light"], default="full", help="online augmentation strength (hush/batch_augment.py)")
    parser.add_argument("--lr", type=float, default=lr)
    parser.add_argument("--exp", default=exp)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=seed)
    return parser
