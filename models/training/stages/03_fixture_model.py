#!/usr/bin/env python3
"""Stage 03: the runtime's test fixture, a small streaming CTC model trained on spoken digits (FSDD) in minutes.

It is real audio, a real model and real decoding, committed under test/fixtures/models/ so the
runtime can be tested before the teacher and student exist.
Usage: /usr/bin/python3 models/training/stages/03_fixture_model.py [--epochs N]
"""
import argparse
import csv
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from hush import audio, stage  # noqa: E402
from hush.features import LogMel  # noqa: E402
from hush.models import StreamingConvCtc, count_parameters  # noqa: E402
from hush.onnx_export import export  # noqa: E402
from hush.text import encode  # noqa: E402
from hush.train_ctc import evaluate, train_epochs  # noqa: E402

OUT = stage.REPO / "test" / "fixtures" / "models"


DIGITS = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}


def load_set(manifest, extractor, log, digits_only=False):
    """Rows of a manifest as (features, ids); digits_only keeps rows that read digit words only (logged)."""
    items, texts, skipped = [], [], 0
    with open(manifest, newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if digits_only and not set(row["text"].split()) <= DIGITS:
                skipped += 1
                continue
            path = Path(manifest).parent / row["audio"]
            if not path.exists():
                raise stage.Refusal(f"{manifest}: row {row['id']}: audio {path} is missing")
            try:
                ids = encode(row["text"])
            except ValueError as exc:
                raise stage.Refusal(f"{manifest}: row {row['id']}: {exc}")
            wav = torch.from_numpy(audio.load(path)).unsqueeze(0)
            items.append((extractor(wav)[0], ids))
            texts.append(row["text"])
    log.info("%s: %d utterances (%d non-digit rows not selected)", manifest, len(items), skipped)
    return items, texts


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=30)
    args = parser.parse_args()
    log = stage.setup("03_fixture_model")
    corpus = stage.SHARED / "data" / "corpora" / "fsdd"
    key = stage.fingerprint({"epochs": args.epochs, "code": (Path(__file__).read_text(), (stage.RECIPE / "hush" / "models.py").read_text())})
    marker = stage.EXP / "fixture" / "done.json"
    if stage.is_done(marker, key):
        log.info("fixture model already built (%s); nothing to do", marker)
        return 0
    torch.manual_seed(0)
    torch.set_num_threads(2)
    extractor = LogMel()
    train, _ = load_set(corpus / "manifest.tsv", extractor, log)
    # Multi-digit strings from 150 speechocean762 speakers: FSDD alone has 5 speakers and single digits.
    ocean, _ = load_set(stage.SHARED / "data/corpora/speechocean762/manifest.tsv", extractor, log, digits_only=True)
    train += ocean * 3
    dev, dev_texts = load_set(corpus / "dev.tsv", extractor, log)
    model = StreamingConvCtc()
    stacked = torch.cat([f for f, _ in train])
    model.cmvn.set_stats(stacked.mean(0), stacked.std(0))
    log.info("model: %d parameters, look-ahead %d ms", count_parameters(model), 10 * model.lookahead)
    (stage.EXP / "fixture").mkdir(parents=True, exist_ok=True)
    train_epochs(model, train, dev, dev_texts, args.epochs, log, lr=3e-3, ckpt=stage.EXP / "fixture" / "last.pt")
    wer = evaluate(model, dev, dev_texts, model.lookahead)
    OUT.mkdir(parents=True, exist_ok=True)
    meta = {"dev_greedy_wer": f"{wer:.2f}", "trained_on": "FSDD train (CC BY-SA 4.0)"}
    export(model, str(OUT / "digits-streaming.onnx"), "fixture-digits-1", streaming=True, extra_meta=meta)
    export(model, str(OUT / "digits-whole.onnx"), "fixture-digits-1", streaming=False, extra_meta=meta)
    torch.save(model.state_dict(), OUT / "digits.pt")
    np.save(OUT / "digits-parity-input.npy", dev[0][0].numpy())
    log.info("exported fixture models to %s; FSDD dev greedy WER %.2f%%", OUT, wer)
    stage.mark_done(marker, key, dev_wer=wer)
    return 0


if __name__ == "__main__":
    sys.exit(main())
