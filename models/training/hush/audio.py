"""Audio I/O for the recipe: every path returns 16 kHz mono float32 in [-1, 1].

soundfile (libsndfile) where it is installed, as on Debian. A GPU machine without it
reads WAV with scipy and Ogg Opus through opusdec (carried there by device/pack.sh).
"""
import os
import subprocess
import tempfile

import numpy as np
from scipy.io import wavfile
from scipy.signal import resample_poly

RATE = 16000

try:
    import soundfile as sf
except (ImportError, OSError):
    sf = None


def _read_wav(path):
    rate, data = wavfile.read(str(path))
    if data.dtype.kind == "i":
        data = data.astype(np.float32) / float(np.iinfo(data.dtype).max + 1)
    elif data.dtype.kind == "u":
        data = (data.astype(np.float32) - 128.0) / 128.0
    return data.reshape(len(data), -1).astype(np.float32), rate


def _read_opus(path):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "x.wav")
        subprocess.run([os.environ.get("HUSH_OPUSDEC", "opusdec"), "--quiet", "--rate", str(RATE), str(path), out], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        return _read_wav(out)


def load(path):
    try:
        if sf is not None:
            data, rate = sf.read(str(path), dtype="float32", always_2d=True)
        elif str(path).endswith(".wav"):
            data, rate = _read_wav(path)
        else:
            data, rate = _read_opus(path)
    except Exception as exc:  # decoders raise many types; the caller names the row at fault
        raise ValueError(f"{path}: cannot decode audio ({exc})") from exc
    wav = data.mean(axis=1)
    if rate != RATE:
        g = np.gcd(int(rate), RATE)
        wav = resample_poly(wav, RATE // g, int(rate) // g)
    return wav.astype(np.float32, copy=False)
