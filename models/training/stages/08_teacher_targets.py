#!/usr/bin/env python3
"""Stage 08: the teacher labels every cached feature copy (real, synthetic, untranscribed; clean and augmented).

    /usr/bin/python3 models/training/stages/08_teacher_targets.py [--checkpoint exp/teacher/best.pt] [--top-k 8]

For each data/feats/<list>.c<k>.pt it writes data/targets/<list>.c<k>.pt: per 20 ms frame the teacher's
top-k log-probabilities (fp16) and class ids, the rest of the mass implied (hush/targets.py), the greedy
1-best transcript and a confidence per utterance. data/targets/manifest.tsv says which audio list, copy
and augmentation seed each came from, and which teacher. A part is skipped when its features and the
teacher are unchanged.
"""
import argparse
import json
import random
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from hush import stage  # noqa: E402
from hush.featbank import FeatBank, feats_path  # noqa: E402
from hush.models import load_teacher  # noqa: E402
from hush.targets import compress, targets_path  # noqa: E402
from hush.text import BLANK, greedy  # noqa: E402
from hush.ragged import starts  # noqa: E402
from hush.trainer import length_batches, run_model, save_checkpoint  # noqa: E402


def label_part(model, part, k, log, batch_seconds=240):
    bank = FeatBank([part])
    n = len(bank)
    out_frames = (bank.frames + 1) // 2
    values = [None] * n
    ids = [None] * n
    hyps, confidence = [""] * n, [0.0] * n
    t0 = time.time()
    with torch.no_grad():
        for idx in length_batches(bank.lengths, int(16000 * batch_seconds), random.Random(0)):
            feats, frames = bank.batch(idx)
            logp, lens = run_model(model, feats, frames)
            for row, i in enumerate(idx):
                lp = logp[row, : int(lens[row])]
                values[i], ids[i] = compress(lp, k)
                best = lp.max(-1)
                hyps[i] = greedy(best.indices.tolist())
                spikes = best.indices != BLANK
                confidence[i] = float(best.values[spikes].mean().exp()) if spikes.any() else 0.0
    log.info("%s copy %d: %d utterances labelled in %.0f s", part["list"], part["copy"], n, time.time() - t0)
    offsets = starts(out_frames)
    return {"list": part["list"], "copy": part["copy"], "seed": part["seed"], "utt_ids": part["ids"], "offsets": offsets,
            "frames": out_frames, "values": torch.cat(values), "ids_topk": torch.cat(ids), "hyps": hyps, "confidence": confidence}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--checkpoint", default=str(stage.EXP / "teacher" / "best.pt"))
    p.add_argument("--lists", nargs="+", default=["train_real", "synth_train", "untranscribed"])
    p.add_argument("--copies", type=int, default=3)
    p.add_argument("--top-k", type=int, default=8)
    p.add_argument("--jobs", type=int, default=2)
    args = p.parse_args()
    log = stage.setup("08_teacher_targets")
    torch.set_num_threads(args.jobs)
    ckpt = Path(args.checkpoint)
    if not ckpt.exists():
        raise stage.Refusal(f"{ckpt}: teacher checkpoint missing; run stage 05 first")
    model, _ = load_teacher(ckpt)
    teacher_key = {"ckpt": str(ckpt), "mtime": ckpt.stat().st_mtime, "size": ckpt.stat().st_size}
    rows = []
    for name in args.lists:
        for copy in range(args.copies):
            src = feats_path(stage.DATA, name, copy)
            if not src.exists():
                raise stage.Refusal(f"{src}: cached features missing; run stage 04 (--copies {args.copies}) first")
            dst = targets_path(stage.DATA, name, copy)
            marker = dst.with_suffix(".done.json")
            key = stage.fingerprint({**teacher_key, "feats": src.stat().st_mtime, "k": args.top_k})
            if not (stage.is_done(marker, key) and dst.exists()):
                dst.parent.mkdir(parents=True, exist_ok=True)
                part = label_part(model, torch.load(src), args.top_k, log)
                save_checkpoint(dst, **part)
                stage.mark_done(marker, key, seed=part["seed"], utterances=len(part["utt_ids"]), frames=int(part["frames"].sum()))
            info = json.loads(marker.read_text())
            rows.append(f"{name}\t{copy}\t{info['seed']}\t{info['utterances']}\t{info['frames']}\t{ckpt.name}@{key}\n")
    manifest = stage.DATA / "targets" / "manifest.tsv"
    manifest.write_text("list\tcopy\tseed\tutterances\tframes\tteacher\n" + "".join(rows))
    log.info("teacher targets complete: %s", manifest)


if __name__ == "__main__":
    main()
