import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { HdnnModel, studentWeightsFrom } from '../../../electron/core/adapt/hdnn.js';
import { readSafetensors } from '../../../electron/core/adapt/safetensors.js';
import { loadTf } from '../../../electron/core/adapt/tf.js';
import { loadModel, StreamingRunner } from '../../../electron/core/inference/index.js';
import { NUM_CLASSES } from '../../../electron/core/symbols.js';
import { readNpyFloat32 } from '../../helpers/npy.js';
import { adaptFixture } from './fixture.js';

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length, 'same length');
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('the tfjs HDNN student matches the PyTorch student it was exported from', () => {
  const fx = adaptFixture();
  const input = readNpyFloat32(fx.parityInput);
  const expected = readNpyFloat32(fx.parityLogprobs);
  const frames = input.shape[0];

  it('log-probs on real speech agree within 1e-3 (built from the safetensors config alone)', async () => {
    const tf = await loadTf();
    const model = new HdnnModel(tf, studentWeightsFrom(readSafetensors(readFileSync(fx.safetensors))));
    try {
      const lp = model.logProbs(input.data, frames);
      assert.deepEqual([lp.length / NUM_CLASSES, NUM_CLASSES], expected.shape);
      const diff = maxAbsDiff(lp, expected.data);
      assert.ok(diff <= 1e-3, `max abs diff ${diff}`);
    } finally {
      model.dispose();
    }
  });

  it('agrees with the exported ONNX run by the runtime, chunk by chunk', async () => {
    const tf = await loadTf();
    const model = new HdnnModel(tf, studentWeightsFrom(readSafetensors(readFileSync(fx.safetensors))));
    const onnx = await loadModel(fx.student, { provider: 'cpu' });
    try {
      const runner = new StreamingRunner(onnx);
      const parts: Float32Array[] = [];
      for (let i = 0; i < frames; i += 50) {
        const n = Math.min(50, frames - i);
        parts.push((await runner.push({ frames: n, dim: 80, data: input.data.subarray(i * 80, (i + n) * 80) })).data);
      }
      parts.push((await runner.finish()).data);
      const ort = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
      let at = 0;
      for (const p of parts) { ort.set(p, at); at += p.length; }
      const diff = maxAbsDiff(model.logProbs(input.data, frames), ort);
      assert.ok(diff <= 1e-3, `max abs diff ${diff}`);
      // An odd number of frames is padded as the runner pads it.
      const odd = frames - 1;
      const r2 = new StreamingRunner(onnx);
      const a = await r2.push({ frames: odd, dim: 80, data: input.data.subarray(0, odd * 80) });
      const b = await r2.finish();
      const joined = new Float32Array(a.data.length + b.data.length);
      joined.set(a.data);
      joined.set(b.data, a.data.length);
      assert.ok(maxAbsDiff(model.logProbs(input.data, odd), joined) <= 1e-3);
    } finally {
      model.dispose();
      await onnx.session.release();
    }
  });
});
