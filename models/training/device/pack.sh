#!/usr/bin/env bash
# Packs what the GPU machine needs into .device-carry/ (gitignored, at most 64 MiB travels):
# TTS and Opus tools with their libraries, real training/dev audio re-encoded at 12 kbit/s,
# noise and room response, the recipe lists and the synthesis plan. See device/README.md.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../../.." && pwd)
CARRY=$REPO/.device-carry
SHARED=${HUSH_SHARED:-$REPO/../shared}
LISTS=$REPO/models/training/data/lists
SYNTH_HOURS=${SYNTH_HOURS:-14}
mkdir -p "$CARRY"/{audio,lists,shared/data/noise/clips,shared/data/rir}

# 1. Tools: binaries, the shared libraries they resolve to here, and English-only espeak-ng data.
if [ ! -f "$CARRY/tools.tar.xz" ]; then
  T=$(mktemp -d); mkdir -p "$T"/bin "$T"/lib "$T"/espeak-ng-data
  for b in flite espeak-ng opusdec; do cp "$(command -v $b)" "$T/bin/"; done
  for b in flite espeak-ng opusdec; do
    ldd "$(command -v $b)" | awk '/=> \//{print $3}' | grep -v -E '/(libc|libm|libpthread|libdl|librt|ld-linux|libcrypto|libssl|libsystemd|libgcrypt|libgpg-error|libzstd|liblzma|liblz4|libcap|libbsd|libmd)[.-]' | while read -r l; do cp -L "$l" "$T/lib/"; done
  done
  D=/usr/lib/x86_64-linux-gnu/espeak-ng-data
  cp -r "$D"/{phontab,phonindex,phondata,intonations,en_dict,voices} "$T/espeak-ng-data/"
  mkdir -p "$T/espeak-ng-data/lang"; cp -r "$D/lang/gmw" "$T/espeak-ng-data/lang/"
  tar -C "$T" -cJf "$CARRY/tools.tar.xz.tmp" . && mv "$CARRY/tools.tar.xz.tmp" "$CARRY/tools.tar.xz"
  rm -rf "$T"
fi

# 2. Real speech as one 12 kbit/s Opus stream per list (the originals are 24 kbit/s and do not fit).
/usr/bin/python3 "$REPO/models/training/device/pack_audio.py" train_real dev_arctic_native dev_speechocean762 dev_librivox --out "$CARRY/audio"

# 3. Noise clips and the measured room (as WAV: no FLAC decoder travels).
cp "$SHARED/data/noise/noise.tsv" "$CARRY/shared/data/noise/"
cp -n "$SHARED"/data/noise/clips/*.opus "$CARRY/shared/data/noise/clips/" 2>/dev/null || true
sox -q "$SHARED/data/rir/seminar_room_clap_cc0.flac" -r 16000 -c 1 -b 16 "$CARRY/shared/data/rir/seminar_room_clap_cc0.wav"
# 128 of stage 02's simulated rooms, 0.5 s long: the whole bank (19 MB) does not fit the carry.
[ -f "$REPO/models/training/data/aug/rirs.npy" ] && /usr/bin/python3 -c "
import numpy as np, sys
r = np.load(sys.argv[1]); idx = np.sort(np.random.default_rng(0).choice(len(r), min(128, len(r)), replace=False))
np.save(sys.argv[2], r[idx, :8000].astype(np.float32))" "$REPO/models/training/data/aug/rirs.npy" "$CARRY/rirs.npy"

# 4. The synthesis plan: the first SYNTH_HOURS of stage 01's plan spoken by flite and espeak-ng voices.
/usr/bin/python3 "$REPO/models/training/device/select_plan.py" --hours "$SYNTH_HOURS" --out "$CARRY/synth_plan.tsv"
du -sh "$CARRY"
