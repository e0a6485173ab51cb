#!/usr/bin/env python3
"""Stage 05: train the teacher (non-streaming Conformer CTC) on real + synthetic speech with on-the-fly augmentation.

    /usr/bin/python3 models/training/stages/05_train_teacher.py [--budget-min 600] [--device auto]

Resumable: exp/teacher/last.pt is written every epoch and every few minutes; rerunning
continues from it. Real speech is repeated --real-repeats times per epoch so the
synthetic hours do not drown it. Logs: logs/05_train_teacher.log, exp/teacher/history.json.
"""
import argparse
import random
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from hush import stage  # noqa: E402
from hush.assets import augmenter_for, load_lists  # noqa: E402
from hush.models import ConformerCtc, count_parameters  # noqa: E402
from hush.trainer import (CTC, Budget, autocast, pick_device, training_arguments, Featurizer, cmvn_stats, dev_wer, length_batches, run_model,  # noqa: E402
                          save_checkpoint, spec_augment, targets_of, write_json)
from hush.wavbank import concat  # noqa: E402

LISTS = stage.DATA / "lists"

def parse():
    p = training_arguments(argparse.ArgumentParser(), ["train_real", "synth_train", "self_train"], 600.0, 60, 1.5e-3,
                           str(stage.EXP / "teacher"), 1)
    p.add_argument("--layers", type=int, default=8)
    p.add_argument("--d", type=int, default=256)
    p.add_argument("--ff", type=int, default=896)
    return p.parse_args()


def main():
    args = parse()
    log = stage.setup("05_train_teacher")
    device = pick_device(args.device, args.jobs)
    torch.manual_seed(args.seed)
    exp = Path(args.exp)
    exp.mkdir(parents=True, exist_ok=True)
    train_banks = load_lists(args.train, args.jobs, log)
    dev_banks = load_lists(args.dev, args.jobs, log)
    if not train_banks:
        raise stage.Refusal(f"no training lists found in {LISTS}; run stages 00 and 01 first")
    sources = {name: bank.hours() for name, bank in train_banks.items()}
    real = [train_banks[n] for n in train_banks if n != "synth_train"]
    bank = concat(real * args.real_repeats + ([train_banks["synth_train"]] if "synth_train" in train_banks else []))
    log.info("training pool: %d utterances, %.2f h per epoch (real x%d)", len(bank), bank.hours(), args.real_repeats)
    bank.to(device)
    for b in dev_banks.values():
        b.to(device)
    featurize = Featurizer(device)
    augment = augmenter_for(train_banks, device, log, seed=args.seed)

    model = ConformerCtc(d=args.d, layers=args.layers, ff=args.ff).to(device)
    log.info("teacher: %d parameters on %s", count_parameters(model), device)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-2, betas=(0.9, 0.98))
    batch_samples = int(16000 * (args.batch_seconds or (400 if device.type == "cuda" else 60)))
    steps_per_epoch = len(length_batches(bank.lengths, batch_samples, random.Random(0)))
    budget = Budget(args.budget_min * 60, steps_per_epoch * args.max_epochs)
    state = {"epoch": 0, "step": 0, "history": [], "best": None, "elapsed": 0.0}
    ckpt = exp / "last.pt"
    if ckpt.exists():
        saved = torch.load(ckpt, map_location=device)
        model.load_state_dict(saved["model"])
        opt.load_state_dict(saved["opt"])
        state = saved["state"]
        budget.total = saved["budget_total"]
        log.info("resumed at epoch %d step %d", state["epoch"], state["step"])
    else:
        mean, std = cmvn_stats(bank, featurize, device)
        model.cmvn.set_stats(mean, std)
    t_start, last_save = time.time() - state["elapsed"], time.time()
    while state["epoch"] < args.max_epochs and not budget.over(state["step"]):
        rng = random.Random(args.seed * 1000 + state["epoch"])
        batches = length_batches(bank.lengths, batch_samples, rng)
        t_epoch, loss_sum, frames_sum, seen_s = time.time(), 0.0, 0, 0.0
        for bi, idx in enumerate(batches):
            if budget.over(state["step"]) or (time.time() - t_start > 1.1 * args.budget_min * 60 and state["step"] >= args.min_steps):
                budget.total = min(budget.total, state["step"])  # hard wall-clock stop: a lent GPU must not overrun
                break
            step = state["step"]
            for g in opt.param_groups:
                g["lr"] = budget.lr(step, args.lr)
            wav, lengths = bank.batch(idx, device)
            wav, lengths = augment(wav, lengths, seed=args.seed * 1_000_003 + step)
            feats, frames = featurize(wav, lengths)
            gen = torch.Generator(device=device)
            gen.manual_seed(step)
            feats = spec_augment(feats, gen)
            targets, tlens = targets_of(bank.texts, idx)
            with autocast(device):
                logp, out_len = run_model(model, feats, frames)
            loss = CTC(logp.float().transpose(0, 1), targets.to(device), out_len, tlens.to(device)) / len(idx)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            state["step"] += 1
            loss_sum += loss.item() * len(idx)
            frames_sum += len(idx)
            seen_s += float(lengths.sum()) / 16000
            if budget.observe(state["step"], time.time() - t_start, args.min_steps):
                log.info("calibrated schedule: %d steps in the %.0f min budget (%d per epoch)", budget.total, args.budget_min, len(batches))
            if bi % 50 == 0:
                log.info("epoch %d step %d loss %.3f lr %.2e %.0fs", state["epoch"], state["step"], loss.item(), opt.param_groups[0]["lr"], time.time() - t_start)
            if time.time() - last_save > 180:
                state["elapsed"] = time.time() - t_start
                save_checkpoint(ckpt, model=model.state_dict(), opt=opt.state_dict(), state=state, budget_total=budget.total, config=model.config)
                last_save = time.time()
        wers = dev_wer(model, dev_banks, featurize, device)
        entry = {"epoch": state["epoch"], "step": state["step"], "loss": loss_sum / max(frames_sum, 1), "hours_seen": seen_s / 3600,
                 "dev_greedy_wer": wers, "minutes": (time.time() - t_start) / 60, "epoch_seconds": time.time() - t_epoch}
        state["history"].append(entry)
        log.info("epoch %d done: %s", state["epoch"], entry)
        score = sum(wers.values()) / max(len(wers), 1) if wers else -state["epoch"]
        if state["best"] is None or score < state["best"]:
            state["best"] = score
            torch.save({"model": model.state_dict(), "config": model.config, "epoch": state["epoch"], "dev": wers}, exp / "best.pt")
        state["epoch"] += 1
        state["elapsed"] = time.time() - t_start
        save_checkpoint(ckpt, model=model.state_dict(), opt=opt.state_dict(), state=state, budget_total=budget.total, config=model.config)
        last_save = time.time()
    write_json(exp / "history.json", {"sources_hours": sources, "parameters": count_parameters(model), "device": str(device),
                                      "history": state["history"], "best_mean_dev_wer": state["best"]})
    log.info("teacher training finished after %d epochs, %d steps", state["epoch"], state["step"])


if __name__ == "__main__":
    main()
