"""What every recipe stage shares: a log file, a done-marker keyed by a hash of its inputs, and refusal messages."""
import hashlib
import json
import logging
import os
import sys
from pathlib import Path

RECIPE = Path(__file__).resolve().parents[1]
REPO = RECIPE.parents[1]
# Overridable so a GPU machine (device/run.sh) can point the recipe at carried copies.
SHARED = Path(os.environ.get("HUSH_SHARED", REPO.parent / "shared"))
DATA = Path(os.environ.get("HUSH_DATA", RECIPE / "data"))
EXP = Path(os.environ.get("HUSH_EXP", RECIPE / "exp"))
LOGS = Path(os.environ.get("HUSH_LOGS", RECIPE / "logs"))


def setup(name):
    """Log to logs/<name>.log and stdout; return the stage's logger."""
    LOGS.mkdir(parents=True, exist_ok=True)
    log = logging.getLogger(name)
    log.setLevel(logging.INFO)
    fmt = logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s")
    for handler in (logging.FileHandler(LOGS / f"{name}.log"), logging.StreamHandler(sys.stdout)):
        handler.setFormatter(fmt)
        log.addHandler(handler)
    return log


def fingerprint(obj):
    return hashlib.sha256(json.dumps(obj, sort_keys=True, default=str).encode()).hexdigest()[:16]


def is_done(marker, key):
    marker = Path(marker)
    return marker.exists() and json.loads(marker.read_text()).get("key") == key


def mark_done(marker, key, **info):
    marker = Path(marker)
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(json.dumps({"key": key, **info}, indent=2, default=str))


class Refusal(SystemExit):
    """A stage refusing inconsistent input: one line naming the file and row, exit status 2."""

    def __init__(self, message):
        sys.stderr.write(f"refused: {message}\n")
        super().__init__(2)
