"""All of a list's audio as one int16 tensor with offsets: one decode per session, then
batches are gathered in memory (or in GPU memory), so epochs never touch the disk."""
import csv
import multiprocessing as mp
from pathlib import Path

import numpy as np
import torch

from . import audio
from .ragged import gather_padded, starts
from .text import encode


def read_list(path):
    """Rows of a recipe list (corpus manifest format; audio relative to the list or absolute)."""
    rows = []
    with open(path, newline="") as fh:
        for i, row in enumerate(csv.DictReader(fh, delimiter="\t"), start=2):
            audio_path = Path(row["audio"])
            if not audio_path.is_absolute():
                audio_path = Path(path).parent / audio_path
            row["audio"] = str(audio_path)
            row["_line"] = i
            rows.append(row)
    return rows


def _decode(path):
    wav = audio.load(path)
    return np.clip(np.round(wav * 32767.0), -32768, 32767).astype(np.int16)


class WavBank:
    def __init__(self, ids, texts, offsets, lengths, samples, speakers):
        self.ids, self.texts, self.speakers = ids, texts, speakers
        self.offsets, self.lengths, self.samples = offsets, lengths, samples

    @classmethod
    def build(cls, list_path, jobs=2, require_text=True):
        rows = read_list(list_path)
        for row in rows:
            if not Path(row["audio"]).exists():
                raise ValueError(f"{list_path}:{row['_line']}: row {row['id']}: audio {row['audio']} is missing")
            if require_text:
                try:
                    encode(row["text"])
                except ValueError as exc:
                    raise ValueError(f"{list_path}:{row['_line']}: row {row['id']}: {exc}") from None
        with mp.Pool(jobs) as pool:
            wavs = pool.map(_decode, [r["audio"] for r in rows], chunksize=16)
        lengths = torch.tensor([len(w) for w in wavs], dtype=torch.long)
        offsets = starts(lengths)
        samples = torch.from_numpy(np.concatenate(wavs)) if wavs else torch.zeros(0, dtype=torch.int16)
        return cls([r["id"] for r in rows], [r.get("text", "") for r in rows], offsets, lengths, samples, [r.get("speaker", "") for r in rows])

    @classmethod
    def cached(cls, list_path, cache_path, jobs=2, require_text=True):
        cache_path = Path(cache_path)
        if cache_path.exists() and cache_path.stat().st_mtime >= Path(list_path).stat().st_mtime:
            d = torch.load(cache_path)
            return cls(d["ids"], d["texts"], d["offsets"], d["lengths"], d["samples"], d["speakers"])
        bank = cls.build(list_path, jobs, require_text)
        cache_path.parent.mkdir(parents=True, exist_ok=True)
        torch.save(bank.__dict__, cache_path)
        return bank

    def __len__(self):
        return len(self.ids)

    def hours(self):
        return float(self.lengths.sum()) / 16000 / 3600

    def to(self, device):
        self.samples = self.samples.to(device)
        return self

    def batch(self, idx, device):
        """Float waveforms [B, Nmax] in [-1, 1] and lengths, for bank indices idx (one gather, no Python loop)."""
        samples, valid, lengths = gather_padded(self.samples, self.offsets, self.lengths, idx, torch.device(device))
        out = samples.float() / 32768.0
        return out * valid, lengths


def concat(banks):
    """One bank over several. Offsets are each bank's own offsets moved by the samples before it:
    a bank decoded from a stream can hold more samples than its utterances (codec tail), so
    offsets must never be rebuilt from the lengths alone (that misaligned audio and text in the
    first GPU run)."""
    ids, texts, speakers, lens, offs, samples = [], [], [], [], [], []
    base = 0
    for b in banks:
        ids += b.ids
        texts += b.texts
        speakers += b.speakers
        lens.append(b.lengths)
        offs.append(b.offsets + base)
        samples.append(b.samples)
        base += len(b.samples)
    return WavBank(ids, texts, torch.cat(offs), torch.cat(lens), torch.cat(samples), speakers)


def from_stream(opus_path, index_path):
    """A bank carried as one Opus stream plus index (device/pack_audio.py), decoded with one opusdec call."""
    import os
    import subprocess

    raw = subprocess.run([os.environ.get("HUSH_OPUSDEC", "opusdec"), "--quiet", "--rate", "16000", str(opus_path), "-"],
                         check=True, stdout=subprocess.PIPE).stdout
    samples = torch.from_numpy(np.frombuffer(raw, dtype="<i2").copy())
    ids, texts, speakers, offsets, lengths = [], [], [], [], []
    with open(index_path, newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            ids.append(row["id"])
            texts.append(row["text"] or "")
            speakers.append(row["speaker"])
            offsets.append(int(row["offset"]))
            lengths.append(int(row["length"]))
    offsets, lengths = torch.tensor(offsets), torch.tensor(lengths)
    if len(samples) < int((offsets + lengths).max()):  # the codec may return a few samples fewer at the very end
        samples = torch.cat([samples, torch.zeros(int((offsets + lengths).max()) - len(samples), dtype=samples.dtype)])
    return WavBank(ids, texts, offsets, lengths, samples, speakers)


def load_named(name, data_dir, jobs=2, require_text=True):
    """A recipe list by name: a carried stream (data/streams/NAME.opus) where present, else data/lists/NAME.tsv
    through the decode cache. Returns None when neither exists. Refuses bad rows with the row named."""
    streams = Path(data_dir) / "streams"
    if (streams / f"{name}.opus").exists():
        cache = Path(data_dir) / "cache" / f"{name}.stream.pt"
        if cache.exists():
            d = torch.load(cache)
            return WavBank(d["ids"], d["texts"], d["offsets"], d["lengths"], d["samples"], d["speakers"])
        bank = from_stream(streams / f"{name}.opus", streams / f"{name}.index.tsv")
        cache.parent.mkdir(parents=True, exist_ok=True)
        torch.save(bank.__dict__, str(cache) + ".tmp")
        Path(str(cache) + ".tmp").replace(cache)
        return bank
    path = Path(data_dir) / "lists" / f"{name}.tsv"
    if not path.exists():
        return None
    return WavBank.cached(path, Path(data_dir) / "cache" / f"{name}.pt", jobs, require_text)
