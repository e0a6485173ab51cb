#!/usr/bin/env bash
# npm run models: everything derived from ../shared that the product and tests need, into the
# repo's own paths. Each step skips itself when its output is newer than its inputs.
set -euo pipefail
cd "$(dirname "$0")/.."
# The compiled n-gram LM (committed when at most 20 MB, so this is normally a no-op check).
node --import tsx models/lm/build-lm.ts
# Small generated test fixtures (real speech from ../shared, cut and converted by sox).
bash test/fixtures/make-audio-fixtures.sh >/dev/null
bash test/fixtures/make-e2e-audio.sh >/dev/null
