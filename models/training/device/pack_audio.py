#!/usr/bin/env python3
"""Carry a recipe list to the GPU machine as ONE Opus stream (12 kbit/s) plus an index.

Per-file re-encoding costs a process per utterance; one stream costs one, and the GPU
machine decodes it with a single opusdec call. The index holds each utterance's sample
offset and length in the stream, so rows come back exactly as WavBank rows.
"""
import argparse
import subprocess
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from hush import stage  # noqa: E402
from hush.wavbank import WavBank  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument("lists", nargs="+")
p.add_argument("--out", required=True)
p.add_argument("--jobs", type=int, default=2)
args = p.parse_args()
out = Path(args.out)
out.mkdir(parents=True, exist_ok=True)
for name in args.lists:
    target = out / f"{name}.opus"
    if target.exists():
        continue
    src = stage.DATA / "lists" / f"{name}.tsv"
    bank = WavBank.cached(src, stage.DATA / "cache" / f"{name}.pt", args.jobs, require_text=name != "untranscribed")
    pcm = bank.samples.numpy().astype("<i2")
    enc = subprocess.run(["opusenc", "--quiet", "--raw", "--raw-rate", "16000", "--raw-chan", "1", "--bitrate", "12", "-", str(target) + ".tmp"],
                         input=pcm.tobytes(), check=True)
    Path(str(target) + ".tmp").replace(target)
    with open(out / f"{name}.index.tsv", "w") as fh:
        fh.write("id\toffset\tlength\tspeaker\ttext\n")
        for i in range(len(bank)):
            fh.write(f"{bank.ids[i]}\t{int(bank.offsets[i])}\t{int(bank.lengths[i])}\t{bank.speakers[i]}\t{bank.texts[i]}\n")
    print(f"{name}: {len(bank)} utterances, {bank.hours():.2f} h -> {target.stat().st_size / 1e6:.1f} MB")
