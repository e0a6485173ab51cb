"""Self-training labels (stage 06): transcripts of the untranscribed speech by the teacher and by
pocketsphinx, which of them are kept and why the rest are not, and the kept rows' cached features.

Pure pieces (parsing, normalisation, selection, feature sub-selection, agreement) are here so the
unit tests can hold them; stages/06_self_labels.py only wires them to files.
"""
import os
import re
import subprocess
import time
import wave
from pathlib import Path

import torch

from .ragged import starts
from .synth import normalize_text
from .text import BLANK, encode, greedy, wer_counts

LABELLERS = ("teacher", "pocketsphinx")
PS_MODEL = Path(os.environ.get("HUSH_POCKETSPHINX_MODEL", "/usr/share/pocketsphinx/model/en-us"))
PS_BATCH = os.environ.get("HUSH_POCKETSPHINX_BATCH", "/usr/bin/pocketsphinx_batch")

# `words (uttid score)`, one line per utterance; the words may be empty.
_HYP_LINE = re.compile(r"^(.*?)\s*\((\S+)\s+(-?\d+)\)\s*$")
# Utterance ids become WAV file names and pocketsphinx control-file entries.
SAFE_ID = re.compile(r"^[A-Za-z0-9_.+-]+$")


# ----------------------------------------------------------------------------- text

def parse_hyp(content):
    """A pocketsphinx -hyp file -> {uttid: raw words}. Anything else raises ValueError("<line>: what is wrong")."""
    hyps = {}
    for n, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        m = _HYP_LINE.match(line)
        if not m:
            raise ValueError(f"{n}: not 'words (uttid score)': {line!r}")
        if m.group(2) in hyps:
            raise ValueError(f"{n}: utterance {m.group(2)} appears twice")
        hyps[m.group(2)] = m.group(1)
    return hyps


def normalise_hyp(text):
    """pocketsphinx words -> the recipe's 29 symbols: sentence markers (<s>, </s>, <sil>), fillers
    ([noise], ++breath++) and pronunciation variants (word(2)) dropped, dots to spaces, then hush.synth.normalize_text
    (lower case, numbers spelled out, anything else outside a-z and apostrophe dropped, single spaces)."""
    t = text.lower()
    t = re.sub(r"</?s>|<sil>", " ", t)
    t = re.sub(r"\[[^\]]*\]", " ", t)
    t = re.sub(r"\+\+[^+]*\+\+", " ", t)
    t = re.sub(r"\(\d+\)", "", t)
    t = t.replace(".", " ")  # dictionary abbreviations: a.m. -> a m, dr. -> dr (no decimals in its words)
    out = normalize_text(t)
    encode(out)  # cannot fail after normalize_text; a label outside the alphabet must never get through
    return out


def teacher_label(logp):
    """Greedy CTC transcript of log-probs [T, C] and its confidence: exp(mean log-prob of the argmax
    symbol over the frames where it is not blank), 0 when every frame is blank."""
    best = logp.max(-1)
    spikes = best.indices != BLANK
    confidence = float(best.values[spikes].mean().exp()) if spikes.any() else 0.0
    return greedy(best.indices.tolist()), confidence


# ----------------------------------------------------------------------------- selection

def choose(ids, texts, confidences=None, min_confidence=None):
    """Which utterances a labeller keeps. texts[i] is None when the labeller gave no output for ids[i].
    Returns (kept indices, {reason: [ids]}) with reasons "no output", "empty", "low confidence";
    every index is either kept or named under exactly one reason."""
    kept, left = [], {"no output": [], "empty": [], "low confidence": []}
    for i, (utt, text) in enumerate(zip(ids, texts)):
        if text is None:
            left["no output"].append(utt)
        elif not text:
            left["empty"].append(utt)
        elif min_confidence is not None and confidences[i] < min_confidence:
            left["low confidence"].append(utt)
        else:
            kept.append(i)
    return kept, left


def agreement(ref, hyp):
    """WER (%) of hyp labels against ref labels ({id: text}) on the ids both hold."""
    both = [u for u in ref if u in hyp]
    errors = words = 0
    for u in both:
        e, w = wer_counts(ref[u], hyp[u])
        errors, words = errors + e, words + w
    return {"utterances": len(both), "errors": errors, "ref_words": words,
            "wer": round(100.0 * errors / words, 2) if words else None}


def subselect(part, rows, texts, list_name):
    """The rows (indices into `part`, a stage-04 feature dict) as a part of their own, in the given
    order, with `texts` filled in. Offsets are rebuilt over the new feature tensor; copy and seed stay
    the source's, `source` names the source list and `source_rows` the rows taken from it."""
    if len(rows) != len(texts):
        raise ValueError(f"{len(rows)} rows but {len(texts)} texts")
    idx = torch.as_tensor(rows, dtype=torch.long)
    frames = part["frames"][idx].clone()
    offsets = starts(frames)
    total = int(frames.sum())
    pos = torch.repeat_interleave(part["offsets"][idx] - offsets, frames) + torch.arange(total)
    return {"list": list_name, "copy": part["copy"], "seed": part["seed"], "source": part["list"],
            "source_rows": idx, "ids": [part["ids"][i] for i in rows], "texts": list(texts),
            "speakers": [part["speakers"][i] for i in rows], "offsets": offsets, "frames": frames,
            "feats": part["feats"][pos].clone()}


# ----------------------------------------------------------------------------- list files

def read_tsv(path):
    """(column names, rows as dicts) of a recipe list, exactly as written (no path rewriting)."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    if not lines:
        raise ValueError(f"{path}:1: empty file, expected a header")
    cols = lines[0].split("\t")
    rows = []
    for n, line in enumerate(lines[1:], start=2):
        cells = line.split("\t")
        if len(cells) != len(cols):
            raise ValueError(f"{path}:{n}: {len(cells)} cells, the header has {len(cols)}")
        rows.append(dict(zip(cols, cells)))
    return cols, rows


def tsv_text(cols, rows):
    out = ["\t".join(cols)]
    for r in rows:
        cells = [str(r.get(c, "")) for c in cols]
        if any("\t" in c or "\n" in c for c in cells):
            raise ValueError(f"row {r.get('id')}: a cell holds a tab or newline")
        out.append("\t".join(cells))
    return "\n".join(out) + "\n"


def write_if_changed(path, text):
    """Write atomically, and only when the content differs (later stages key on the file's mtime)."""
    path = Path(path)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return True


# ----------------------------------------------------------------------------- pocketsphinx

def ps_paths(model_dir=PS_MODEL):
    model_dir = Path(model_dir)
    return {"batch": PS_BATCH, "hmm": str(model_dir / "en-us"), "lm": str(model_dir / "en-us.lm.bin"),
            "dict": str(model_dir / "cmudict-en-us.dict")}


def write_wav(path, samples):
    """int16 samples -> 16 kHz mono 16-bit WAV with the plain 44-byte header (pocketsphinx -adchdr 44)."""
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(samples.numpy().astype("<i2").tobytes())


def run_pocketsphinx(wav_dir, uttids, out_dir, jobs, paths):
    """Decode wav_dir/<uttid>.wav with `jobs` pocketsphinx_batch processes over contiguous slices of the
    utterances; out_dir gets hyp.txt (the slices' hyp files in order) and log.<j>.txt. Returns wall seconds."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    jobs = max(1, min(jobs, len(uttids)))
    size = -(-len(uttids) // jobs)
    procs = []
    t0 = time.time()
    for j in range(jobs):
        ctl = Path(wav_dir) / f"ctl.{j}.txt"
        ctl.write_text("".join(u + "\n" for u in uttids[j * size:(j + 1) * size]))
        cmd = [paths["batch"], "-adcin", "yes", "-adchdr", "44", "-cepdir", str(wav_dir), "-cepext", ".wav",
               "-ctl", str(ctl), "-hmm", paths["hmm"], "-lm", paths["lm"], "-dict", paths["dict"],
               "-hyp", str(Path(wav_dir) / f"hyp.{j}.txt"), "-logfn", str(out_dir / f"log.{j}.txt")]
        procs.append((j, subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)))
    failed = []
    for j, proc in procs:
        _, err = proc.communicate()
        if proc.returncode != 0:
            failed.append(f"part {j} exited {proc.returncode} (see {out_dir / f'log.{j}.txt'}): {err.decode(errors='replace')[-300:]}")
    wall = time.time() - t0
    if failed:
        raise RuntimeError("; ".join(failed))
    hyp = "".join((Path(wav_dir) / f"hyp.{j}.txt").read_text() for j in range(jobs))
    tmp = out_dir / "hyp.txt.tmp"
    tmp.write_text(hyp)
    tmp.replace(out_dir / "hyp.txt")
    return wall
