#!/usr/bin/env bash
# Packs what the GPU machine needs into .device-carry/ (gitignored, at most 64 MiB travels):
# TTS and Opus tools with their libraries, real training/dev audio re-encoded at 10 kbit/s,
# noise and the measured room, and the synthesis plan. The simulated rooms are made on the GPU
# machine (device/rooms.py, seconds on its CPUs) rather than carried. See ../README.md, "GPU runs".
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

# 2. Real speech as one 10 kbit/s Opus stream per list (the originals are 24 kbit/s and do not fit).
/usr/bin/python3 "$REPO/models/training/device/pack_audio.py" train_real dev_arctic_native dev_speechocean762 dev_librivox \
  --exclude fsdd- --jobs 2 --out "$CARRY/audio"

# 3. Noise clips and the measured room (as WAV: no FLAC decoder travels).
# Without the shared babble clips (0.9 MB): the device's augmenter mixes its own from training speakers.
awk -F'\t' 'NR == 1 || $3 != "babble"' "$SHARED/data/noise/noise.tsv" > "$CARRY/shared/data/noise/noise.tsv"
rm -f "$CARRY"/shared/data/noise/clips/*
tail -n +2 "$CARRY/shared/data/noise/noise.tsv" | cut -f1 | while read -r f; do cp "$SHARED/data/noise/$f" "$CARRY/shared/data/noise/$f"; done
sox -q "$SHARED/data/rir/seminar_room_clap_cc0.flac" -r 16000 -c 1 -b 16 "$CARRY/shared/data/rir/seminar_room_clap_cc0.wav"

# 4. The synthesis plan: the first SYNTH_HOURS of stage 01's plan spoken by flite and espeak-ng voices.
/usr/bin/python3 "$REPO/models/training/device/select_plan.py" --hours "$SYNTH_HOURS" --out "$CARRY/synth_plan.tsv"
gzip -9f "$CARRY/synth_plan.tsv"
rm -f "$CARRY/rirs.npy"

# 5. Optionally a student checkpoint (a stage 09 row_<r>.pt) that warm-starts run.sh's students.
rm -f "$CARRY/student_init.pt"
[ -n "${STUDENT_INIT:-}" ] && cp "$STUDENT_INIT" "$CARRY/student_init.pt"
du -sh "$CARRY"
KIB=$(( ($(git -C "$REPO" ls-files -z --cached --others --exclude-standard | xargs -0 stat -c %s 2>/dev/null | paste -sd+ | bc) + $(du -sb "$CARRY" | cut -f1)) / 1024 ))
echo "travels: $KIB KiB of 65536"
[ "$KIB" -le 65536 ] || echo "over the limit: 'bash models/training/device/slim.sh on' keeps the files the run never reads at home (then 'off' after the call)"
