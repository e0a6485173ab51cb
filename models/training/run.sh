#!/usr/bin/env bash
# The recipe, Kaldi/icefall style: numbered, resumable stages, each one command that logs to
# logs/NN_name.log and skips finished work.
#   bash models/training/run.sh --stage 0 --stop-stage 11
set -euo pipefail
cd "$(dirname "$0")"
stage=0
stop_stage=11
while [ $# -gt 0 ]; do
  case "$1" in
    --stage) stage=$2; shift 2 ;;
    --stop-stage) stop_stage=$2; shift 2 ;;
    *) echo "run.sh: unknown option $1 (use --stage N --stop-stage M)" >&2; exit 2 ;;
  esac
done
PY=/usr/bin/python3
run() { local n=$1; shift; if [ "$n" -ge "$stage" ] && [ "$n" -le "$stop_stage" ]; then echo "== stage $n: $*"; "$PY" "$@"; fi; }
run 0 stages/00_prepare_data.py                # validate manifests -> data/lists/*.tsv
run 1 stages/01_synthesize.py --hours 40       # TTS meeting speech (slt voices only as the synthetic dev set)
run 2 stages/02_augmentation_assets.py         # simulated rooms, babble, codec copies
run 3 stages/03_fixture_model.py               # runtime test fixture (digits), committed under test/fixtures/models
run 4 stages/04_cache_features.py --copies 3   # log-mel cache: clean + 2 augmented copies of every list, seeds in the manifest
run 5 stages/05_train_teacher.py --copies 1 --lr 3e-3 --time-masks 1 --budget-min 105  # teacher: 40 ms separable-conv CTC, 2.63M (Conformer on a GPU), resumable
run 6 stages/06_self_labels.py                 # self-training labels: teacher (confident) and pocketsphinx transcripts of the untranscribed speech
run 7 stages/07_export_teacher.py              # -> models/teacher/teacher.onnx (fp16 weights)
run 8 stages/08_teacher_targets.py             # teacher top-k posteriors + 1-best for every cached copy (the student's targets)
run 9 stages/09_train_student.py               # student rows a-e side by side (KD from the teacher)
run 10 stages/10_export_student.py --row d     # -> models/student/student.onnx (streaming)
run 11 stages/11_adaptation_sets.py           # adaptation benchmark scenarios (speaker, TTS voice, reverberant room) -> data/adapt_sets/
