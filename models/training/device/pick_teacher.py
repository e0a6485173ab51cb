#!/usr/bin/env python3
"""After the side-by-side teachers of device/run.sh: return each one's best checkpoint (fp16, split
under the 16 MiB file limit) and history to OUT, and print the name of the one with the lower dev WER
(stage 05's word-pooled score; the plain mean of the sets for checkpoints saved before it)."""
import sys
from pathlib import Path

import torch

exp, out = Path(sys.argv[1]), Path(sys.argv[2])
scores = {}
for run in sorted(exp.glob("teacher_*")):
    best, history = run / "best.pt", run / "history.json"
    if not best.exists():
        continue
    if history.exists():
        (out / "logs").mkdir(exist_ok=True)
        (out / "logs" / f"{run.name}_history.json").write_text(history.read_text())
    saved = torch.load(best, map_location="cpu")
    scores[run.name] = saved.get("score", sum(saved["dev"].values()) / max(len(saved["dev"]), 1))
    saved["model"] = {k: (v.half() if v.is_floating_point() else v) for k, v in saved["model"].items()}
    blob = out / f"{run.name}.pt"
    torch.save(saved, blob)
    data = blob.read_bytes()
    if len(data) > 15 * 2**20:
        blob.unlink()
        for i in range(0, len(data), 15 * 2**20):
            (out / f"{run.name}.pt.part{i // (15 * 2**20):02d}").write_bytes(data[i:i + 15 * 2**20])
    print(f"{run.name}: best dev WER {scores[run.name]:.2f}", file=sys.stderr)
if not scores:
    sys.exit("refused: no teacher finished an epoch; nothing to distil from")
print(min(scores, key=scores.get))
