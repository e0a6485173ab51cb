#!/usr/bin/env python3
"""Stage 05: train the teacher (non-streaming CTC) on real + synthetic speech, augmented.

    /usr/bin/python3 models/training/stages/05_train_teacher.py [--budget-min 600] [--device auto] [--arch sepconv]

--arch sepconv (default): QuartzNet-style separable convolutions, the architecture these CPUs can
train; --arch conformer: the Conformer, for a lent GPU. On CPU the batches come from stage 04's
feature cache (clean + augmented copies), on a GPU from on-the-fly augmentation (--features).
Resumable: exp/teacher/last.pt is written every epoch and every few minutes; rerunning
continues from it. Real speech is repeated --real-repeats times per epoch so the
synthetic hours do not drown it. Logs: logs/05_train_teacher.log, exp/teacher/history.json.
"""
import argparse
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from hush import stage  # noqa: E402
from hush.assets import load_lists  # noqa: E402
from hush.models import TEACHERS, build_teacher, count_parameters  # noqa: E402
from hush.sources import epoch_batches, training_source  # noqa: E402
from hush.training_record import hardware  # noqa: E402
from hush.trainer import (CTC, Budget, autocast, pick_device, training_arguments, Featurizer, dev_wer, pooled_wer, run_model,  # noqa: E402
                          save_checkpoint, spec_augment, targets_of, write_json)


def parse():
    p = training_arguments(argparse.ArgumentParser(), ["train_real", "synth_train", "self_train"], 600.0, 60, 1.5e-3,
                           str(stage.EXP / "teacher"), 1)
    p.add_argument("--arch", choices=sorted(TEACHERS), default="sepconv")
    p.add_argument("--layers", type=int, default=None, help="default: 16 (sepconv) / 8 (conformer)")
    p.add_argument("--d", type=int, default=None, help="default: 384 (sepconv) / 256 (conformer)")
    p.add_argument("--ff", type=int, default=896, help="Conformer feed-forward width")
    p.add_argument("--kernel", type=int, default=9, help="sepconv depthwise kernel (in block steps: 20 ms, or 40 ms with --stride 2)")
    p.add_argument("--stride", type=int, default=2, choices=[1, 2], help="sepconv: 2 runs the blocks at 40 ms and emits two 20 ms frames per step (half the compute)")
    p.add_argument("--time-masks", type=int, default=4, help="SpecAugment time masks per utterance (fewer while the model still underfits)")
    p.add_argument("--init", default=None, help="start from this checkpoint's weights and architecture: a best.pt, or the committed "
                   "models/teacher/warm-start.pt that carries training across sessions (self-training round 2)")
    return p.parse_args()


def teacher_config(args):
    if args.arch == "sepconv":
        return dict(d=args.d or 384, layers=args.layers or 16, kernel=args.kernel, stride=args.stride)
    return dict(d=args.d or 256, layers=args.layers or 8, ff=args.ff)


def main():
    args = parse()
    log = stage.setup("05_train_teacher")
    device = pick_device(args.device, args.jobs)
    torch.manual_seed(args.seed)
    exp = Path(args.exp)
    exp.mkdir(parents=True, exist_ok=True)
    dev_banks = load_lists(args.dev, args.jobs, log)
    source = training_source(args.features, args.train, args.copies, args.real_repeats, device, args.seed, args.jobs, log, args.augment, args.synth_copies)
    for b in dev_banks.values():
        b.to(device)
    featurize = Featurizer(device)

    init = torch.load(args.init, map_location="cpu") if args.init else None
    model = (build_teacher(init["config"]) if init else TEACHERS[args.arch](**teacher_config(args))).to(device)
    config = {**model.config, "kind": model.kind}
    log.info("teacher: %s %s, %d parameters on %s", args.arch, model.config, count_parameters(model), device)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-2, betas=(0.9, 0.98))
    batch_seconds = args.batch_seconds or (400 if device.type == "cuda" else 60)
    steps_per_epoch = len(epoch_batches(source, batch_seconds, 0, args.seed))
    budget = Budget(args.budget_min * 60, steps_per_epoch * args.max_epochs, min_steps=args.min_steps)
    state = {"epoch": 0, "step": 0, "history": [], "best": None, "elapsed": 0.0}
    ckpt = exp / "last.pt"
    if ckpt.exists():
        saved = torch.load(ckpt, map_location=device)
        model.load_state_dict(saved["model"])
        opt.load_state_dict(saved["opt"])
        state = saved["state"]
        log.info("resumed at epoch %d step %d", state["epoch"], state["step"])
    elif init is not None:
        model.load_state_dict(init["model"])
        log.info("initialised from %s (epoch %s, dev %s)", args.init, init.get("epoch"), init.get("dev"))
    else:
        mean, std = source.feature_stats()
        model.cmvn.set_stats(mean, std)
    t_start, last_save = time.time() - state["elapsed"], time.time()
    while state["epoch"] < args.max_epochs and not budget.over(state["step"], state["elapsed"]):
        batches = epoch_batches(source, batch_seconds, state["epoch"], args.seed)
        t_epoch, loss_sum, frames_sum, seen_s = time.time(), 0.0, 0, 0.0
        for bi, idx in enumerate(batches):
            if budget.over(state["step"], time.time() - t_start):
                break
            step = state["step"]
            for g in opt.param_groups:
                g["lr"] = budget.lr(step, time.time() - t_start, args.lr)
            feats, frames, seconds = source.batch(idx, step)
            gen = torch.Generator(device=device)
            gen.manual_seed(step)
            feats = spec_augment(feats, gen, time_masks=args.time_masks)
            targets, tlens = targets_of(source.texts, idx)
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
            seen_s += seconds
            if bi % 50 == 0:
                log.info("epoch %d step %d loss %.3f lr %.2e %.0fs", state["epoch"], state["step"], loss.item(), opt.param_groups[0]["lr"], time.time() - t_start)
            if time.time() - last_save > 180:
                state["elapsed"] = time.time() - t_start
                save_checkpoint(ckpt, model=model.state_dict(), opt=opt.state_dict(), state=state, config=config)
                last_save = time.time()
        wers = dev_wer(model, dev_banks, featurize, device)
        entry = {"epoch": state["epoch"], "step": state["step"], "loss": loss_sum / max(frames_sum, 1), "hours_seen": seen_s / 3600,
                 "dev_greedy_wer": wers, "minutes": (time.time() - t_start) / 60, "epoch_seconds": time.time() - t_epoch}
        state["history"].append(entry)
        log.info("epoch %d done: %s", state["epoch"], entry)
        score = pooled_wer(wers, dev_banks) if wers else -state["epoch"]
        if state["best"] is None or score < state["best"]:
            state["best"] = score
            torch.save({"model": model.state_dict(), "config": config, "epoch": state["epoch"], "dev": wers, "score": score}, exp / "best.pt")
        state["epoch"] += 1
        state["elapsed"] = time.time() - t_start
        save_checkpoint(ckpt, model=model.state_dict(), opt=opt.state_dict(), state=state, config=config)
        last_save = time.time()
    write_json(exp / "history.json", {"init": args.init, "earlier_runs": (init or {}).get("runs", []), "sources_hours": source.sources_hours, "parameters": count_parameters(model), "device": str(device), "hardware": hardware(device), "features": args.features, "augment": args.augment, "copies": args.copies, "synth_copies": args.synth_copies,
                                      "real_repeats": args.real_repeats, "batch_seconds": batch_seconds, "lr": args.lr, "budget_min": args.budget_min,
                                      "history": state["history"], "best_pooled_dev_wer": state["best"]})
    log.info("teacher training finished after %d epochs, %d steps", state["epoch"], state["step"])


if __name__ == "__main__":
    main()
