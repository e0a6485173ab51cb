import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type * as tfc from '@tensorflow/tfjs';
import { AdaptCancelled } from '../../../electron/core/adapt/errors.js';
import { GATE_PARAMS } from '../../../electron/core/adapt/gates.js';
import { temperedTarget, trainGates, type DistillChunk } from '../../../electron/core/adapt/gate-trainer.js';
import { HdnnModel, studentWeightsFrom, type StudentWeights } from '../../../electron/core/adapt/hdnn.js';
import { readSafetensors } from '../../../electron/core/adapt/safetensors.js';
import { loadTf } from '../../../electron/core/adapt/tf.js';
import { BLANK, NUM_CLASSES } from '../../../electron/core/symbols.js';
import { readNpyFloat32 } from '../../helpers/npy.js';
import { adaptFixture } from './fixture.js';

const fx = adaptFixture();
const weights = (): StudentWeights => studentWeightsFrom(readSafetensors(readFileSync(fx.safetensors)));
const speech = readNpyFloat32(fx.parityInput);

/** A teacher: the same student with its gates moved (what the fixture's teacher.onnx is too). */
function perturbedGates(w: StudentWeights, seed: number): StudentWeights {
  const tensors = new Map(w.tensors);
  let s = seed;
  const rand = (): number => { s = (s * 1103515245 + 12345) % 2 ** 31; return s / 2 ** 31 - 0.5; };
  for (const name of GATE_PARAMS) {
    const t = w.tensors.get(name)!;
    tensors.set(name, { shape: t.shape, data: t.data.map((v) => v + (name.endsWith('bias') ? 1.0 : 0.1) * rand()) });
  }
  return { ...w, tensors };
}

function chunksFor(model: HdnnModel, teacherLp: Float32Array, front: Float32Array, size: number, tau: number): DistillChunk[] {
  const d = model.config.d;
  const frames = teacherLp.length / NUM_CLASSES;
  const out: DistillChunk[] = [];
  for (let a = 0; a < frames; a += size) {
    const b = Math.min(frames, a + size);
    const first = a + model.delay;
    const from = Math.max(0, first - model.receptiveField);
    out.push({ h0: front.slice(from * d, (b + model.delay) * d), rows: b + model.delay - from, context: first - from, target: temperedTarget(teacherLp.subarray(a * NUM_CLASSES, b * NUM_CLASSES), b - a, tau) });
  }
  return out;
}

/** The best path through each chunk's teacher frames, collapsed: the chunk's transcript as CTC labels. */
function withGreedyLabels(chunks: DistillChunk[], teacherLp: Float32Array, size: number): DistillChunk[] {
  return chunks.map((c, i) => {
    const labels: number[] = [];
    let prev = BLANK;
    const frames = c.rows - c.context;
    for (let t = i * size; t < i * size + frames; t++) {
      let best = 0;
      for (let k = 1; k < NUM_CLASSES; k++) if (teacherLp[t * NUM_CLASSES + k] > teacherLp[t * NUM_CLASSES + best]) best = k;
      if (best !== BLANK && best !== prev) labels.push(best);
      prev = best;
    }
    return { ...c, labels };
  });
}

describe('gate-only distillation in tfjs', () => {
  it('back-propagates the same gate gradients as PyTorch autograd (float64 reference)', async () => {
    const tf = await loadTf();
    const model = new HdnnModel(tf, weights());
    try {
      const frames = speech.shape[0];
      const front = model.frontend(speech.data, frames);
      const rows = front.length / model.config.d;
      const kept = rows - model.delay;
      // The fixture's target pattern: q[t, k] = ((7t + 3k) mod 11) / 10.
      const q = new Float32Array(kept * NUM_CLASSES).map((_, i) => ((7 * Math.floor(i / NUM_CLASSES) + 3 * (i % NUM_CLASSES)) % 11) / 10);
      const { value, grads } = tf.variableGrads(() => tf.tidy(() => {
        const logits = tf.slice(model.body(tf.tensor2d(front, [rows, model.config.d])), [model.delay, 0], [kept, NUM_CLASSES]);
        return tf.sum(tf.mul(tf.tensor2d(q, [kept, NUM_CLASSES]), tf.logSoftmax(tf.div(logits, 2)))) as tfc.Scalar;
      }), model.gates as tfc.Variable[]);
      value.dispose();
      const d = model.config.d;
      GATE_PARAMS.forEach((name, i) => {
        const g = Float32Array.from(grads[model.gates[i].name].dataSync());
        const want = readNpyFloat32(fx.parityInput.replace('student-input.npy', `student-grad-${name}.npy`)).data;
        // tfjs holds weights as [in, out]; torch's gradient is [out, in, 1].
        const got = name.endsWith('weight') ? Float32Array.from({ length: d * d }, (_, k) => g[(k % d) * d + Math.floor(k / d)]) : g;
        const scale = want.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
        const worst = got.reduce((m, v, k) => Math.max(m, Math.abs(v - want[k])), 0);
        assert.ok(scale > 0 && worst <= 1e-3 * scale, `${name}: max diff ${worst} for gradients up to ${scale}`);
      });
      for (const g of Object.values(grads)) g.dispose();
    } finally {
      model.dispose();
    }
  });

  it('moves the student toward a teacher that differs only in its gates, changing nothing else and leaking no tensors', async () => {
    const tf = await loadTf();
    const base = weights();
    const teacherModel = new HdnnModel(tf, perturbedGates(base, 3));
    const teacherLp = teacherModel.logProbs(speech.data, speech.shape[0]);
    teacherModel.dispose();
    const model = new HdnnModel(tf, base);
    try {
      const front = model.frontend(speech.data, speech.shape[0]);
      const chunks = chunksFor(model, teacherLp, front, 60, 2);
      const tensorsBefore = tf.memory().numTensors;
      const report = await trainGates(tf, model, chunks, { tau: 2, lr: 3e-3, l2: 0, epochs: 6, batchFrames: 120, timeBudgetSeconds: 60, seed: 1 });
      assert.equal(tf.memory().numTensors, tensorsBefore, 'no tensors leaked');
      assert.equal(report.epochsRun, 6);
      assert.ok(report.klByEpoch[5] < 0.7 * report.klByEpoch[0], `KL by epoch ${report.klByEpoch.join(', ')}`);
      // Only the gates moved: the model's non-gate weights are constants, so the adapted
      // outputs are reproduced by the base weights with the new gates swapped in.
      const gates = model.gateValues();
      const swapped = new Map(base.tensors);
      for (const [k, v] of gates) swapped.set(k, v);
      const check = new HdnnModel(tf, { ...base, tensors: swapped });
      const a = model.logProbs(speech.data, 200);
      const b = check.logProbs(speech.data, 200);
      check.dispose();
      assert.ok(a.every((v, i) => Math.abs(v - b[i]) < 1e-5));
      assert.deepEqual([...gates.keys()], [...GATE_PARAMS]);
    } finally {
      model.dispose();
    }
  });

  it('with the sequence-level term alone, lowers the CTC loss of the teacher\'s transcript, leaking no tensors', async () => {
    const tf = await loadTf();
    const base = weights();
    const teacherModel = new HdnnModel(tf, perturbedGates(base, 5));
    const teacherLp = teacherModel.logProbs(speech.data, speech.shape[0]);
    teacherModel.dispose();
    const model = new HdnnModel(tf, base);
    try {
      const chunks = withGreedyLabels(chunksFor(model, teacherLp, model.frontend(speech.data, speech.shape[0]), 60, 1), teacherLp, 60);
      assert.ok(chunks.some((c) => (c.labels?.length ?? 0) > 0), 'the teacher says something');
      const tensorsBefore = tf.memory().numTensors;
      const report = await trainGates(tf, model, chunks, { tau: 1, lr: 3e-3, l2: 0, frameWeight: 0, seqWeight: 1, epochs: 6, batchFrames: 120, timeBudgetSeconds: 60, seed: 1 });
      assert.equal(tf.memory().numTensors, tensorsBefore, 'no tensors leaked');
      assert.equal(report.ctcByEpoch.length, 6);
      assert.ok(report.ctcByEpoch.every((v, i) => i === 0 || v < report.ctcByEpoch[i - 1]) && report.ctcByEpoch[5] < 0.9 * report.ctcByEpoch[0], `CTC by epoch ${report.ctcByEpoch.join(', ')}`);
    } finally {
      model.dispose();
    }
  });

  it('stops at once when cancelled, with AdaptCancelled', async () => {
    const tf = await loadTf();
    const model = new HdnnModel(tf, weights());
    try {
      const lp = model.logProbs(speech.data, speech.shape[0]);
      const chunks = chunksFor(model, lp, model.frontend(speech.data, speech.shape[0]), 40, 2);
      const controller = new AbortController();
      let steps = 0;
      await assert.rejects(
        trainGates(tf, model, chunks, { tau: 2, lr: 1e-3, l2: 0, epochs: 50, batchFrames: 40, timeBudgetSeconds: 60, seed: 1, signal: controller.signal, onStep: () => { if (++steps === 2) controller.abort(); } }),
        AdaptCancelled,
      );
      assert.equal(steps, 2);
    } finally {
      model.dispose();
    }
  });
});
