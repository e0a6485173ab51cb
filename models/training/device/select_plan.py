#!/usr/bin/env python3
"""The GPU machine has no festival: take stage 01's plan in order, keep flite and espeak-ng items, up to --hours."""
import argparse
import csv
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from hush import stage  # noqa: E402
from hush.synth import VOICE_BY_NAME  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument("--hours", type=float, default=14)
p.add_argument("--out", required=True)
args = p.parse_args()
plan = stage.DATA / "synth" / "plan.tsv"
if not plan.exists():
    raise stage.Refusal(f"{plan} is missing: run stage 01 (it writes the plan first)")
total, kept = 0.0, []
with open(plan, newline="") as fh:
    reader = csv.DictReader(fh, delimiter="\t")
    for row in reader:
        if VOICE_BY_NAME[row["voice"]].engine == "festival":
            continue
        kept.append(row)
        total += float(row["est_s"])
        if total >= args.hours * 3600:
            break
with open(args.out, "w", newline="") as fh:
    w = csv.DictWriter(fh, fieldnames=reader.fieldnames, delimiter="\t")
    w.writeheader()
    w.writerows(kept)
print(f"device plan: {len(kept)} items, est. {total / 3600:.1f} h")
