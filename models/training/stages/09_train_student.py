#!/usr/bin/env python3
"""Stage 09: distil the streaming HDNN student (and its ablation rows) from the teacher.

    /usr/bin/python3 models/training/stages/09_train_student.py [--budget-min 120] [--device auto]

All rows of the experiments table train side by side on the SAME augmented batches,
so they differ only in their loss and architecture:
  a  hdnn  CTC on ground truth only
  b  hdnn  + frame-level KD (KL to teacher posteriors at temperature tau), CTC on ground truth
  c  hdnn  sequence-level KD: the teacher's greedy transcripts as CTC targets on all audio
  d  hdnn  b + c combined (the shipped student)
  e  dnn   a plain DNN of equal size, without gates, trained like d
  f  hdnn  d's losses, only the tied gates trained, on top of a finished d (--init exp/.../row_d.pt)
On CPU the batches come from stage 04's feature cache and the teacher's targets from stage 08's
cache of the same copies; on a GPU (--features online) the teacher labels each augmented batch
as it is made.
Resumable: exp/student/last.pt. Logs: logs/09_train_student.log (logs/09_train_student.<exp name>.log for another --exp), exp/student/history.json.
"""
import argparse
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from hush import stage  # noqa: E402
from hush.assets import load_lists  # noqa: E402
from hush.models import HighwayStudent, count_parameters, load_student, load_teacher  # noqa: E402
from hush.sources import CachedSource, epoch_batches, training_source  # noqa: E402
from hush.spike_timing import lag_summary  # noqa: E402
from hush.targets import TargetBank  # noqa: E402
from hush.text import encode, greedy  # noqa: E402
from hush import training_record  # noqa: E402
from hush.training_record import hardware  # noqa: E402
from hush.trainer import (CTC, Budget, autocast, pick_device, training_arguments, Featurizer, dev_wer, run_model, save_checkpoint,  # noqa: E402
                          spec_augment, write_json)

ROWS = {
    "a": dict(gates=True, frame_kd=0.0, gt_ctc=1.0, seq_kd=0.0),
    "b": dict(gates=True, frame_kd=0.5, gt_ctc=0.5, seq_kd=0.0),
    "c": dict(gates=True, frame_kd=0.0, gt_ctc=0.0, seq_kd=1.0),
    "d": dict(gates=True, frame_kd=0.5, gt_ctc=0.25, seq_kd=0.25),
    "e": dict(gates=False, frame_kd=0.5, gt_ctc=0.25, seq_kd=0.25),
    # f: row d's losses on the tied gates alone, on top of a finished row d (--init).
    "f": dict(gates=True, frame_kd=0.5, gt_ctc=0.25, seq_kd=0.25, gates_only=True),
    # g: row d with the teacher advanced 6 frames (the measured spike lag), whatever --kd-shift says:
    # the control that isolates the shift when trained beside row d on the same batches.
    "g": dict(gates=True, frame_kd=0.5, gt_ctc=0.25, seq_kd=0.25, kd_shift=-6),
}

# A row added to a resumed run starts from this row's checkpointed state (model and optimizer).
FORKS_FROM = {"g": "d"}


def parse():
    p = training_arguments(argparse.ArgumentParser(), ["train_real", "synth_train", "untranscribed"], 120.0, 100, 2e-3,
                           str(stage.EXP / "student"), 2)
    p.add_argument("--rows", default="abcde")
    p.add_argument("--teacher", default=str(stage.EXP / "teacher" / "best.pt"))
    p.add_argument("--tau", type=float, default=2.0)
    p.add_argument("--init", default=None, help="warm start: a stage 09 row_<r>.pt whose weights every row starts from (a fresh schedule in a new --exp)")
    p.add_argument("--kd-shift", type=int, default=0, help="output frames by which teacher posteriors are delayed for the student (negative: advanced; tools/spike_timing.py measures the gap)")
    return p.parse_args()


def shift_frames(logp, shift):
    """[B, T, C] moved `shift` frames later (negative: earlier), the edge frame repeated; T kept."""
    if shift > 0:
        return torch.cat([logp[:, :1].expand(-1, shift, -1), logp[:, :-shift]], dim=1)
    if shift < 0:
        return torch.cat([logp[:, -shift:], logp[:, -1:].expand(-1, -shift, -1)], dim=1)
    return logp


def frame_kd_loss(student_logp, teacher_logp, out_len, tau, shift):
    """KL(teacher_tau || student_tau) per valid frame, teacher delayed by `shift` frames (advanced when negative)."""
    teacher_logp = shift_frames(teacher_logp, shift)
    t = min(student_logp.shape[1], teacher_logp.shape[1])
    mask = (torch.arange(t, device=out_len.device).unsqueeze(0) < out_len.unsqueeze(1)).float()
    p_t = F.softmax(teacher_logp[:, :t] / tau, dim=-1)
    log_s = F.log_softmax(student_logp[:, :t] / tau, dim=-1)
    kl = (p_t * (torch.log(p_t + 1e-9) - log_s)).sum(-1)
    return (kl * mask).sum() * tau * tau / mask.sum().clamp(min=1)


def ctc_loss(logp, out_len, texts):
    ids = [encode(t) for t in texts]
    keep = [i for i, t in enumerate(ids) if len(t) > 0]
    if not keep:
        return logp.sum() * 0.0
    targets = torch.tensor([c for i in keep for c in ids[i]], dtype=torch.long, device=logp.device)
    tlens = torch.tensor([len(ids[i]) for i in keep], device=logp.device)
    return CTC(logp[keep].float().transpose(0, 1), targets, out_len[keep], tlens) / len(keep)


def main():
    args = parse()
    # Runs side by side (the shipped row and the ablation rows) each keep their own log.
    log = stage.setup("09_train_student" + ("" if Path(args.exp).name == "student" else f".{Path(args.exp).name}"))
    device = pick_device(args.device, args.jobs)
    torch.manual_seed(args.seed)
    exp = Path(args.exp)
    exp.mkdir(parents=True, exist_ok=True)
    needs_teacher = any(ROWS[r]["frame_kd"] or ROWS[r]["seq_kd"] for r in args.rows)
    teacher = None
    if needs_teacher:
        if not Path(args.teacher).exists():
            raise stage.Refusal(f"teacher checkpoint {args.teacher} is missing; run stage 05 first (or train row a alone)")
        teacher = load_teacher(args.teacher)[0].to(device)
    dev_banks = load_lists(args.dev, args.jobs, log)
    source = training_source(args.features, args.train, args.copies, args.real_repeats, device, args.seed, args.jobs, log, args.augment, args.synth_copies)
    cached_targets = None
    if teacher is not None and isinstance(source, CachedSource):
        try:
            cached_targets = TargetBank.for_features(stage.DATA, source.bank)
        except (FileNotFoundError, ValueError) as exc:
            raise stage.Refusal(str(exc))
        log.info("teacher targets from stage 08's cache (%d frames)", len(cached_targets.values))
    transcribed = torch.tensor([bool(t) for t in source.texts])
    log.info("pool: %d utterances, %.2f h per epoch (%d untranscribed)", len(source), source.hours(), int((~transcribed).sum()))
    for b in dev_banks.values():
        b.to(device)
    featurize = Featurizer(device)
    students = {}
    for row in args.rows:
        cfg = ROWS[row]
        model = HighwayStudent(gates=cfg["gates"], layers=10 if cfg["gates"] else 12).to(device)
        if teacher is not None:
            model.cmvn.load_state_dict(teacher.cmvn.state_dict())
        else:
            mean, std = source.feature_stats()
            model.cmvn.set_stats(mean, std)
        if args.init:
            warm = warm_start(args.init, model, row)
            log.info("row %s starts from %s", row, warm)
        if cfg.get("gates_only"):
            gate_ids = {id(p) for p in model.gate_parameters()}
            for p in model.parameters():
                p.requires_grad_(id(p) in gate_ids)
        students[row] = model
        log.info("row %s: %s, %d parameters (gates %d), look-ahead %d ms, losses %s", row, model.kind, count_parameters(model),
                 sum(p.numel() for p in model.gate_parameters()), 10 * model.lookahead, cfg)
    if any(ROWS[r].get("gates_only") for r in args.rows) and not args.init:
        raise stage.Refusal("row f fine-tunes the gates of a finished row d: pass --init exp/<run>/row_d.pt")
    opts = {r: torch.optim.AdamW(m.gate_parameters() if ROWS[r].get("gates_only") else m.parameters(), lr=args.lr, weight_decay=1e-3)
            for r, m in students.items()}
    batch_seconds = args.batch_seconds or (600 if device.type == "cuda" else 60)
    steps_per_epoch = len(epoch_batches(source, batch_seconds, 0, args.seed))
    budget = Budget(args.budget_min * 60, steps_per_epoch * args.max_epochs, min_steps=args.min_steps)
    state = {"epoch": 0, "step": 0, "history": [], "elapsed": 0.0, "hours_seen": 0.0}
    ckpt = exp / "last.pt"
    if ckpt.exists():
        s = torch.load(ckpt, map_location=device)
        for r, src in resume_rows(s, students, opts, ckpt).items():
            log.info("row %s joins the run from row %s's state at step %d", r, src, s["state"]["step"])
        state = s["state"]
        log.info("resumed at epoch %d step %d", state["epoch"], state["step"])
    t_start, last_save = time.time() - state["elapsed"], time.time()
    spike_gap = []
    while state["epoch"] < args.max_epochs and not budget.over(state["step"], state["elapsed"]):
        batches = epoch_batches(source, batch_seconds, state["epoch"], args.seed)
        t_epoch = time.time()
        for bi, idx in enumerate(batches):
            if budget.over(state["step"], time.time() - t_start):
                break
            step = state["step"]
            feats, frames, seconds = source.batch(idx, step)
            gen = torch.Generator(device=device)
            gen.manual_seed(step)
            out_len = (frames + 1) // 2
            t_logp, t_texts = None, None
            if cached_targets is not None:
                t_logp, t_texts = cached_targets.batch(idx)
                t_logp = t_logp.to(device)
            elif teacher is not None:
                with torch.no_grad(), autocast(device):
                    t_logp, out_len = run_model(teacher, feats, frames)
                t_logp = t_logp.float()
                best = t_logp.argmax(-1).cpu()
                t_texts = [greedy(best[r, : int(out_len[r])].tolist()) for r in range(len(idx))]
            gt_texts = [source.texts[i] for i in idx]
            feats = spec_augment(feats, gen, time_masks=2)
            for row, model in students.items():
                cfg = ROWS[row]
                with autocast(device):
                    s_logp, _ = run_model(model, feats, frames)
                s_logp = s_logp.float()
                loss = s_logp.sum() * 0.0
                if cfg["frame_kd"]:
                    loss = loss + cfg["frame_kd"] * frame_kd_loss(s_logp, t_logp, out_len, args.tau, cfg.get("kd_shift", args.kd_shift))
                if cfg["gt_ctc"]:
                    loss = loss + cfg["gt_ctc"] * ctc_loss(s_logp, out_len, gt_texts)
                if cfg["seq_kd"]:
                    loss = loss + cfg["seq_kd"] * ctc_loss(s_logp, out_len, t_texts)
                for g in opts[row].param_groups:
                    g["lr"] = budget.lr(step, time.time() - t_start, args.lr)
                opts[row].zero_grad(set_to_none=True)
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
                opts[row].step()
                if row == args.rows[0] and bi % 50 == 0 and t_logp is not None:
                    spike_gap.append(spike_offset(s_logp.detach(), t_logp, out_len))
            state["step"] += 1
            state["hours_seen"] += seconds / 3600
            if bi % 50 == 0:
                log.info("epoch %d step %d last loss(%s) %.3f %.0fs spike offset %s-teacher %s", state["epoch"], state["step"], row, loss.item(),
                         time.time() - t_start, args.rows[0], spike_gap[-1] if spike_gap else "-")
            if time.time() - last_save > 180:
                state["elapsed"] = time.time() - t_start
                save_all(ckpt, students, opts, state)
                last_save = time.time()
        entry = {"epoch": state["epoch"], "step": state["step"], "hours_seen": state["hours_seen"], "minutes": (time.time() - t_start) / 60,
                 "epoch_seconds": time.time() - t_epoch, "dev_greedy_wer": {r: dev_wer(m, dev_banks, featurize, device) for r, m in students.items()},
                 "spike_offset_frames_first_row_minus_teacher": spike_gap[-5:]}
        state["history"].append(entry)
        log.info("epoch %d done: %s", state["epoch"], entry)
        state["epoch"] += 1
        state["elapsed"] = time.time() - t_start
        save_all(ckpt, students, opts, state)
        last_save = time.time()
    for row, model in students.items():
        torch.save({"model": model.state_dict(), "config": model.config, "row": row, "losses": ROWS[row]}, exp / f"row_{row}.pt")
    write_json(exp / "history.json", {"sources_hours": source.sources_hours, "rows": ROWS, "parameters": {r: count_parameters(m) for r, m in students.items()},
                                      "device": str(device), "hardware": hardware(device), "features": args.features,
                                      "copies": len(source.bank.copies) if isinstance(source, CachedSource) else args.copies, "synth_copies": args.synth_copies,
                                      "real_repeats": args.real_repeats, "batch_seconds": batch_seconds, "lr": args.lr, "budget_min": args.budget_min, "tau": args.tau, "kd_shift": args.kd_shift, "init": args.init,
                                      "earlier_runs": training_record.lineage(args.init, list(students)[0]), "history": state["history"]})
    log.info("student training finished: %d epochs, %d steps, %.1f h of audio seen", state["epoch"], state["step"], state["hours_seen"])


def resume_rows(saved, students, opts, ckpt):
    """Each row's model and optimizer state from a checkpoint; a row the checkpoint lacks forks from
    its FORKS_FROM row (so a control joins a run mid-way on the same batches). Returns {row: source}
    for the rows that forked; refuses a row with neither, naming it."""
    forked = {}
    for r in students:
        src = r if r in saved["models"] else FORKS_FROM.get(r)
        if src not in saved["models"]:
            raise stage.Refusal(f"{ckpt} has no row {r} to resume (it holds rows {', '.join(sorted(saved['models']))}); use a new --exp")
        students[r].load_state_dict(saved["models"][src])
        opts[r].load_state_dict(saved["opts"][src])
        if src != r:
            forked[r] = src
    return forked


def spike_offset(student_logp, teacher_logp, out_len):
    """Median frame lag of the student's spikes behind the teacher's over a batch (hush/spike_timing.py)."""
    rows = range(student_logp.shape[0])
    return lag_summary([student_logp[r, : int(out_len[r])] for r in rows], [teacher_logp[r, : int(out_len[r])] for r in rows])["median_lag_frames"]


def warm_start(path, model, row):
    """Copy a finished row's weights into `model`; refuse a checkpoint of another shape, naming the row."""
    if not Path(path).exists():
        raise stage.Refusal(f"--init {path} is missing")
    init, saved = load_student(path)
    if init.config != model.config:
        raise stage.Refusal(f"--init {path} is a {init.kind} {init.config}, row {row} is a {model.kind} {model.config}")
    model.load_state_dict(init.state_dict())
    model.train()
    return f"{path} (its row {saved.get('row', '?')})"


def save_all(path, students, opts, state):
    save_checkpoint(path, models={r: m.state_dict() for r, m in students.items()}, opts={r: o.state_dict() for r, o in opts.items()},
                    state=state)


if __name__ == "__main__":
    main()
