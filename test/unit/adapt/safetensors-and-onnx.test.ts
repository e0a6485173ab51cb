import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import * as ort from 'onnxruntime-node';
import { GATE_PARAMS } from '../../../electron/core/adapt/gates.js';
import { hdnnConfigFrom, studentWeightsFrom } from '../../../electron/core/adapt/hdnn.js';
import { readOnnxMetadata } from '../../../electron/core/inference/onnx-metadata.js';
import { findInitializers, initializerFor, patchInitializers, readInitializer, type InitializerRef } from '../../../electron/core/adapt/onnx-initializers.js';
import { readSafetensors, writeSafetensors } from '../../../electron/core/adapt/safetensors.js';
import { adaptFixture } from './fixture.js';

const fx = adaptFixture();

describe('safetensors: the student weights the Python export writes', () => {
  it('reads every tensor with the config and version from __metadata__', () => {
    const st = readSafetensors(readFileSync(fx.safetensors));
    const cfg = hdnnConfigFrom(st.metadata);
    assert.deepEqual([cfg.d, cfg.layers, cfg.lookahead, cfg.gates], [64, 4, 20, true]);
    const w = studentWeightsFrom(st);
    assert.match(w.version, /^adapt-fixture-student/);
    assert.deepEqual(st.tensors.get('transform_gate.weight')?.shape, [64, 64, 1]);
  });

  it('round-trips what it writes', () => {
    const tensors = new Map([['a', { shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) }], ['b', { shape: [1], data: Float32Array.from([-0.5]) }]]);
    const back = readSafetensors(writeSafetensors(tensors, { k: 'v' }));
    assert.deepEqual(back.metadata, { k: 'v' });
    assert.deepEqual([...back.tensors.get('a')!.data], [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(back.tensors.get('b')!.shape, [1]);
  });

  it('refuses truncated or malformed files with a short reason', () => {
    const bytes = readFileSync(fx.safetensors);
    assert.throws(() => readSafetensors(bytes.subarray(0, 4)), /too short/);
    assert.throws(() => readSafetensors(bytes.subarray(0, bytes.length - 8)), /bad data offsets/);
    const junk = new Uint8Array(16);
    new DataView(junk.buffer).setBigUint64(0, 8n, true);
    assert.throws(() => readSafetensors(junk), /not JSON/);
  });

  it('refuses weights whose shapes do not follow their config', () => {
    const st = readSafetensors(readFileSync(fx.safetensors));
    const tensors = new Map(st.tensors);
    tensors.set('carry_gate.bias', { shape: [3], data: new Float32Array(3) });
    assert.throws(() => studentWeightsFrom({ tensors, metadata: st.metadata }), /carry_gate.bias/);
  });
});

describe('ONNX initializers: finding and patching the gates in the exported bytes', () => {
  const onnx = new Uint8Array(readFileSync(fx.student));
  const weights = readSafetensors(readFileSync(fx.safetensors));

  it('finds each gate by its state-dict name, holding the same values as the safetensors', () => {
    const inits = findInitializers(onnx);
    for (const name of GATE_PARAMS) {
      const ref = initializerFor(inits, name);
      assert.ok(ref, name);
      assert.equal(ref.name, `model.${name}`);
      assert.deepEqual([...readInitializer(onnx, ref)], [...weights.tensors.get(name)!.data]);
    }
  });

  it('changes only the bytes of the patched initializers, and onnxruntime runs the result with new outputs', async () => {
    const inits = findInitializers(onnx);
    const ref = initializerFor(inits, 'carry_gate.bias')!;
    const values = new Map<InitializerRef, Float32Array>([[ref, new Float32Array(64).fill(-3)]]);
    const patched = patchInitializers(onnx, values);
    assert.equal(patched.length, onnx.length);
    for (let i = 0; i < onnx.length; i++) {
      if (patched[i] !== onnx[i]) assert.ok(i >= ref.offset && i < ref.offset + ref.byteLength, `byte ${i} outside the initializer`);
    }
    assert.deepEqual([...readInitializer(patched, ref)], new Array(64).fill(-3));
    const run = async (bytes: Uint8Array): Promise<Float32Array> => {
      const s = await ort.InferenceSession.create(bytes);
      const feeds: Record<string, ort.Tensor> = { features: new ort.Tensor('float32', new Float32Array(40 * 80).fill(-5), [1, 40, 80]) };
      const shapes = JSON.parse(readOnnxMetadata(bytes).state_shapes) as number[][];
      shapes.forEach((shape, i) => { feeds[`state_${i}`] = new ort.Tensor('float32', new Float32Array(shape.reduce((x, y) => x * y, 1)), shape); });
      const out = (await s.run(feeds)).logprobs.data as Float32Array;
      await s.release();
      return out;
    };
    const a = await run(onnx);
    const b = await run(patched);
    assert.ok(a.some((v, i) => Math.abs(v - b[i]) > 1e-3), 'the patched gate changes the outputs');
    assert.deepEqual(patchInitializers(onnx, new Map()), onnx, 'no values: same bytes');
  });

  it('refuses a patch with the wrong number of values', () => {
    const ref = initializerFor(findInitializers(onnx), 'carry_gate.bias')!;
    assert.throws(() => patchInitializers(onnx, new Map([[ref, new Float32Array(3)]])), /holds 64 values/);
  });
});
