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
    ldd "$(command -v $b)" | awk '/=> \//{print $3}' | grep -v -E '/(libc|libm|libpthread|libdl|librt|ld-linux)[.-]' | while read -r l; do cp -L "$l" "$T/lib/"; done
  done
  for l in "$T"/lib/*; do base=$(basename "$l"); done
  D=/usr/lib/x86_64-linux-gnu/espeak-ng-data
  cp -r "$D"/{phontab,phonindex,phondata,intonations,en_dict,voices} "$T/espeak-ng-data/"
  mkdir -p "$T/espeak-ng-data/lang"; cp -r "$D/lang/gmw" "$T/espeak-ng-data/lang/"
  tar -C "$T" -cJf "$CARRY/tools.tar.xz" .
  rm -rf "$T"
fi

# 2. Real speech, re-encoded at 12 kbit/s wideband Opus (the originals are 24 kbit/s and do not fit).
reencode() {  # list name -> carried list with relative paths
  local name=$1 out=$CARRY/lists/$1.tsv
  [ -f "$out" ] && return 0
  mkdir -p "$CARRY/audio/$name"
  awk -F'\t' -v dir="$CARRY/audio/$name" 'NR>1 {print $2 "\t" dir "/" $1 ".opus"}' "$LISTS/$name.tsv" |
    xargs -P 2 -d '\n' -n 1 sh -c 'src=$(printf %s "$1" | cut -f1); dst=$(printf %s "$1" | cut -f2); [ -f "$dst" ] || sox -q "$src" -r 16000 -c 1 -t wav - | opusenc --quiet --bitrate 12 - "$dst"' _
  awk -F'\t' -v OFS='\t' -v name="$name" 'NR==1 {print; next} {$2 = "../audio/" name "/" $1 ".opus"; print}' "$LISTS/$name.tsv" > "$out"
}
for name in train_real dev_arctic_native dev_speechocean762 dev_librivox; do reencode "$name"; done

# 3. Noise clips and the measured room (as WAV: no FLAC decoder travels).
cp "$SHARED/data/noise/noise.tsv" "$CARRY/shared/data/noise/"
cp -n "$SHARED"/data/noise/clips/*.opus "$CARRY/shared/data/noise/clips/" 2>/dev/null || true
sox -q "$SHARED/data/rir/seminar_room_clap_cc0.flac" -r 16000 -c 1 -b 16 "$CARRY/shared/data/rir/seminar_room_clap_cc0.wav"
[ -f "$REPO/models/training/data/aug/rirs.npy" ] && cp "$REPO/models/training/data/aug/rirs.npy" "$CARRY/rirs.npy"

# 4. The synthesis plan: the first SYNTH_HOURS of stage 01's plan spoken by flite and espeak-ng voices.
/usr/bin/python3 "$REPO/models/training/device/select_plan.py" --hours "$SYNTH_HOURS" --out "$CARRY/synth_plan.tsv"
du -sh "$CARRY"
