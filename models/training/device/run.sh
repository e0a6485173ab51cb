#!/usr/bin/env bash
# The GPU run of the recipe, on a lent machine (see ../README.md, "GPU runs"): synthesis on its CPUs,
# then two teachers side by side on its GPU (stage 05: the committed 40 ms separable-conv teacher
# continued from models/teacher/warm-start.pt, and a second one, B_ARGS: a d512 separable-conv from
# scratch by default), then the students (stage 09)
# distilled from whichever teacher has the lower dev WER, all inside one deadline. A student
# checkpoint packed as .device-carry/student_init.pt (STUDENT_INIT=... pack.sh) warm-starts every row.
# Results go to $OUT as they are made, so a run cut short still returns its teachers. Exports and
# evaluation happen back on the CPU machine.
#   bash models/training/device/run.sh        (from the repo root, with .device-carry/ carried)
set -uo pipefail
REPO=$(pwd)
C=$REPO/.device-carry
W=${HUSH_WORK:-/tmp/hush}
OUT=${OUT:-$W/out}
SYNTH_S=${SYNTH_S:-60}
TEACHER_MIN=${TEACHER_MIN:-4.5}
STUDENT_MIN=${STUDENT_MIN:-2.0}
DEADLINE_S=${DEADLINE_S:-550}   # everything packed by then: the student's budget shrinks to fit
DEVICE=${DEVICE:-cuda}
JOBS=${JOBS:-$(nproc)}
PY=${PYTHON:-python3}
T0=$(date +%s)
# A warm machine keeps /tmp between calls: a second call must not resume the last call's finished
# checkpoints (that wasted the first GPU session's second run). Synthesis and decoded audio stay.
rm -rf "$W/exp"
stamp() { echo "[$(( $(date +%s) - T0 ))s] $*"; }
left() { echo $(( DEADLINE_S - ($(date +%s) - T0) )); }
mkdir -p "$W/tools" "$W/data/lists" "$W/data/aug" "$OUT/logs"
tar -C "$W/tools" -xJf "$C/tools.tar.xz"
export PATH=$W/tools/bin:$PATH LD_LIBRARY_PATH=$W/tools/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} ESPEAK_DATA_PATH=$W/tools
# torch >= 2.6 loads weights only by default; these checkpoints and caches are our own (configs, histories).
export TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1 HUSH_OPUSDEC=$W/tools/bin/opusdec HUSH_SHARED=$C/shared HUSH_DATA=$W/data HUSH_EXP=$W/exp HUSH_LOGS=$OUT/logs PYTHONUNBUFFERED=1
ln -sfn "$C/audio" "$W/data/streams"  # real speech: one Opus stream + index per list (pack_audio.py)
stamp "tools: $(flite --version 2>&1 | head -1); $(espeak-ng --version 2>&1 | head -1)"
"$PY" -c "import torch; print('torch', torch.__version__, 'cuda', torch.cuda.is_available(), torch.cuda.get_device_name(0) if torch.cuda.is_available() else '')"
DEVS="dev_arctic_native dev_speechocean762 dev_librivox"
load() { (cd models/training && "$PY" -c "
import sys
from hush import stage
from hush.wavbank import load_named
for n in sys.argv[2:]:
    b = load_named(n, stage.DATA, jobs=int(sys.argv[1]))
    print(n, 'missing' if b is None else f'{len(b)} utterances, {b.hours():.2f} h')" "$JOBS" "$@"); }

# Decode the carried real speech once, while the CPUs synthesise; stages then read the cache.
load train_real $DEVS &
DECODE_PID=$!
stamp "synthesis (${SYNTH_S}s budget, $JOBS jobs)"
"$PY" models/training/device/rooms.py --out "$W/data/aug" --jobs "$JOBS"
"$PY" models/training/device/synth_device.py --plan "$C/synth_plan.tsv.gz" --out "$W/data" --jobs "$JOBS" --seconds "$SYNTH_S" 2>&1 | tail -3
wait $DECODE_PID
load synth_train   # cached once here, so the two teachers below do not both decode it
stamp "real speech decoded, synthetic speech cached"

# Two teachers share the GPU (one alone leaves most of it idle): each logs to its own folder.
teacher() {  # name, then stage 05 options
  local name=$1; shift
  mkdir -p "$OUT/logs/teacher_$name"
  HUSH_LOGS=$OUT/logs/teacher_$name "$PY" models/training/stages/05_train_teacher.py --device "$DEVICE" --budget-min "$TEACHER_MIN" \
    --train train_real synth_train --features online --dev $DEVS --jobs "$JOBS" --exp "$W/exp/teacher_$name" "$@" \
    > "$OUT/logs/teacher_$name/stdout.log" 2>&1
  grep -E "epoch [0-9]+ done|finished|Error|error|refused|h per epoch|parameters|initialised" "$OUT/logs/teacher_$name/stdout.log" | cut -c1-330 | sed "s/^/[$name] /"
}
stamp "teachers (${TEACHER_MIN} min each, side by side)"
A=
# SKIP_A=1: the whole GPU to the second teacher (B_ARGS="--init models/teacher/warm-start.pt ..." continues the committed
# d512 teacher there alone; results/device-2026-11-29/ and teacher-wide-real-2026-11-30/).
if [ -z "${SKIP_A:-}" ]; then
  teacher sepconv --init models/teacher/warm-start.pt --lr "${SEPCONV_LR:-2e-3}" --time-masks 2 --augment light ${SEPCONV_ARGS:-} &
  A=$!
fi
teacher "${B_NAME:-wide}" ${B_ARGS:---arch sepconv --d 512 --layers 16 --lr 2.5e-3} --time-masks 2 --augment light &
B=$!
wait $A $B
stamp "teachers done"
BEST=$("$PY" models/training/device/pick_teacher.py "$W/exp" "$OUT")
stamp "distilling from $BEST"

INIT=(); [ -f "$C/student_init.pt" ] && INIT=(--init "$C/student_init.pt")
STUDENT_BUDGET=$("$PY" -c "import sys; print(max(0.3, min(float(sys.argv[1]), (int(sys.argv[2]) - 60) / 60)))" "$STUDENT_MIN" "$(left)")
stamp "students (${STUDENT_BUDGET} min${STUDENT_ARGS:+: $STUDENT_ARGS})"
"$PY" models/training/stages/09_train_student.py --device "$DEVICE" --budget-min "$STUDENT_BUDGET" --train train_real synth_train \
  --teacher "$W/exp/$BEST/best.pt" --features online --augment light --dev $DEVS --jobs "$JOBS" "${INIT[@]}" ${STUDENT_ARGS:-} 2>&1 | grep -E "done|calibrated|finished|Error|error|refused|row " | cut -c1-600
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
stamp done
