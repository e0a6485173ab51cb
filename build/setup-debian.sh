#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine: system packages, npm dependencies, derived models and the UI.
# Offline-friendly: no step downloads a binary outside Debian's archive and the npm registry.
#   Electron: npm 11 does not run its download script unless approved, so `npm start` falls back
#   to browser mode. With network access, `node node_modules/electron/install.js` fetches it.
#   onnxruntime-node: CPU (and WebGPU) ship in the package; the CUDA provider libraries are a
#   separate download: `npm rebuild onnxruntime-node --onnxruntime-node-install=cuda12`.
set -euo pipefail
cd "$(dirname "$0")/.."
PACKAGES=(
  python3-torch python3-torchaudio python3-numpy python3-scipy python3-soundfile python3-onnx
  chromium fonts-dejavu-core sox opus-tools lame
  flite festival festvox-kallpc16k festvox-kdlpc16k festvox-us-slt-hts espeak-ng
  pocketsphinx pocketsphinx-en-us pocketsphinx-testdata
)
missing=()
for p in "${PACKAGES[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
npm ci --no-audit --no-fund
npm run models
npm run build
