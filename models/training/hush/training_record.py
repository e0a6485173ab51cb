"""What a shipped model's card and the benchmark quote about its training: models/<name>/training.json.

Written by the export stages from the training stage's history, so the figures in the model card and
BENCHMARKS.md come from the run itself, not from hand-copied numbers."""
import json
import os
import platform
from pathlib import Path


def hardware(device):
    """A one-line description of what trained the model."""
    import torch

    if device.type == "cuda":
        return f"{torch.cuda.get_device_name(0)} (CUDA), torch {torch.__version__}"
    cpu = platform.processor() or "cpu"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {torch.get_num_threads()} threads of {os.cpu_count()} cores, torch {torch.__version__}"


def summarise(history, row=None):
    """training.json fields from a training stage's history.json (teacher, or one student row)."""
    epochs = history.get("history", [])
    last = epochs[-1] if epochs else {}
    hours = sum(e.get("hours_seen", 0.0) for e in epochs) if row is None else last.get("hours_seen", 0.0)
    out = {
        "sources_hours": {k: round(v, 3) for k, v in history.get("sources_hours", {}).items()},
        "hours_seen": round(hours, 2),
        "steps": last.get("step", 0),
        "epochs": len(epochs),
        "wall_minutes": round(last.get("minutes", 0.0), 1),
        "hardware": history.get("hardware", ""),
        "dev_greedy_wer_pytorch": (last.get("dev_greedy_wer", {}) or {}).get(row, {}) if row else last.get("dev_greedy_wer", {}),
    }
    for key in ("features", "copies", "real_repeats", "batch_seconds", "lr", "budget_min"):
        if key in history:
            out[key] = history[key]
    return out


def chain(record, earlier):
    """Totals over a warm-started chain of runs: `earlier` lists the runs this one was initialised
    from (oldest first: exp, steps, hours_seen, wall_minutes, what), for checkpoints that predate
    the lineage in history.json. Epochs are dropped: the runs' epochs differ in size."""
    if not earlier:
        return record
    this = {"exp": record.get("exp", "this run"), "steps": record["steps"], "hours_seen": record["hours_seen"], "wall_minutes": record["wall_minutes"]}
    runs = [*earlier, this]
    out = {k: v for k, v in record.items() if k != "epochs"}
    out.update(runs=runs, hours_seen=round(sum(r["hours_seen"] for r in runs), 2), steps=sum(r["steps"] for r in runs),
               wall_minutes=round(sum(r["wall_minutes"] for r in runs), 1))
    return out


def runs(record):
    """The chain of runs behind a record, oldest first: what a warm-start file carries forward."""
    return record.get("runs") or [{k: record.get(k) for k in ("exp", "steps", "hours_seen", "wall_minutes")}]


def lineage(init, row):
    """The runs behind a warm-start checkpoint (stage 09 --init), oldest first, for `earlier_runs`."""
    if not init:
        return []
    exp = Path(init).parent
    history = exp / "history.json"
    if not history.exists():
        return [{"exp": exp.name, "steps": 0, "hours_seen": 0.0, "wall_minutes": 0.0, "what": f"{init} (no history.json beside it)"}]
    saved = json.loads(history.read_text())
    return runs(chain({"exp": exp.name, **summarise(saved, row)}, saved.get("earlier_runs", [])))


def write(path, history_path, row=None, extra=None, earlier=None):
    history = json.loads(Path(history_path).read_text()) if Path(history_path).exists() else {}
    # A run warm-started from a committed warm-start.pt lists that file's chain in its history.
    earlier = earlier if earlier is not None else history.get("earlier_runs", [])
    record = chain({"exp": Path(history_path).parent.name, **summarise(history, row)}, earlier)
    record.update(extra or {})
    Path(path).write_text(json.dumps(record, indent=2) + "\n")
    return record
