#!/usr/bin/env bash
# The GPU run of the recipe, on a lent machine (see README.md): synthesis on its CPUs, then
# teacher training (stage 05) and student distillation (stage 09) on its GPU, all inside one
# time budget. Results go to $OUT; exports and evaluation happen back on the CPU machine.
#   bash models/training/device/run.sh        (from the repo root, with .device-carry/ carried)
set -uo pipefail
REPO=$(pwd)
C=$REPO/.device-carry
W=${HUSH_WORK:-/tmp/hush}
OUT=${OUT:-$W/out}
SYNTH_S=${SYNTH_S:-100}
TEACHER_MIN=${TEACHER_MIN:-4.0}
STUDENT_MIN=${STUDENT_MIN:-2.0}
DEVICE=${DEVICE:-cuda}
JOBS=${JOBS:-$(nproc)}
PY=${PYTHON:-python3}
T0=$(date +%s)
# A warm machine keeps /tmp between calls: a second call must not resume the last call's finished
# checkpoints (that wasted the first GPU session's second run). Synthesis and decoded audio stay.
rm -rf "$W/exp"
stamp() { echo "[$(( $(date +%s) - T0 ))s] $*"; }
mkdir -p "$W/tools" "$W/data/lists" "$W/data/aug" "$OUT"
tar -C "$W/tools" -xJf "$C/tools.tar.xz"
export PATH=$W/tools/bin:$PATH LD_LIBRARY_PATH=$W/tools/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} ESPEAK_DATA_PATH=$W/tools
export HUSH_OPUSDEC=$W/tools/bin/opusdec HUSH_SHARED=$C/shared HUSH_DATA=$W/data HUSH_EXP=$W/exp HUSH_LOGS=$OUT/logs PYTHONUNBUFFERED=1
ln -sfn "$C/audio" "$W/data/streams"  # real speech: one Opus stream + index per list (pack_audio.py)
[ -f "$C/rirs.npy" ] && cp "$C/rirs.npy" "$W/data/aug/"
stamp "tools: $(flite --version 2>&1 | head -1); $(espeak-ng --version 2>&1 | head -1)"
"$PY" -c "import torch; print('torch', torch.__version__, 'cuda', torch.cuda.is_available(), torch.cuda.get_device_name(0) if torch.cuda.is_available() else '')"

# Decode the carried real speech once, while the CPUs synthesise; stages then read the cache.
(cd models/training && "$PY" -c "
from hush import stage
from hush.wavbank import load_named
for n in ['train_real', 'dev_arctic_native', 'dev_speechocean762', 'dev_librivox']:
    load_named(n, stage.DATA)") &
DECODE_PID=$!
stamp "synthesis (${SYNTH_S}s budget, $JOBS jobs)"
"$PY" models/training/device/synth_device.py --plan "$C/synth_plan.tsv" --out "$W/data" --jobs "$JOBS" --seconds "$SYNTH_S" 2>&1 | tail -3
wait $DECODE_PID
stamp "real speech decoded"
DEVS="dev_arctic_native dev_speechocean762 dev_librivox"
stamp "teacher (${TEACHER_MIN} min)"
"$PY" models/training/stages/05_train_teacher.py --device "$DEVICE" --budget-min "$TEACHER_MIN" --train train_real synth_train \
  --arch "${TEACHER_ARCH:-conformer}" --features online --dev $DEVS --jobs "$JOBS" ${TEACHER_ARGS:-} 2>&1 | grep -E "done|calibrated|finished|Error|error|refused|h per epoch|parameters" | cut -c1-400
"$PY" -c "
import sys, torch
s = torch.load(sys.argv[1], map_location='cpu')
s['model'] = {k: (v.half() if v.is_floating_point() else v) for k, v in s['model'].items()}
torch.save(s, sys.argv[2])" "$W/exp/teacher/best.pt" "$OUT/teacher_fp16.pt" && split -b 15M -d "$OUT/teacher_fp16.pt" "$OUT/teacher_fp16.pt.part" && rm "$OUT/teacher_fp16.pt"
cp "$W/exp/teacher/history.json" "$OUT/teacher_history.json" 2>/dev/null
stamp "student rows a-e (${STUDENT_MIN} min)"
"$PY" models/training/stages/09_train_student.py --device "$DEVICE" --budget-min "$STUDENT_MIN" --train train_real synth_train \
  --features online --dev $DEVS --jobs "$JOBS" ${STUDENT_ARGS:-} 2>&1 | grep -E "done|calibrated|finished|Error|error|refused|row " | cut -c1-600
stamp "packing results"
"$PY" - "$W/exp" "$OUT" <<'PY'
import sys, torch
from pathlib import Path
exp, out = Path(sys.argv[1]), Path(sys.argv[2])
rows = {p.stem: torch.load(p, map_location="cpu") for p in sorted((exp / "student").glob("row_*.pt"))}
for r in rows.values():  # fp16 so all five rows fit one returned file (16 MiB limit)
    r["model"] = {k: (v.half() if v.is_floating_point() else v) for k, v in r["model"].items()}
if rows:
    torch.save(rows, out / "students.pt")
PY
cp "$W/exp/student/history.json" "$OUT/logs/student_history.json" 2>/dev/null
tar -C "$OUT" -czf "$OUT/logs.tar.gz" logs && rm -rf "$OUT/logs"
ls -la "$OUT"
stamp "done"
