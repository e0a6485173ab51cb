import { readFileSync } from 'node:fs';
import { HdnnModel, studentWeightsFrom } from '../../../electron/core/adapt/hdnn.js';
import { readSafetensors } from '../../../electron/core/adapt/safetensors.js';
import { loadTf } from '../../../electron/core/adapt/tf.js';
import { trainGates, temperedTarget, type DistillChunk } from '../../../electron/core/adapt/gate-trainer.js';
const dir = process.argv[2];
const tf = await loadTf();
console.log('backend', tf.getBackend());
const model = new HdnnModel(tf, studentWeightsFrom(readSafetensors(readFileSync(`${dir}/student.safetensors`))));
const T = 6000; const feats = new Float32Array(T * 80).map(() => Math.random() * 4 - 8);
let t0 = performance.now();
const h0 = model.frontend(feats, T);
console.log('frontend s', (performance.now() - t0) / 1000, h0.length / model.config.d);
t0 = performance.now();
const lp = model.logProbsFromFront(h0);
console.log('forward s per 1000 out frames', (performance.now() - t0) / 1000 / (lp.length / 29 / 1000));
const chunk = Number(process.argv[3] ?? 400); const rf = model.receptiveField; const d = model.config.d;
const chunks: DistillChunk[] = [];
for (let s = model.delay; s + chunk <= h0.length / d; s += chunk) {
  const from = Math.max(0, s - rf);
  chunks.push({ h0: h0.slice(from * d, (s + chunk) * d), rows: s + chunk - from, context: s - from, target: temperedTarget(lp.subarray((s - model.delay) * 29, (s - model.delay + chunk) * 29), chunk, 2) });
}
t0 = performance.now();
const rep = await trainGates(tf, model, chunks, { tau: 2, lr: 1e-3, l2: 1e-3, epochs: 1, batchFrames: 800, timeBudgetSeconds: 1e9, seed: 1 });
const s = (performance.now() - t0) / 1000;
console.log('train', rep, 's per 1000 frames', s / (chunks.length * chunk / 1000), 'numTensors', tf.memory().numTensors);
