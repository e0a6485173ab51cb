#!/usr/bin/env python3
"""Stage 10: export the shipped student (row d by default) to models/student/student.onnx in streaming form.

    /usr/bin/python3 models/training/stages/10_export_student.py [--row d] [--exp exp/student] [--out models/student/student.onnx]
"""
import argparse
import json
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from hush import audio, stage  # noqa: E402
from hush.features import LogMel  # noqa: E402
from hush.models import count_parameters, load_student  # noqa: E402
from hush.onnx_export import export, save_parity_fixture, save_safetensors  # noqa: E402
from hush import training_record  # noqa: E402

OUT = stage.REPO / "models" / "student"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--row", default="d")
    p.add_argument("--version", default="student-hdnn-1")
    p.add_argument("--out", default=str(OUT / "student.onnx"))
    p.add_argument("--exp", default=str(stage.EXP / "student"), help="the stage 09 run whose row_<row>.pt is exported")
    args = p.parse_args()
    log = stage.setup("10_export_student")
    ckpt = Path(args.exp) / f"row_{args.row}.pt"
    if not ckpt.exists():
        raise stage.Refusal(f"{ckpt}: student checkpoint missing; run stage 09 first")
    model, saved = load_student(ckpt)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    gates = sum(p.numel() for p in model.gate_parameters())
    meta = {"parameters": str(count_parameters(model)), "gate_parameters": str(gates), "architecture": f"{model.kind} {saved['config']}",
            "row": args.row, "gate_names": "transform_gate.weight,transform_gate.bias,carry_gate.weight,carry_gate.bias"}
    export(model, str(out), args.version, streaming=True, extra_meta=meta)
    speech = audio.load(stage.SHARED / "data/corpora/arctic_native/audio/arctic_clb_a0001.flac")
    feats = LogMel()(torch.from_numpy(speech).unsqueeze(0))[0]
    feats = feats[: feats.shape[0] - feats.shape[0] % 2]
    save_parity_fixture(model, feats, out.parent / "parity", out.stem)
    # Same weights for the in-app gate adaptation (electron/core/adapt), with the config alongside.
    save_safetensors(model.state_dict(), out.with_suffix(".safetensors"), {"config": json.dumps(model.config), "model_version": args.version})
    record = training_record.write(out.parent / "training.json", ckpt.parent / "history.json", row=args.row,
                                   extra={"parameters": count_parameters(model), "gate_parameters": gates, "row": args.row,
                                          "look_ahead_ms": 10 * model.lookahead, "config": model.config})
    log.info("training record: %s", record)
    log.info("exported %s (%.2f MB, %d parameters, %d gate parameters, look-ahead %d ms)", out, out.stat().st_size / 1e6,
             count_parameters(model), gates, 10 * model.lookahead)


if __name__ == "__main__":
    main()
