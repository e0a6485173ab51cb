#!/usr/bin/env python3
"""Stage 04: cache log-mel features of every training list, clean and augmented.

    /usr/bin/python3 models/training/stages/04_cache_features.py [--copies 3] [--lists train_real synth_train untranscribed]

Copy 0 is the clean audio; copies 1.. go through the meeting-room augmenter (hush/batch_augment.py:
room, noise and babble, overlapping talker, speed, telephone band, level and clipping) with the seed
hush.featbank.copy_seed(list, copy). Writes data/feats/<list>.c<k>.pt (fp16) and data/feats/manifest.tsv
(list, copy, seed, utterances, hours). Each (list, copy) is skipped when its input list and seed are
unchanged, so an interrupted run resumes at the next unfinished copy.
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
from hush.assets import augmenter_for, load_lists  # noqa: E402
from hush.featbank import copy_seed, feats_path  # noqa: E402
from hush.ragged import starts  # noqa: E402
from hush.trainer import Featurizer, length_batches, save_checkpoint  # noqa: E402


def cache_copy(bank, name, copy, augment, featurize, log, batch_seconds=120):
    seed = copy_seed(name, copy)
    frames = torch.zeros(len(bank), dtype=torch.long)
    chunks = [None] * len(bank)
    batches = length_batches(bank.lengths, int(16000 * batch_seconds), random.Random(0))
    t0 = time.time()
    for bi, idx in enumerate(batches):
        wav, lengths = bank.batch(idx, "cpu")
        if copy > 0:
            wav, lengths = augment(wav, lengths, seed=seed * 100_003 + bi)
        feats, n = featurize(wav, lengths)
        for row, i in enumerate(idx):
            frames[i] = int(n[row])
            chunks[i] = feats[row, : int(n[row])].half()
        if bi % 50 == 0:
            log.info("%s copy %d: batch %d/%d (%.0f s)", name, copy, bi, len(batches), time.time() - t0)
    offsets = starts(frames)
    return {"list": name, "copy": copy, "seed": seed, "ids": bank.ids, "texts": bank.texts, "speakers": bank.speakers,
            "offsets": offsets, "frames": frames, "feats": torch.cat(chunks)}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--lists", nargs="+", default=["train_real", "synth_train", "untranscribed"])
    p.add_argument("--copies", type=int, default=3, help="1 clean + (copies-1) augmented copies per list")
    p.add_argument("--jobs", type=int, default=2)
    args = p.parse_args()
    log = stage.setup("04_cache_features")
    torch.set_num_threads(args.jobs)
    banks = load_lists(args.lists, args.jobs, log)
    augment = augmenter_for(banks, "cpu", log)
    featurize = Featurizer("cpu")
    rows = []
    for name, bank in banks.items():
        listfile = stage.DATA / "lists" / f"{name}.tsv"
        for copy in range(args.copies):
            path = feats_path(stage.DATA, name, copy)
            key = stage.fingerprint({"list": listfile.stat().st_mtime if listfile.exists() else 0, "n": len(bank), "seed": copy_seed(name, copy), "v": 1})
            marker = path.with_suffix(".done.json")
            if not (stage.is_done(marker, key) and path.exists()):
                path.parent.mkdir(parents=True, exist_ok=True)
                part = cache_copy(bank, name, copy, augment, featurize, log)
                save_checkpoint(path, **part)
                hours = float(part["frames"].sum()) / 360000
                stage.mark_done(marker, key, utterances=len(bank), hours=hours)
                log.info("cached %s copy %d: %d utterances, %.2f h", name, copy, len(bank), hours)
            rows.append((name, copy, copy_seed(name, copy), len(bank), json.loads(marker.read_text())["hours"]))
    manifest = stage.DATA / "feats" / "manifest.tsv"
    manifest.write_text("list\tcopy\tseed\tutterances\thours\n" + "".join(f"{n}\t{c}\t{s}\t{u}\t{h:.3f}\n" for n, c, s, u, h in rows))
    log.info("feature cache complete: %s", manifest)


if __name__ == "__main__":
    main()
