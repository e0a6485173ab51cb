"""Manifest reader / validator / writer, plus the small stage helpers (logging,
done-markers) that every data stage of the recipe uses.

Manifest format (README of ../shared): tab-separated, header
``id  audio  duration_s  speaker  text`` (+ optional extra columns), one row per
utterance. ``text`` is lowercase a-z, apostrophe and single spaces, empty when the
audio is untranscribed. Lists written under ``models/training/data/lists/`` carry
absolute audio paths.

Every problem is a :class:`ManifestError` whose message names the file, the line
number and the utterance id, so a refusal can be fixed at its source.
"""
from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence

COLUMNS = ["id", "audio", "duration_s", "speaker", "text"]
ALPHABET = frozenset(" abcdefghijklmnopqrstuvwxyz'")
_TEXT_RE = re.compile(r"[a-z']+(?: [a-z']+)*")
_ID_RE = re.compile(r"[A-Za-z0-9_.+\-]+")
MAX_DURATION_S = 60.0  # longer rows are suspicious for utterance-level manifests
DURATION_TOLERANCE_S = 0.05

TRAINING_ROOT = Path(__file__).resolve().parents[1]          # models/training
DATA_DIR = TRAINING_ROOT / "data"
LISTS_DIR = DATA_DIR / "lists"
LOGS_DIR = TRAINING_ROOT / "logs"
REPO_ROOT = TRAINING_ROOT.parents[1]


def _find_shared() -> Path:
    """$HUSH_SHARED, else ../shared beside the repository, else <repo>/shared."""
    if os.environ.get("HUSH_SHARED"):
        return Path(os.environ["HUSH_SHARED"])
    for cand in (REPO_ROOT.parent / "shared", REPO_ROOT / "shared"):
        if (cand / "data").is_dir():
            return cand
    return REPO_ROOT.parent / "shared"


SHARED_DIR = _find_shared()


class ManifestError(ValueError):
    """An inconsistent manifest row: the message names file, line and id."""

    def __init__(self, path, line: Optional[int], utt_id: Optional[str], problem: str):
        self.path, self.line, self.utt_id, self.problem = str(path), line, utt_id, problem
        where = f"{path}"
        if line is not None:
            where += f", line {line}"
        if utt_id:
            where += f", id {utt_id!r}"
        super().__init__(f"{where}: {problem}")


@dataclass
class Row:
    id: str
    audio: str            # absolute path once read through read_manifest
    duration: float
    speaker: str
    text: str
    extra: Dict[str, str] = field(default_factory=dict)
    source: str = ""      # "<file>:<line>" for error messages
    line: Optional[int] = None

    def words(self) -> List[str]:
        return self.text.split()


# --------------------------------------------------------------------------- text

def text_problem(text: str) -> Optional[str]:
    """None if ``text`` is a valid transcript (or empty), else what is wrong."""
    if text == "":
        return None
    bad = sorted(set(text) - ALPHABET)
    if bad:
        return "transcript has symbols outside the 29 (space, a-z, apostrophe): " + \
            " ".join(repr(c) for c in bad)
    if not _TEXT_RE.fullmatch(text):
        return "transcript has leading/trailing/double spaces"
    return None


def sentence_key(text: str) -> str:
    """Canonical form used for dev/eval text overlap checks."""
    return " ".join(text.split())


# --------------------------------------------------------------------------- read

def read_manifest(path, *, check_audio: bool = True, check_duration: bool = True,
                  require_text: bool = False, base: Optional[Path] = None,
                  allow_extra: bool = True) -> List[Row]:
    """Read and validate one manifest; refuse (ManifestError) on the first bad row.

    Audio paths are resolved against ``base`` (default: the manifest's folder).
    ``check_duration`` compares ``duration_s`` with the audio file's real length.
    """
    path = Path(path)
    base = Path(base) if base is not None else path.parent
    if not path.is_file():
        raise ManifestError(path, None, None, "manifest file is missing")
    with open(path, encoding="utf-8", newline="") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines:
        raise ManifestError(path, 1, None, "empty file (no header)")
    header = lines[0].split("\t")
    if header[:5] != COLUMNS:
        raise ManifestError(path, 1, None, f"bad header {header!r}, expected {COLUMNS!r} first")
    extra_cols = header[5:]
    if not allow_extra and extra_cols:
        raise ManifestError(path, 1, None, f"unexpected extra columns {extra_cols!r}")
    rows: List[Row] = []
    seen: Dict[str, int] = {}
    for lineno, line in enumerate(lines[1:], start=2):
        cells = line.split("\t")
        utt = cells[0] if cells else None
        if line.strip() == "":
            raise ManifestError(path, lineno, None, "blank line")
        if len(cells) != len(header):
            raise ManifestError(path, lineno, utt, f"{len(cells)} columns, header has {len(header)}")
        utt, audio, dur_s, spk, text = cells[:5]
        if not _ID_RE.fullmatch(utt):
            raise ManifestError(path, lineno, utt, "bad utterance id")
        if utt in seen:
            raise ManifestError(path, lineno, utt, f"duplicate id (first on line {seen[utt]})")
        seen[utt] = lineno
        if not spk or any(c.isspace() for c in spk):
            raise ManifestError(path, lineno, utt, f"bad speaker {spk!r}")
        try:
            dur = float(dur_s)
        except ValueError:
            raise ManifestError(path, lineno, utt, f"bad duration {dur_s!r}") from None
        if not math.isfinite(dur) or dur <= 0 or dur > MAX_DURATION_S:
            raise ManifestError(path, lineno, utt, f"bad duration {dur_s!r} (must be in (0, {MAX_DURATION_S}] s)")
        problem = text_problem(text)
        if problem:
            raise ManifestError(path, lineno, utt, problem)
        if require_text and text == "":
            raise ManifestError(path, lineno, utt, "empty transcript in a list that must be transcribed")
        apath = Path(audio)
        if not apath.is_absolute():
            apath = base / apath
        apath = Path(os.path.normpath(apath))
        if check_audio:
            if not apath.is_file():
                raise ManifestError(path, lineno, utt, f"missing audio file {apath}")
            if check_duration:
                real = audio_duration(apath, path, lineno, utt)
                if abs(real - dur) > DURATION_TOLERANCE_S:
                    raise ManifestError(path, lineno, utt,
                                        f"bad duration {dur_s} s: audio file {apath} lasts {real:.3f} s")
        rows.append(Row(utt, str(apath), dur, spk, text,
                        dict(zip(extra_cols, cells[5:])), f"{path}:{lineno}", lineno))
    return rows


def audio_duration(apath, manifest=None, line=None, utt=None) -> float:
    import soundfile as sf
    try:
        info = sf.info(str(apath))
    except Exception as e:  # unreadable / corrupt
        raise ManifestError(manifest or apath, line, utt, f"unreadable audio {apath}: {e}") from None
    if info.samplerate != 16000 or info.channels != 1:
        raise ManifestError(manifest or apath, line, utt,
                            f"audio {apath} is {info.samplerate} Hz x{info.channels}, expected 16 kHz mono")
    return info.frames / info.samplerate


# --------------------------------------------------------------------------- checks

def check_unique_ids(lists: Dict[str, Sequence[Row]]) -> None:
    """Refuse an id that occurs in two lists (or twice in one)."""
    seen: Dict[str, str] = {}
    for name, rows in lists.items():
        for r in rows:
            if r.id in seen:
                raise ManifestError(r.source.rsplit(":", 1)[0] or name, r.line, r.id,
                                    f"duplicate id (also at {seen[r.id]})")
            seen[r.id] = r.source or name


def check_speaker_disjoint(train: Dict[str, Sequence[Row]], dev: Dict[str, Sequence[Row]]) -> None:
    """Refuse any dev speaker who appears in a training list; name the training row."""
    dev_spk: Dict[str, str] = {}
    for name, rows in dev.items():
        for r in rows:
            dev_spk.setdefault(r.speaker, r.source or name)
    for name, rows in train.items():
        for r in rows:
            if r.speaker in dev_spk:
                raise ManifestError(r.source.rsplit(":", 1)[0] or name, r.line, r.id,
                                    f"dev speaker {r.speaker!r} appears in training list {name} "
                                    f"(dev row {dev_spk[r.speaker]})")


def check_text_disjoint(train: Dict[str, Sequence[Row]], dev: Dict[str, Sequence[Row]],
                        min_words: int = 4) -> None:
    """Refuse a training utterance that reads a dev sentence of >= min_words words."""
    dev_text: Dict[str, str] = {}
    for name, rows in dev.items():
        for r in rows:
            if len(r.words()) >= min_words:
                dev_text.setdefault(sentence_key(r.text), r.source or name)
    for name, rows in train.items():
        for r in rows:
            k = sentence_key(r.text)
            if k in dev_text:
                raise ManifestError(r.source.rsplit(":", 1)[0] or name, r.line, r.id,
                                    f"training text is a dev sentence ({dev_text[k]}): {r.text!r}")


# --------------------------------------------------------------------------- write

def write_manifest(path, rows: Iterable[Row], extra_cols: Sequence[str] = ()) -> int:
    """Atomically write rows (absolute audio paths kept as given). Returns the count."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    n = 0
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        f.write("\t".join(COLUMNS + list(extra_cols)) + "\n")
        for r in rows:
            cells = [r.id, str(r.audio), f"{r.duration:.3f}", r.speaker, r.text]
            cells += [str(r.extra.get(c, "")) for c in extra_cols]
            for c in cells:
                if "\t" in c or "\n" in c:
                    raise ManifestError(path, None, r.id, f"cell with tab/newline: {c!r}")
            f.write("\t".join(cells) + "\n")
            n += 1
    os.replace(tmp, path)
    return n


def total_hours(rows: Iterable[Row]) -> float:
    return sum(r.duration for r in rows) / 3600.0


# --------------------------------------------------------------------------- stage helpers

def stage_logger(name: str) -> logging.Logger:
    """Logger writing to models/training/logs/<name>.log (appending) and stdout."""
    LOGS_DIR.mkdir(parents=True, exist_ok=True)
    log = logging.getLogger(name)
    if not log.handlers:
        log.setLevel(logging.INFO)
        fmt = logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s", "%Y-%m-%d %H:%M:%S")
        for h in (logging.FileHandler(LOGS_DIR / f"{name}.log"), logging.StreamHandler(sys.stdout)):
            h.setFormatter(fmt)
            log.addHandler(h)
        log.propagate = False
    return log


def hash_inputs(options: dict, files: Iterable = ()) -> str:
    """sha256 over the options (JSON) and each input file's path, size and mtime
    (content hash for small files < 4 MB, which are the manifests and the code)."""
    h = hashlib.sha256(json.dumps(options, sort_keys=True, default=str).encode())
    for p in sorted(str(x) for x in files):
        h.update(p.encode())
        try:
            st = os.stat(p)
        except FileNotFoundError:
            h.update(b"<missing>")
            continue
        if st.st_size < (4 << 20):
            with open(p, "rb") as f:
                h.update(hashlib.sha256(f.read()).digest())
        else:
            h.update(f"{st.st_size}:{int(st.st_mtime)}".encode())
    return h.hexdigest()


class DoneMarker:
    """``<dir>/.done-<stage>``: JSON with the input hash; ``is_done(hash)`` says skip."""

    def __init__(self, directory, stage: str):
        self.path = Path(directory) / f".done-{stage}"

    def is_done(self, digest: str) -> bool:
        try:
            return json.loads(self.path.read_text()).get("hash") == digest
        except (FileNotFoundError, ValueError):
            return False

    def mark(self, digest: str, **info) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"hash": digest, "time": time.strftime("%Y-%m-%dT%H:%M:%S"), **info},
                                  indent=1, sort_keys=True))
        os.replace(tmp, self.path)

    def clear(self) -> None:
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass
