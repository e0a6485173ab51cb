"""Synthetic meeting speech from Debian's TTS voices (flite, festival, espeak-ng).

Pieces used by stages/01_synthesize.py:
- text: normalisation to the 29 symbols (numbers spelled out), a TTS-safety filter
  (LM vocabulary, no hums the engines would spell out), and :class:`ExclusionFilter`,
  which refuses any sentence that reads (or is read inside) a dev/eval sentence of 4+ words;
- the sentence pool: meetings.txt.gz (templated sentences down-weighted) plus spans of
  consecutive AMI transcript sentences of one speaker;
- a deterministic plan (seeded): utterance id, voice, rate, pitch, text;
- engines: one call per utterance for flite / espeak-ng, batched festival scripts;
  post-processing to 16 kHz mono, edge-trimmed, level-normalised Ogg Opus.

Binaries are overridable: $HUSH_FLITE, $HUSH_FESTIVAL, $HUSH_ESPEAK (default: PATH),
$HUSH_FESTIVAL_LIBDIR (festival --libdir), and espeak-ng's own $ESPEAK_DATA_PATH.
"""
from __future__ import annotations

import gzip
import hashlib
import math
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import numpy as np

from . import manifest as M

SR = 16000

# ----------------------------------------------------------------------------- text

_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
         "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_ORD = {"one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth",
        "nine": "ninth", "twelve": "twelfth"}


def number_words(n: int) -> str:
    """Cardinal English words for 0 <= n < 10**12."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    if n < 1000:
        rest = n % 100
        return _ONES[n // 100] + " hundred" + ("" if rest == 0 else " " + number_words(rest))
    for size, name in ((10 ** 9, "billion"), (10 ** 6, "million"), (1000, "thousand")):
        if n >= size:
            rest = n % size
            return number_words(n // size) + " " + name + ("" if rest == 0 else " " + number_words(rest))
    raise ValueError(n)


def ordinal_words(n: int) -> str:
    words = number_words(n).split()
    last = words[-1]
    if last in _ORD:
        words[-1] = _ORD[last]
    elif last.endswith("y"):
        words[-1] = last[:-1] + "ieth"
    else:
        words[-1] = last + "th"
    return " ".join(words)


def _spell_number(tok: str) -> str:
    m = re.fullmatch(r"(\d+)(st|nd|rd|th)", tok)
    if m:
        return ordinal_words(int(m.group(1)))
    if re.fullmatch(r"\d+\.\d+", tok):
        a, b = tok.split(".")
        return number_words(int(a)) + " point " + " ".join(_ONES[int(d)] for d in b)
    if re.fullmatch(r"\d+", tok):
        n = int(tok)
        if len(tok) == 4 and 1100 <= n <= 2099 and n % 100 != 0 and not (2000 <= n <= 2009):
            return number_words(n // 100) + " " + (("oh " + _ONES[n % 100]) if n % 100 < 10
                                                    else number_words(n % 100))
        if n >= 10 ** 12:
            return " ".join(_ONES[int(d)] for d in tok)
        return number_words(n)
    return tok


def normalize_text(s: str) -> str:
    """Lowercase, numbers spelled out, only a-z, apostrophe and single spaces."""
    s = s.lower().replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    s = s.replace("%", " percent ").replace("&", " and ").replace("+", " plus ")
    s = re.sub(r"(\d),(\d{3})", r"\1\2", s)
    s = re.sub(r"\$(\d+(?:\.\d+)?)", r"\1 dollars", s)
    s = re.sub(r"[-_/]", " ", s)
    s = re.sub(r"(\d+(?:st|nd|rd|th)?|\d+\.\d+)", lambda m: " " + m.group(1) + " ", s)
    toks = []
    for tok in s.split():
        tok = _spell_number(tok) if re.search(r"\d", tok) else tok
        tok = re.sub(r"[^a-z' ]", "", tok)
        if tok.startswith("'") and tok.endswith("'"):   # a quoted word; keep 'cause, students'
            tok = tok.strip("'")
        if tok:
            toks.append(tok)
    return " ".join(" ".join(toks).split())


# Tokens the engines spell out or mispronounce ("mm" -> "em em"): a sentence with one is not used.
TTS_BAD_TOKENS = frozenset({"mm", "mmm", "hmm", "hm", "mhm", "mm-hmm", "um-hum", "uh-huh", "erm", "er",
                            "ehm", "uhm", "ach", "huh-uh", "tsk", "shh", "sh", "psst"})


def load_lm_vocab(arpa_gz: Path) -> frozenset:
    """Unigram vocabulary of an ARPA LM (only the 1-gram section is read)."""
    vocab = set()
    with gzip.open(arpa_gz, "rt", encoding="utf-8") as f:
        in1 = False
        for line in f:
            if line.startswith("\\1-grams:"):
                in1 = True
                continue
            if in1:
                if line.startswith("\\"):
                    break
                parts = line.split("\t")
                if len(parts) >= 2:
                    vocab.add(parts[1].strip())
    return frozenset(vocab)


def tts_problem(text: str, vocab: Optional[frozenset] = None) -> Optional[str]:
    """Why a (normalised) sentence is unsuitable for TTS, or None."""
    if M.text_problem(text) or not text:
        return "symbols"
    words = text.split()
    for i, w in enumerate(words):
        if w in TTS_BAD_TOKENS:
            return "filler"
        if len(w) == 1 and w not in ("a", "i"):
            # single letters only inside spelled sequences ("l c d"), else a cut-off fragment
            left = i > 0 and len(words[i - 1]) == 1
            right = i + 1 < len(words) and len(words[i + 1]) == 1
            if not (left or right):
                return "fragment"
            continue
        if vocab is not None and w not in vocab:
            return "oov"
    return None


class ExclusionFilter:
    """Refuses a candidate that equals, is contained in, or contains (on word boundaries)
    any protected sentence of at least ``min_words`` words (dev/eval transcripts)."""

    def __init__(self, protected: Iterable[str], min_words: int = 4):
        self.min_words = min_words
        self.full: Dict[Tuple[str, ...], List[Tuple[str, ...]]] = {}   # first n-gram -> sentences
        self.spans = set()   # every contiguous >= min_words span of a protected sentence
        self.count = 0
        for s in protected:
            w = tuple(s.split())
            if len(w) < min_words:
                continue
            self.count += 1
            self.full.setdefault(w[:min_words], []).append(w)
            for i in range(len(w)):
                for j in range(i + min_words, len(w) + 1):
                    self.spans.add(w[i:j])

    def excluded(self, text: str) -> bool:
        w = tuple(text.split())
        n = self.min_words
        if len(w) >= n and w in self.spans:       # candidate read inside a protected sentence
            return True
        for i in range(len(w) - n + 1):           # a protected sentence read inside the candidate
            for s in self.full.get(w[i:i + n], ()):
                if w[i:i + len(s)] == s:
                    return True
        return False


def dev_texts(lists_dir: Path, shared: Path) -> List[str]:
    """Every dev/eval transcript we know: the lists' dev_*.tsv and each corpus's dev.tsv."""
    out = []
    paths = sorted(Path(lists_dir).glob("dev_*.tsv")) + sorted((Path(shared) / "data" / "corpora").glob("*/dev.tsv"))
    for p in paths:
        if p.name == "dev_synth_slt.tsv":
            continue
        for r in M.read_manifest(p, check_audio=False):
            if r.text:
                out.append(r.text)
    return out


# ----------------------------------------------------------------------------- sentence pool

TEMPLATED_COUNT = 30000   # meetings.txt.gz: the last 30,000 lines are templated (text/SOURCE.md)


@dataclass
class Sentence:
    text: str
    source: str      # ami | cv_tm4 | templated | ami_span
    weight: float


def _stable_u(key: str, seed: int) -> float:
    h = hashlib.sha1(f"{seed}:{key}".encode()).digest()
    return (int.from_bytes(h[:8], "big") + 0.5) / 2.0 ** 64


def read_meetings(path: Path) -> List[Tuple[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        lines = [l.rstrip("\n") for l in f]
    lines = [l for l in lines if l.strip()]
    n = len(lines)
    start_t = n - TEMPLATED_COUNT
    if start_t < 0 or not lines[start_t].startswith("action item for"):
        # layout changed: fall back to "the sorted suffix" heuristic
        start_t = n - 1
        while start_t > 0 and lines[start_t - 1] <= lines[start_t]:
            start_t -= 1
    return [(l, "templated" if i >= start_t else "meet") for i, l in enumerate(lines)]


def read_ami_blocks(path: Path) -> List[List[str]]:
    """Consecutive sentences per (meeting, speaker) block, in transcript order."""
    blocks: Dict[Tuple[str, str], List[str]] = {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        header = f.readline()
        if not header.startswith("meeting"):
            raise ValueError(f"{path}: unexpected header {header!r}")
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 3:
                continue
            blocks.setdefault((parts[0], parts[1]), []).append(parts[2])
    return list(blocks.values())


def ami_spans(blocks: List[List[str]], seed: int, min_words=8, max_words=28) -> List[str]:
    """Join consecutive sentences of one speaker into spans of about min..max words
    (a longer, meeting-like turn). Deterministic by seed."""
    rng = np.random.default_rng(seed)
    out = []
    for block in blocks:
        cur: List[str] = []
        target = int(rng.integers(min_words, max_words + 1))
        for s in block:
            w = s.split()
            if not w:
                continue
            if cur and len(cur) + len(w) > max_words:
                if len(cur) >= min_words:
                    out.append(" ".join(cur))
                cur = []
                target = int(rng.integers(min_words, max_words + 1))
            cur += w
            if len(cur) >= target:
                out.append(" ".join(cur))
                cur = []
                target = int(rng.integers(min_words, max_words + 1))
        if len(cur) >= min_words:
            out.append(" ".join(cur))
    return out


@dataclass
class PoolStats:
    read: int = 0
    normalised_changed: int = 0
    rejected: Dict[str, int] = None

    def __post_init__(self):
        self.rejected = self.rejected or {}


def build_pool(meetings: Path, ami: Path, vocab: Optional[frozenset], exclusion: ExclusionFilter,
               seed: int, n_heldout: int, templated_weight: float = 0.15,
               short_weight: float = 0.3, max_words: int = 40):
    """Returns (train_pool: list[Sentence], heldout: list[str], stats).

    Held-out sentences (for the slt dev set) are drawn first, deterministically, from
    5..20-word non-templated meeting sentences; every training candidate that equals,
    contains or is contained in a held-out or dev sentence is refused."""
    stats = PoolStats()
    cands: List[Sentence] = []
    seen = set()

    def add(raw, source, weight):
        stats.read += 1
        text = normalize_text(raw)
        if text != raw:
            stats.normalised_changed += 1
        why = tts_problem(text, vocab)
        if why is None and len(text.split()) > max_words:
            why = "too_long"
        if why is None and text in seen:
            why = "duplicate"
        if why is None and exclusion.excluded(text):
            why = "dev_text"
        if why:
            stats.rejected[why] = stats.rejected.get(why, 0) + 1
            return
        seen.add(text)
        nw = len(text.split())
        w = weight * (short_weight if nw < 3 else 1.0)
        cands.append(Sentence(text, source, w))

    for line, src in read_meetings(meetings):
        add(line, src, templated_weight if src == "templated" else 1.0)
    for span in ami_spans(read_ami_blocks(ami), seed):
        add(span, "ami_span", 1.0)

    # held-out sentences for the slt dev set
    eligible = [c for c in cands if c.source == "meet" and 5 <= len(c.text.split()) <= 20]
    eligible.sort(key=lambda c: _stable_u("heldout:" + c.text, seed))
    heldout = [c.text for c in eligible[:n_heldout]]
    hold = ExclusionFilter(heldout, min_words=4)
    hs = set(heldout)
    train = []
    for c in cands:
        if c.text in hs or hold.excluded(c.text):
            stats.rejected["heldout_overlap" if c.text not in hs else "heldout"] = \
                stats.rejected.get("heldout_overlap" if c.text not in hs else "heldout", 0) + 1
            continue
        train.append(c)
    return train, heldout, stats


# ----------------------------------------------------------------------------- voices

ESPEAK_BASES = ["en-us", "en", "en-gb-x-rp", "en-gb-scotland", "en-gb-x-gbclan", "en-gb-x-gbcwmd",
                "en-029", "en-us-nyc"]
ESPEAK_VARIANTS = ["m1", "m2", "m3", "m4", "m5", "m6", "m7", "f1", "f2", "f3", "f4", "f5",
                   "klatt", "klatt3", "klatt4", "linda", "steph", "robert", "max", "paul"]


@dataclass(frozen=True)
class Voice:
    name: str        # directory / speaker name part
    engine: str      # flite | festival | espeak
    arg: str         # flite voice, festival voice function, espeak voice
    f0: float        # nominal mean F0 in Hz (flite/festival pitch control)
    weight: float    # share of training utterances (espeak weight is split over its combos)
    resample_pitch: bool = False   # engine ignores F0 targets: shift pitch (and formants) by resampling


TRAIN_VOICES = [
    Voice("flite_kal", "flite", "kal", 105, 0.05),
    Voice("flite_kal16", "flite", "kal16", 105, 0.10),
    Voice("flite_awb", "flite", "awb", 110, 0.12),
    Voice("flite_rms", "flite", "rms", 100, 0.12, resample_pitch=True),
    Voice("festival_kal_diphone", "festival", "voice_kal_diphone", 105, 0.14),
    Voice("festival_ked_diphone", "festival", "voice_ked_diphone", 105, 0.14),
] + [Voice(f"espeak_{b}+{v}", "espeak", f"{b}+{v}", 0, 0.33 / (len(ESPEAK_BASES) * len(ESPEAK_VARIANTS)))
     for b in ESPEAK_BASES for v in ESPEAK_VARIANTS]

DEV_VOICES = [
    Voice("flite_slt", "flite", "slt", 170, 0.5),
    Voice("festival_us_slt_hts", "festival", "voice_cmu_us_slt_arctic_hts", 170, 0.5),
]
HELD_OUT_VOICE_ARGS = {"slt", "voice_cmu_us_slt_arctic_hts"}
assert not any(v.arg in HELD_OUT_VOICE_ARGS or "slt" in v.name for v in TRAIN_VOICES)

VOICE_BY_NAME = {v.name: v for v in TRAIN_VOICES + DEV_VOICES}


def voice_dir(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name)


@dataclass
class Item:
    id: str
    voice: str
    rate: float      # speaking-rate factor (1 = engine default; >1 faster)
    pitch: float     # flite/festival: mean F0 Hz; espeak: -p 0..99
    text: str
    source: str
    est_s: float = 0.0

    def engine(self) -> str:
        return VOICE_BY_NAME[self.voice].engine

    def rel_path(self) -> str:
        return f"{voice_dir(self.voice)}/{self.id}.opus"


WORDS_PER_S = 3.4   # nominal words per second at rate 1.0 (measured: 3.3-3.9 on flite/festival/espeak)


def estimate_seconds(text: str, rate: float) -> float:
    return len(text.split()) / (WORDS_PER_S * rate) + 0.4


def sample_params(v: Voice, rng: np.random.Generator) -> Tuple[float, float]:
    rate = float(np.round(rng.uniform(0.8, 1.25), 3))
    if v.engine == "espeak":
        pitch = float(int(rng.integers(25, 76)))
    elif v.resample_pitch:
        pitch = float(np.round(v.f0 * (0.85 + 0.05 * int(rng.integers(0, 8))), 1))
    else:
        pitch = float(np.round(v.f0 * rng.uniform(0.8, 1.3), 1))
    return rate, pitch


def make_plan(pool: Sequence[Sentence], hours: float, seed: int, voices=TRAIN_VOICES,
              prefix: str = "synth", max_items: Optional[int] = None) -> List[Item]:
    """Weighted random order of the pool (Efraimidis-Spirakis keys) until the estimated duration
    reaches ``hours``. Each sentence's voice, rate and pitch come from an rng seeded by the sentence
    itself, and the id is a hash of what is spoken, so a sentence added to or removed from the pool
    changes nothing else (already synthesised files stay valid), and the plan is prefix-stable in
    ``hours``. The pool is reused (with new voices) if exhausted."""
    keys = np.array([_stable_u("order:" + s.text, seed) ** (1.0 / max(s.weight, 1e-6)) for s in pool])
    order = np.argsort(-keys, kind="stable")
    vw = np.array([v.weight for v in voices])
    vw = vw / vw.sum()
    plan, total, k = [], 0.0, 0
    target = hours * 3600.0
    n = len(order)
    while total < target and n and (max_items is None or k < max_items):
        s = pool[order[k % n]]
        rnd = k // n
        key = f"{rnd}:{s.text}" if rnd else s.text
        rng = np.random.default_rng([seed, int.from_bytes(hashlib.sha1(key.encode()).digest()[:8], "big")])
        v = voices[int(rng.choice(len(voices), p=vw))]
        rate, pitch = sample_params(v, rng)
        est = estimate_seconds(s.text, rate)
        h = hashlib.sha1(f"{key}|{v.name}|{rate}|{pitch}".encode()).hexdigest()[:10]
        plan.append(Item(f"{prefix}_{voice_dir(v.name)}_{h}", v.name, rate, pitch, s.text, s.source, est))
        total += est
        k += 1
    return plan


# ----------------------------------------------------------------------------- engines

def tool(env: str, default: str) -> str:
    exe = os.environ.get(env) or shutil.which(default) or default
    return exe


def flite_cmd(it: Item, out_wav: str) -> List[str]:
    v = VOICE_BY_NAME[it.voice]
    stretch = pitch_factor(it) / it.rate if v.resample_pitch else 1.0 / it.rate
    return [tool("HUSH_FLITE", "flite"), "-voice", v.arg,
            "--setf", f"duration_stretch={stretch:.4f}",
            "--setf", f"int_f0_target_mean={it.pitch:.1f}",
            "-t", it.text, "-o", out_wav]


def pitch_factor(it: Item) -> float:
    """For resample_pitch voices: requested F0 / nominal F0, limited to 0.85..1.2 (formants move too)."""
    v = VOICE_BY_NAME[it.voice]
    a = min(1.2, max(0.85, it.pitch / v.f0))
    return round(a * 20) / 20   # steps of 0.05 keep the resampling ratio small (16000 * a / 800)


def espeak_cmd(it: Item, out_wav: str) -> List[str]:
    v = VOICE_BY_NAME[it.voice]
    return [tool("HUSH_ESPEAK", "espeak-ng"), "-v", v.arg, "-s", str(int(round(165 * it.rate))),
            "-p", str(int(it.pitch)), "-w", out_wav, it.text]


def festival_script(items: Sequence[Item], wavs: Sequence[str]) -> str:
    v = VOICE_BY_NAME[items[0].voice]
    lines = [f"({v.arg})"]
    for it, w in zip(items, wavs):
        assert VOICE_BY_NAME[it.voice].arg == v.arg
        assert '"' not in it.text and "\\" not in it.text
        lines.append(
            "(unwind-protect (begin "
            f"(Parameter.set 'Duration_Stretch {1.0 / it.rate:.4f}) "
            f"(set! int_lr_params '((target_f0_mean {it.pitch:.1f}) (target_f0_std {it.pitch * 0.14:.1f}) "
            "(model_f0_mean 170) (model_f0_std 34))) "
            f"(utt.save.wave (utt.synth (Utterance Text \"{it.text}\")) \"{w}\" 'riff)) nil)")
    return "\n".join(lines) + "\n"


def festival_cmd(script_path: str) -> List[str]:
    cmd = [tool("HUSH_FESTIVAL", "festival")]
    if os.environ.get("HUSH_FESTIVAL_LIBDIR"):
        cmd += ["--libdir", os.environ["HUSH_FESTIVAL_LIBDIR"]]
    return cmd + ["--batch", script_path]


def _resample(x: np.ndarray, sr: int) -> np.ndarray:
    if sr == SR:
        return x
    from scipy.signal import resample_poly
    g = math.gcd(sr, SR)
    return resample_poly(x, SR // g, sr // g).astype(np.float32)


def postprocess(x: np.ndarray, sr: int, pad_s: float = 0.15) -> np.ndarray:
    """Resample to 16 kHz, trim edge silence (keep pad_s), RMS-normalise to about -20 dBFS."""
    x = _resample(np.asarray(x, dtype=np.float32), sr)
    if x.ndim > 1:
        x = x.mean(axis=1)
    if len(x) == 0:
        return x
    frame = 160
    n = len(x) // frame
    if n > 0:
        e = np.sqrt((x[: n * frame].reshape(n, frame) ** 2).mean(axis=1) + 1e-12)
        thr = max(e.max() * 10 ** (-45 / 20), 1e-4)
        voiced = np.nonzero(e > thr)[0]
        if len(voiced):
            pad = int(pad_s * SR)
            a = max(0, voiced[0] * frame - pad)
            b = min(len(x), (voiced[-1] + 1) * frame + pad)
            x = x[a:b]
    rms = float(np.sqrt(np.mean(x ** 2)) + 1e-9)
    x = x * (0.1 / rms)
    peak = float(np.abs(x).max())
    if peak > 0.95:
        x = x * (0.95 / peak)
    return x.astype(np.float32)


def write_opus(path: Path, x: np.ndarray) -> None:
    import soundfile as sf
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    sf.write(str(tmp), x, SR, format="OGG", subtype="OPUS")
    os.replace(tmp, path)


def synthesize_unit(items: Sequence[Item], out_root: str, timeout: float = 120.0) -> List[Tuple[str, float, str]]:
    """Synthesise a list of items (festival items must share one voice). Returns
    (id, duration_s, error) per item; duration is -1 on failure. Existing outputs are skipped."""
    import soundfile as sf
    out_root = Path(out_root)
    results = []
    todo = []
    for it in items:
        p = out_root / it.rel_path()
        if p.is_file():
            try:
                results.append((it.id, sf.info(str(p)).frames / SR, ""))
                continue
            except Exception:
                p.unlink()
        todo.append(it)
    if not todo:
        return results
    with tempfile.TemporaryDirectory(prefix="hush_synth_") as tmp:
        wavs = [os.path.join(tmp, f"{i}.wav") for i in range(len(todo))]
        errs = {}
        fest = [i for i, it in enumerate(todo) if it.engine() == "festival"]
        if fest:
            # group by voice, one festival process per voice group
            groups: Dict[str, List[int]] = {}
            for i in fest:
                groups.setdefault(todo[i].voice, []).append(i)
            for idx in groups.values():
                script = os.path.join(tmp, f"batch_{idx[0]}.scm")
                with open(script, "w") as f:
                    f.write(festival_script([todo[i] for i in idx], [wavs[i] for i in idx]))
                try:
                    r = subprocess.run(festival_cmd(script), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                       timeout=timeout * len(idx), cwd=tmp)
                    if r.returncode != 0:
                        for i in idx:
                            errs[i] = f"festival rc={r.returncode}: {r.stderr.decode(errors='replace')[-200:]}"
                except subprocess.TimeoutExpired:
                    for i in idx:
                        errs[i] = "festival timeout"
        for i, it in enumerate(todo):
            if it.engine() == "festival":
                continue
            cmd = flite_cmd(it, wavs[i]) if it.engine() == "flite" else espeak_cmd(it, wavs[i])
            try:
                r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=timeout)
                if r.returncode != 0:
                    errs[i] = f"{it.engine()} rc={r.returncode}: {r.stderr.decode(errors='replace')[-200:]}"
            except subprocess.TimeoutExpired:
                errs[i] = f"{it.engine()} timeout"
        for i, it in enumerate(todo):
            if i in errs:
                results.append((it.id, -1.0, errs[i]))
                continue
            try:
                x, sr = sf.read(wavs[i], dtype="float32")
            except Exception as e:
                results.append((it.id, -1.0, f"no/unreadable output: {e}"))
                continue
            if VOICE_BY_NAME[it.voice].resample_pitch:
                sr = int(round(sr * pitch_factor(it)))   # play back faster/slower: pitch x factor
            y = postprocess(x, sr)
            dur = len(y) / SR
            # guards against silent / truncated output (fast espeak reads ~6 words/s)
            min_dur = min(0.1 * len(it.text.split()), 0.6) + 0.2
            if dur < min_dur or dur > M.MAX_DURATION_S:
                results.append((it.id, -1.0, f"implausible duration {dur:.2f}s for {len(it.text.split())} words"))
                continue
            write_opus(out_root / it.rel_path(), y)
            results.append((it.id, dur, ""))
    return results
