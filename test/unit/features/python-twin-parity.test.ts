import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { decodeAudioFile } from '../../../electron/core/audio/index.js';
import { extractLogMel } from '../../../electron/core/features/logmel.js';
import { PYTHON, repoPath, SPEECH_FLAC } from '../../helpers/paths.js';
import { tempDir } from '../../helpers/temp-dir.js';

describe('Python twin of the feature extractor', () => {
  it('matches the TypeScript extractor within 1e-4 on real speech', async () => {
    const speech = await decodeAudioFile(SPEECH_FLAC);
    const dir = tempDir('hush-parity-');
    const wavPath = join(dir, 'speech.f32');
    const featPath = join(dir, 'feats.f32');
    writeFileSync(wavPath, Buffer.from(speech.buffer, speech.byteOffset, speech.byteLength));
    // The same samples go to both sides, so only the extractors are compared.
    const script = [
      'import sys, numpy as np',
      `sys.path.insert(0, ${JSON.stringify(repoPath('models/training'))})`,
      'from hush.features import logmel_numpy',
      `x = np.fromfile(${JSON.stringify(wavPath)}, dtype=np.float32).astype(np.float64)`,
      `logmel_numpy(x).astype(np.float32).tofile(${JSON.stringify(featPath)})`,
    ].join('\n');
    execFileSync(PYTHON, ['-c', script]);
    const buf = readFileSync(featPath);
    const py = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
    const ts = extractLogMel(speech).data;
    assert.equal(py.length, ts.length, 'frame counts differ');
    let maxDiff = 0;
    for (let i = 0; i < ts.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ts[i] - py[i]));
    assert.ok(maxDiff <= 1e-4, `max abs difference ${maxDiff}`);
  });
});
