#!/usr/bin/env python3
"""Average the weights of checkpoints of one architecture (a uniform "model soup") into a stage 07-ready best.pt.

    /usr/bin/python3 tools/average_checkpoints.py A.pt B.pt [...] --out exp/teacher_avg/best.pt

Why: two fine-tunes of one lineage that trade dev sets against each other often average to a model better than
either, at no training cost. BatchNorm running statistics are averaged like the weights; the integer batch
counters are taken from the first checkpoint.
"""
import argparse
import sys
from pathlib import Path

import torch


def main():
    p = argparse.ArgumentParser()
    p.add_argument("checkpoints", nargs="+")
    p.add_argument("--out", required=True)
    args = p.parse_args()
    if len(args.checkpoints) < 2:
        sys.exit("average_checkpoints: give at least two checkpoints")
    loaded = []
    for path in args.checkpoints:
        if not Path(path).exists():
            sys.exit(f"average_checkpoints: {path}: no such checkpoint")
        loaded.append(torch.load(path, map_location="cpu"))
    first = loaded[0]
    for path, ck in zip(args.checkpoints[1:], loaded[1:]):
        if ck["config"] != first["config"] or ck["model"].keys() != first["model"].keys():
            sys.exit(f"average_checkpoints: {path}: architecture differs from {args.checkpoints[0]}")
    averaged = {}
    for name, tensor in first["model"].items():
        if tensor.is_floating_point():
            averaged[name] = torch.stack([ck["model"][name].float() for ck in loaded]).mean(0)
        else:
            averaged[name] = tensor.clone()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"model": averaged, "config": first["config"], "epoch": first.get("epoch", 0),
                "dev": {}, "averaged_from": [str(p) for p in args.checkpoints]}, out)
    print(f"averaged {len(loaded)} checkpoints into {out}")


if __name__ == "__main__":
    main()
