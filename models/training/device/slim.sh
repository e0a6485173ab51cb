#!/usr/bin/env bash
# Keeps the files a GPU run never reads out of the tree that travels to the lent machine.
# The device tool sends every tracked file, and the compiled LM, the two ONNX models, the student's
# safetensors and the digits fixtures (25 MB) push the tree and .device-carry/ past 64 MiB.
#   bash models/training/device/slim.sh on    before the run: untracks them for the call
#   bash models/training/device/slim.sh off   after it: tracked again, nothing changed on disk
# `on` takes them out of the index (git rm --cached) and ignores them in .git/info/exclude, so they
# neither travel nor show as deleted work; the files themselves stay where they are.
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
FILES=(models/lm/hushscribe-3gram.bin models/teacher/teacher.onnx models/student/student.onnx models/student/student.safetensors
       test/fixtures/models/digits-streaming.onnx test/fixtures/models/digits-whole.onnx test/fixtures/models/digits.pt)
EXCLUDE=.git/info/exclude
case "${1:-}" in
  on)
    if ! git diff --cached --quiet; then echo "slim.sh: the index has staged changes; commit or unstage them first" >&2; exit 1; fi
    for f in "${FILES[@]}"; do
      git rm -q --cached "$f"
      grep -qxF "/$f" "$EXCLUDE" || echo "/$f" >> "$EXCLUDE"
    done
    echo "untracked for the run: ${#FILES[@]} files; run 'slim.sh off' after it" ;;
  off)
    for f in "${FILES[@]}"; do
      grep -vxF "/$f" "$EXCLUDE" > "$EXCLUDE.tmp" || true
      mv "$EXCLUDE.tmp" "$EXCLUDE"
    done
    git reset -q -- "${FILES[@]}"
    git status --short -- "${FILES[@]}" ;;
  *) echo "usage: slim.sh on|off" >&2; exit 2 ;;
esac
