import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { decodeAudioFile } from '../../../electron/core/audio/index.js';
import { extractLogMel, type FeatureBlock } from '../../../electron/core/features/logmel.js';
import { loadModel, StreamingRunner, type LoadedModel, type LogProbBlock } from '../../../electron/core/inference/index.js';
import { NUM_CLASSES } from '../../../electron/core/symbols.js';
import { FIXTURE_STREAMING, FIXTURE_WHOLE, sharedPath } from '../../helpers/paths.js';

const DIGIT = sharedPath('data/corpora/fsdd/audio/dev/7_theo_0.flac');

async function runInChunks(model: LoadedModel, feats: FeatureBlock, chunk: number): Promise<Float32Array> {
  const runner = new StreamingRunner(model);
  const out: LogProbBlock[] = [];
  for (let f = 0; f < feats.frames; f += chunk) {
    const n = Math.min(chunk, feats.frames - f);
    out.push(await runner.push({ frames: n, dim: feats.dim, data: feats.data.subarray(f * feats.dim, (f + n) * feats.dim) }));
  }
  out.push(await runner.finish());
  const data = new Float32Array(out.reduce((s, b) => s + b.data.length, 0));
  let at = 0;
  for (const b of out) { data.set(b.data, at); at += b.data.length; }
  return data;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('streaming acoustic runner on the digits fixture', () => {
  let model: LoadedModel;
  let feats: FeatureBlock;
  before(async () => {
    model = await loadModel(FIXTURE_STREAMING, { provider: 'cpu' });
    feats = extractLogMel(await decodeAudioFile(DIGIT));
  });

  it('reads the declared contract from the ONNX metadata', () => {
    assert.equal(model.info.streaming, true);
    assert.equal(model.info.subsampling, 2);
    assert.equal(model.info.lookaheadFrames, 8);
    assert.ok(model.info.stateShapes.length > 0);
  });

  it('emits ceil(frames / 2) output frames in total, look-ahead removed', async () => {
    const out = await runInChunks(model, feats, 1000);
    assert.equal(out.length / NUM_CLASSES, Math.ceil(feats.frames / 2));
  });

  for (const chunk of [2, 3, 8, 17, 32, 101]) {
    it(`carries its state: ${chunk}-frame chunks equal one whole-utterance call`, async () => {
      const whole = await runInChunks(model, feats, feats.frames + 1);
      const chunked = await runInChunks(model, feats, chunk);
      assert.ok(maxAbsDiff(whole, chunked) < 1e-4);
    });
  }

  it('equals the non-streaming export of the same weights', async () => {
    const whole = await loadModel(FIXTURE_WHOLE, { provider: 'cpu' });
    const even = feats.frames - (feats.frames % 2);
    const block = { frames: even, dim: feats.dim, data: feats.data.subarray(0, even * feats.dim) };
    const streamed = await runInChunks(model, block, 16);
    const { WindowedRunner } = await import('../../../electron/core/inference/index.js');
    const runner = new WindowedRunner(whole);
    const a = await runner.push(block);
    const b = await runner.finish();
    const joined = new Float32Array(a.data.length + b.data.length);
    joined.set(a.data); joined.set(b.data, a.data.length);
    assert.ok(maxAbsDiff(streamed, joined) < 1e-4);
  });
});
