"""A small CTC training loop shared by the fixture and by teacher/student stages that train on ground truth."""
import math
import random
import time

import torch

from .nn import pad_lookahead
from .text import BLANK, greedy, wer_counts
from .trainer import length_batches


def collate(items, lookahead):
    """items: list of (feats [T, F] tensor, target ids list). Returns padded batch tensors."""
    lengths = torch.tensor([f.shape[0] for f, _ in items])
    feats = torch.nn.utils.rnn.pad_sequence([f for f, _ in items], batch_first=True)
    feats = pad_lookahead(feats, lengths, lookahead)
    targets = torch.tensor([i for _, t in items for i in t], dtype=torch.long)
    target_lengths = torch.tensor([len(t) for _, t in items])
    return feats, lengths, targets, target_lengths


def spec_augment(feats, rng, freq_masks=2, freq_width=12, time_masks=2, time_width=8, gain_db=6.0):
    """SpecAugment masks plus a random level change (a constant shift of log-mel), per utterance."""
    feats = feats.clone()
    b, t, f = feats.shape
    for i in range(b):
        feats[i] += rng.uniform(-gain_db, gain_db) * 0.2303  # dB -> natural-log power units
        for _ in range(freq_masks):
            w = rng.randint(0, freq_width)
            s = rng.randint(0, f - w)
            feats[i, :, s:s + w] = feats[i].mean()
        for _ in range(time_masks):
            w = rng.randint(0, min(time_width, max(t // 10, 1)))
            s = rng.randint(0, max(t - w, 0))
            feats[i, s:s + w, :] = feats[i].mean()
    return feats


def output_lengths(lengths):
    return (lengths + 1) // 2


def batches(items, max_frames, rng):
    """Length-bucketed batches of at most max_frames padded frames, shuffled (trainer.length_batches over frames)."""
    return length_batches([f.shape[0] for f, _ in items], max_frames, rng, max_items=10**9)


def forward_logp(model, feats, lookahead):
    """Full-sequence log-probs with the look-ahead delay removed: [B, T/2, C]."""
    logp = model(feats)
    return logp[:, lookahead // 2:]


def evaluate(model, items, texts, lookahead, max_frames=20000):
    model.eval()
    errors = words = 0
    with torch.no_grad():
        for idx in batches(items, max_frames, random.Random(0)):
            feats, lengths, _, _ = collate([items[i] for i in idx], lookahead)
            logp = forward_logp(model, feats, lookahead)
            for row, i in enumerate(idx):
                n = int(output_lengths(lengths[row]))
                hyp = greedy(logp[row, :n].argmax(-1).tolist())
                e, w = wer_counts(texts[i], hyp)
                errors, words = errors + e, words + w
    model.train()
    return 100.0 * errors / max(words, 1)


def train_epochs(model, train, dev, dev_texts, epochs, log, lr=2e-3, max_frames=12000, seed=0, ckpt=None):
    """Plain CTC training with a resumable checkpoint per epoch; returns the best dev WER."""
    rng = random.Random(seed)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-3)
    ctc = torch.nn.CTCLoss(blank=BLANK, zero_infinity=True)
    start, best = 0, math.inf
    if ckpt is not None and ckpt.exists():
        state = torch.load(ckpt)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["opt"])
        start, best = state["epoch"] + 1, state["best"]
        log.info("resumed from %s at epoch %d", ckpt, start)
    total_steps = epochs * len(batches(train, max_frames, random.Random(0)))
    sched_step = start * (total_steps // max(epochs, 1))
    for epoch in range(start, epochs):
        t0, loss_sum, n = time.time(), 0.0, 0
        for idx in batches(train, max_frames, rng):
            for g in opt.param_groups:  # one-cycle: linear warm-up then cosine decay
                frac = sched_step / max(total_steps, 1)
                g["lr"] = lr * min(1.0, frac / 0.1) * (0.5 * (1 + math.cos(math.pi * min(frac, 1.0))))
            sched_step += 1
            feats, lengths, targets, tlens = collate([train[i] for i in idx], model.lookahead)
            feats = spec_augment(feats, rng)
            logp = forward_logp(model, feats, model.lookahead)
            loss = ctc(logp.transpose(0, 1), targets, output_lengths(lengths), tlens)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            loss_sum, n = loss_sum + loss.item(), n + 1
        wer = evaluate(model, dev, dev_texts, model.lookahead)
        best = min(best, wer)
        log.info("epoch %d loss %.3f dev greedy WER %.2f%% (%.1fs)", epoch, loss_sum / max(n, 1), wer, time.time() - t0)
        if ckpt is not None:
            torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "epoch": epoch, "best": best}, ckpt)
    return best
