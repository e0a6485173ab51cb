#!/usr/bin/env python3
"""Average the weights of checkpoints of one architecture (a uniform "model soup") into one that stage 07
(exp/<run>/best.pt) or stage 10 (exp/<run>/row_<row>.pt) exports.

    /usr/bin/python3 tools/average_checkpoints.py A.pt B.pt [...] --out exp/teacher_avg/best.pt

Why: two fine-tunes of one lineage that trade dev sets against each other often average to a model better than
either, at no training cost. BatchNorm running statistics are averaged like the weights; the integer batch
counters are taken from the first checkpoint. The output carries no history.json: an export that ships it passes
the chain of runs explicitly (stage 07 --earlier-runs).
"""
import argparse
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from hush import stage  # noqa: E402
from hush.trainer import save_checkpoint  # noqa: E402


def load(path):
    if not Path(path).exists():
        raise stage.Refusal(f"{path}: no such checkpoint")
    try:
        saved = torch.load(path, map_location="cpu")
    except Exception as exc:  # a truncated or foreign file: name it instead of a traceback
        raise stage.Refusal(f"{path}: not a recipe checkpoint ({type(exc).__name__})")
    if not isinstance(saved, dict) or "model" not in saved or "config" not in saved:
        raise stage.Refusal(f"{path}: not a recipe checkpoint (no model weights and config)")
    return saved


def main():
    p = argparse.ArgumentParser()
    p.add_argument("checkpoints", nargs="+")
    p.add_argument("--out", required=True)
    args = p.parse_args()
    log = stage.setup("average_checkpoints")
    if len(args.checkpoints) < 2:
        raise stage.Refusal("give at least two checkpoints to average")
    loaded = [load(path) for path in args.checkpoints]
    first = loaded[0]
    for path, ck in zip(args.checkpoints[1:], loaded[1:]):
        if ck["config"] != first["config"] or ck["model"].keys() != first["model"].keys():
            raise stage.Refusal(f"{path}: architecture differs from {args.checkpoints[0]}")
    averaged = {}
    for name, tensor in first["model"].items():
        if tensor.is_floating_point():
            averaged[name] = torch.stack([ck["model"][name].float() for ck in loaded]).mean(0)
        else:
            averaged[name] = tensor.clone()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    save_checkpoint(out, model=averaged, config=first["config"], epoch=first.get("epoch", 0), dev={},
                    averaged_from=[str(p) for p in args.checkpoints])
    log.info("averaged %d checkpoints into %s", len(loaded), out)


if __name__ == "__main__":
    main()
