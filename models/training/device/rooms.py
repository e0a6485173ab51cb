#!/usr/bin/env python3
"""Stage 02's simulated rooms, made on the GPU machine's CPUs (seconds) instead of carried (19 MB).

    python3 models/training/device/rooms.py --out DATA/aug [--n 300] [--seed 2024] [--jobs N]
Same rooms, seeds and file layout (rirs.npy + rirs.json) as stage 02.
"""
import argparse
import multiprocessing as mp
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from hush import augment as A  # noqa: E402
from hush import rir as R  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument("--out", required=True)
p.add_argument("--n", type=int, default=300)
p.add_argument("--seed", type=int, default=2024)
p.add_argument("--jobs", type=int, default=os.cpu_count())
args = p.parse_args()
out = Path(args.out)
out.mkdir(parents=True, exist_ok=True)
with mp.Pool(args.jobs) as pool:
    res = pool.starmap(R.simulated_room, [(i, args.seed) for i in range(args.n)])
A._Bank.save_padded(out / "rirs.npy", out / "rirs.json", [h for h, _ in res], [m for _, m in res], hash=f"device-{args.n}-{args.seed}")
print(f"rooms: {args.n} simulated")
