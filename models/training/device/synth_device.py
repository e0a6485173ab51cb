#!/usr/bin/env python3
"""Synthesise a carried plan on the GPU machine's CPUs with the carried flite and espeak-ng, as WAV.

Reuses stage 01's engine commands and post-processing, so the audio matches a local run;
only the container differs (WAV here: that machine has no libsndfile for Python). Stops
starting new items after --seconds so the training budget is kept.
"""
import argparse
import csv
import gzip
import os
import subprocess
import sys
import tempfile
import time
from multiprocessing import Pool
from pathlib import Path

import numpy as np
from scipy.io import wavfile

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from hush.synth import Item, VOICE_BY_NAME, espeak_cmd, flite_cmd, pitch_factor, postprocess  # noqa: E402

DEADLINE = 0.0


def one(row):
    if time.time() > DEADLINE:
        return None
    it = Item(row["id"], row["voice"], float(row["rate"]), float(row["pitch"]), row["text"], row["source"], float(row["est_s"]))
    with tempfile.TemporaryDirectory() as tmp:
        wav = os.path.join(tmp, "x.wav")
        cmd = flite_cmd(it, wav) if it.engine() == "flite" else espeak_cmd(it, wav)
        if subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60).returncode != 0:
            return (row, -1.0, None)
        sr, x = wavfile.read(wav)
    x = x.astype(np.float32) / 32768.0
    if VOICE_BY_NAME[it.voice].resample_pitch:
        sr = int(round(sr * pitch_factor(it)))
    y = postprocess(x, sr)
    dur = len(y) / 16000
    if dur < min(0.25 * len(it.text.split()), 1.0):
        return (row, -1.0, None)
    return (row, dur, (np.clip(y, -1, 1) * 32767).astype(np.int16))


def main():
    global DEADLINE
    p = argparse.ArgumentParser()
    p.add_argument("--plan", required=True)
    p.add_argument("--out", required=True, help="data dir: writes synth/<voice>/<id>.wav and lists/synth_train.tsv")
    p.add_argument("--jobs", type=int, default=os.cpu_count())
    p.add_argument("--seconds", type=float, default=100)
    args = p.parse_args()
    DEADLINE = time.time() + args.seconds
    with (gzip.open(args.plan, "rt", newline="") if args.plan.endswith(".gz") else open(args.plan, newline="")) as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    out = Path(args.out)
    (out / "lists").mkdir(parents=True, exist_ok=True)
    done, failed, hours = [], 0, 0.0
    with Pool(args.jobs) as pool:
        for res in pool.imap(one, rows, chunksize=8):
            if res is None:
                continue
            row, dur, pcm = res
            if pcm is None:
                failed += 1
                continue
            path = out / "synth" / row["voice"].replace("+", "_") / f"{row['id']}.wav"
            path.parent.mkdir(parents=True, exist_ok=True)
            wavfile.write(path, 16000, pcm)
            done.append((row, dur, path))
            hours += dur / 3600
    with open(out / "lists" / "synth_train.tsv", "w") as fh:
        fh.write("id\taudio\tduration_s\tspeaker\ttext\n")
        for row, dur, path in done:
            fh.write(f"{row['id']}\t{path}\t{dur:.3f}\tsynth_{row['voice']}\t{row['text']}\n")
    print(f"synthesised {len(done)} utterances, {hours:.2f} h, {failed} failed, of {len(rows)} planned")


if __name__ == "__main__":
    main()
