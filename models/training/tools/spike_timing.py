#!/usr/bin/env python3
"""Measure when the students fire against the teacher (issue 9, row b): per student checkpoint,
the lag of its non-blank probability behind the teacher's on the dev sets (hush/spike_timing.py).

    /usr/bin/python3 tools/spike_timing.py --teacher ../../models/teacher/warm-start.pt \
        --students exp/student_rows/row_a.pt exp/student_d/row_d.pt --out results/.../spike_timing.json
"""
import argparse
import json
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from hush import stage  # noqa: E402
from hush.assets import load_lists  # noqa: E402
from hush.models import load_student, load_teacher  # noqa: E402
from hush.spike_timing import lag_summary  # noqa: E402
from hush.trainer import Featurizer, bank_logprobs  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--teacher", required=True)
    p.add_argument("--students", nargs="+", required=True)
    p.add_argument("--dev", nargs="+", default=["dev_arctic_native", "dev_speechocean762", "dev_librivox", "dev_synth_slt"])
    p.add_argument("--max-lag", type=int, default=10, help="frames of 20 ms searched each way")
    p.add_argument("--out", required=True)
    args = p.parse_args()
    log = stage.setup("spike_timing")
    torch.set_num_threads(1)
    device = torch.device("cpu")
    for path in [args.teacher, *args.students]:
        if not Path(path).exists():
            raise stage.Refusal(f"{path}: checkpoint missing")
    banks = load_lists(args.dev, 1, log)
    featurize = Featurizer(device)
    teacher, _ = load_teacher(args.teacher)
    t_logps = {name: bank_logprobs(teacher, bank, featurize, device) for name, bank in banks.items()}
    result = {"teacher": args.teacher, "frame_ms": 20, "students": {}}
    for path in args.students:
        model, _ = load_student(path)
        result["students"][path] = {name: lag_summary(bank_logprobs(model, bank, featurize, device), t_logps[name], args.max_lag)
                                    for name, bank in banks.items()}
        log.info("%s: %s", path, {n: (r["median_lag_frames"], r["utterances"]) for n, r in result["students"][path].items()})
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
