#!/usr/bin/env python3
"""Turn the committed student (models/student/student.safetensors + training.json) back into a
stage 09 checkpoint, so a new session can warm-start from it (`stage 09 --init`): `exp/` does not
outlive a session, the committed student does.

    /usr/bin/python3 tools/restore_student.py [--student ../../models/student] [--exp exp/<last run of its chain>]

Writes <exp>/row_<row>.pt and a history.json whose lineage is the chain training.json records, so
the next export's training.json totals the whole chain. Skips when both exist.
"""
import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from hush import stage, training_record  # noqa: E402
from hush.models import HighwayStudent  # noqa: E402
from hush.onnx_export import load_safetensors  # noqa: E402
from hush.trainer import save_checkpoint, write_json  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--student", default=str(stage.REPO / "models" / "student"))
    p.add_argument("--exp", default=None, help="default: exp/<the exp training.json names>")
    args = p.parse_args()
    log = stage.setup("restore_student")
    folder = Path(args.student)
    record_path, weights = folder / "training.json", folder / "student.safetensors"
    for f in (record_path, weights):
        if not f.exists():
            raise stage.Refusal(f"{f} is missing")
    record = json.loads(record_path.read_text())
    exp = Path(args.exp) if args.exp else stage.EXP / record["exp"]
    row = record.get("row", "d")
    ckpt, history = exp / f"row_{row}.pt", exp / "history.json"
    if ckpt.exists() and history.exists():
        log.info("%s and %s exist; skipping", ckpt, history)
        return
    try:
        state, meta = load_safetensors(weights)
    except ValueError as exc:
        raise stage.Refusal(str(exc))
    config = json.loads(meta.get("config", "null")) or record["config"]
    model = HighwayStudent(**config)
    mismatched = set(model.state_dict()) ^ set(state)
    if mismatched:
        raise stage.Refusal(f"{weights}: tensors {sorted(mismatched)[:4]} do not match a {model.kind} {config}")
    model.load_state_dict(state)
    exp.mkdir(parents=True, exist_ok=True)
    save_checkpoint(ckpt, model=model.state_dict(), config=model.config, row=row, restored_from=str(weights),
                    model_version=meta.get("model_version"))
    # The chain's last run becomes this folder's own history; the runs before it its lineage.
    runs = training_record.runs(record)
    last = runs[-1]
    write_json(history, {
        "restored_from": str(record_path), "sources_hours": record.get("sources_hours", {}), "hardware": record.get("hardware", ""),
        "earlier_runs": runs[:-1],
        "history": [{"step": last["steps"], "hours_seen": last["hours_seen"], "minutes": last["wall_minutes"],
                     "dev_greedy_wer": {row: record.get("dev_greedy_wer_pytorch", {})}}],
    })
    log.info("restored %s (%s) into %s with a lineage of %d runs", weights, meta.get("model_version"), ckpt, len(runs))


if __name__ == "__main__":
    main()
