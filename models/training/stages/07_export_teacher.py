#!/usr/bin/env python3
"""Stage 07: export the best teacher checkpoint to models/teacher/teacher.onnx (fp16 weights, non-streaming, either architecture),
with training.json, and models/teacher/warm-start.pt (fp16 weights and the chain of runs, for stage 05 --init in a later
session; it is written even when --out sends the ONNX elsewhere).

    /usr/bin/python3 models/training/stages/07_export_teacher.py [--checkpoint exp/teacher/best.pt]
"""
import argparse
import json
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from hush import audio, stage  # noqa: E402
from hush.features import LogMel  # noqa: E402
from hush.models import count_parameters, load_teacher  # noqa: E402
from hush.onnx_export import export, save_parity_fixture, store_weights_fp16  # noqa: E402
from hush import training_record  # noqa: E402

OUT = stage.REPO / "models" / "teacher"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--checkpoint", default=str(stage.EXP / "teacher" / "best.pt"))
    p.add_argument("--version", default="teacher-sepconv-1")
    p.add_argument("--out", default=str(OUT), help="folder for teacher.onnx, parity/ and training.json (default models/teacher)")
    p.add_argument("--warm-start", default=str(OUT / "warm-start.pt"),
                   help="where the fp16 weights and run chain for the next session's stage 05 --init go (default models/teacher/warm-start.pt, committed)")
    p.add_argument("--earlier-runs", default=None,
                   help="JSON list of the runs the checkpoint was warm-started from (exp, steps, hours_seen, wall_minutes, what), summed into training.json")
    args = p.parse_args()
    log = stage.setup("07_export_teacher")
    ckpt = Path(args.checkpoint)
    if not ckpt.exists():
        raise stage.Refusal(f"{ckpt}: teacher checkpoint missing; run stage 05 first")
    key = stage.fingerprint({"ckpt": ckpt.stat().st_mtime, "size": ckpt.stat().st_size, "version": args.version, "out": args.out, "warm_start": args.warm_start})
    marker = stage.EXP / "teacher" / "export.done.json"
    out = Path(args.out)
    if stage.is_done(marker, key) and (out / "teacher.onnx").exists() and Path(args.warm_start).exists():
        log.info("teacher already exported; nothing to do")
        return
    model, saved = load_teacher(ckpt)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "teacher.onnx"
    meta = {"parameters": str(count_parameters(model)), "architecture": f"{model.kind} {model.config}", "dev_greedy_wer": str(saved.get("dev", {}))}
    export(model, str(path), args.version, streaming=False, extra_meta=meta)
    store_weights_fp16(str(path))
    speech = audio.load(stage.SHARED / "data/corpora/arctic_native/audio/arctic_clb_a0001.flac")
    feats = LogMel()(torch.from_numpy(speech).unsqueeze(0))[0]
    feats = feats[: feats.shape[0] - feats.shape[0] % 2]
    save_parity_fixture(model, feats, out / "parity", "teacher")
    earlier = json.loads(Path(args.earlier_runs).read_text()) if args.earlier_runs else None
    record = training_record.write(out / "training.json", ckpt.parent / "history.json", earlier=earlier,
                                   extra={"parameters": count_parameters(model), "architecture": model.kind, "config": model.config,
                                          # the exported checkpoint's own figures, not the last epoch's
                                          "exported_epoch": saved.get("epoch"), "dev_greedy_wer_pytorch": saved.get("dev", {})})
    log.info("training record: %s", record)
    # Sessions keep only what is committed: the next one warm-starts from these weights (stage 05
    # --init) and inherits the chain of runs, so training.json keeps counting the whole lineage.
    weights = {k: v.half() if v.is_floating_point() else v for k, v in model.state_dict().items()}
    torch.save({"model": weights, "config": saved["config"], "epoch": saved.get("epoch"), "dev": saved.get("dev", {}),
                "runs": training_record.runs(record)}, args.warm_start)
    log.info("exported %s (%.1f MB, %d parameters)", path, path.stat().st_size / 1e6, count_parameters(model))
    stage.mark_done(marker, key, path=str(path))


if __name__ == "__main__":
    main()
