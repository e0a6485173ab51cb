import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { decodeAudioFile } from '../../../electron/core/audio/index.js';
import { ctcGreedy } from '../../../electron/core/decode/greedy.js';
import { extractLogMel, type FeatureBlock } from '../../../electron/core/features/logmel.js';
import { loadModel, WindowedRunner, type LoadedModel, type LogProbBlock } from '../../../electron/core/inference/index.js';
import { NUM_CLASSES } from '../../../electron/core/symbols.js';
import { FIXTURE_WHOLE, sharedPath } from '../../helpers/paths.js';

const UTTERANCES = ['0_theo_1', '3_theo_2', '5_theo_3', '7_theo_4', '9_theo_5', '2_theo_6'].map((id) => sharedPath(`data/corpora/fsdd/audio/dev/${id}.flac`));

async function runWindowed(model: LoadedModel, feats: FeatureBlock, window: number, overlap: number, push: number): Promise<LogProbBlock> {
  const runner = new WindowedRunner(model, { window, overlap });
  const parts: LogProbBlock[] = [];
  for (let f = 0; f < feats.frames; f += push) {
    const n = Math.min(push, feats.frames - f);
    parts.push(await runner.push({ frames: n, dim: feats.dim, data: feats.data.subarray(f * feats.dim, (f + n) * feats.dim) }));
  }
  parts.push(await runner.finish());
  const data = new Float32Array(parts.reduce((s, p) => s + p.data.length, 0));
  let at = 0;
  for (const p of parts) { data.set(p.data, at); at += p.data.length; }
  return { frames: data.length / NUM_CLASSES, data };
}

describe('non-streaming models over long audio in overlapping windows', () => {
  let model: LoadedModel;
  let feats: FeatureBlock;
  before(async () => {
    model = await loadModel(FIXTURE_WHOLE, { provider: 'cpu' });
    const pieces = await Promise.all(UTTERANCES.map((p) => decodeAudioFile(p)));
    // Room-tone between digits, not digital zeros, which no microphone produces.
    let seed = 1;
    const gap = Float32Array.from({ length: 8000 }, () => { seed = (seed * 16807) % 2147483647; return (seed / 2147483647 - 0.5) * 0.004; });
    const total = pieces.reduce((s, p) => s + p.length + gap.length, 0);
    const audio = new Float32Array(total);
    let at = 0;
    for (const p of pieces) { audio.set(p, at); at += p.length + gap.length; }
    feats = extractLogMel(audio);
  });

  it('stitches to exactly ceil(frames / 2) output frames', async () => {
    const out = await runWindowed(model, feats, 120, 40, 37);
    assert.equal(out.frames, Math.ceil(feats.frames / 2));
  });

  for (const [window, overlap, push] of [[120, 40, 37], [100, 40, 1000], [200, 50, 64], [84, 40, 7]]) {
    it(`drops and doubles no words across boundaries (window ${window}, overlap ${overlap})`, async () => {
      const whole = await runWindowed(model, feats, feats.frames + 2, 0, feats.frames);
      const windowed = await runWindowed(model, feats, window, overlap, push);
      const a = ctcGreedy(whole.data, whole.frames).map((w) => w.text);
      const b = ctcGreedy(windowed.data, windowed.frames).map((w) => w.text);
      assert.ok(a.join(' ').length >= 4, `the fixture should hear speech, got '${a.join(' ')}'`);
      assert.deepEqual(b, a);
      let diff = 0;
      for (let i = 0; i < whole.data.length; i++) diff = Math.max(diff, Math.abs(whole.data[i] - windowed.data[i]));
      // Each window's kept middle has at least `overlap` frames of context, more than the model's receptive field.
      assert.ok(diff < 1e-3, `max log-prob difference ${diff}`);
    });
  }
});
