/**
 * Gate-only distillation: the student's tied gates (and nothing else) minimise
 *
 *   w_f · τ² · KL(q_τ ‖ p_τ)  +  w_s · CTC(teacher's words | p)  +  λ · ‖θ_gates − θ_base‖²
 *
 * per frame, where p_τ is the student's posterior at temperature τ and q_τ the target: the
 * teacher's posterior at τ, optionally mixed with the base student's own (β), which is
 * a KL pull toward the base outputs folded into the same term. The CTC term is the
 * sequence-level half of the student recipe's winning row (d): the teacher's transcript of
 * the chunk as the label sequence, so the student keeps its own spike timing and sharpness
 * (frame-level KL alone, with the teacher's timing and blank rate, made the adapted student
 * drop words under the LM search). Adam, gradients accumulated over ~`batchFrames` frames,
 * learning rate decayed on a cosine.
 */
import type * as tfc from '@tensorflow/tfjs';
import { NUM_CLASSES } from '../symbols.js';
import { ctcOccupancy } from './ctc-occupancy.js';
import { AdaptCancelled } from './errors.js';
import type { HdnnModel } from './hdnn.js';
import type { Tf } from './tf.js';

/** One training example: body-input rows, of which the first `context` only warm up the convolutions. */
export interface DistillChunk {
  readonly h0: Float32Array;
  readonly rows: number;
  readonly context: number;
  /** Target distributions q_τ for rows context..rows-1: (rows - context) × 29. */
  readonly target: Float32Array;
  /** The teacher's transcript of these rows as symbol indices (sequence-level target); absent: none. */
  readonly labels?: readonly number[];
}

export interface TrainOptions {
  tau: number;
  lr: number;
  l2: number;
  /** Weight of the frame-level KL term (default 1). */
  frameWeight?: number;
  /** Weight of the sequence-level CTC term, per frame (default 0: off). */
  seqWeight?: number;
  epochs: number;
  batchFrames: number;
  /** Stop after the step that crosses this many seconds of training (the rest of the epoch is skipped). */
  timeBudgetSeconds: number;
  seed: number;
  signal?: AbortSignal;
  onStep?: (s: StepInfo) => void;
}

export interface StepInfo {
  step: number;
  totalSteps: number;
  epoch: number;
  /** Mean KL·τ² of the chunks seen in this epoch so far. */
  kl: number;
  elapsedSeconds: number;
}

export interface TrainReport {
  steps: number;
  epochsRun: number;
  stoppedByBudget: boolean;
  /** Mean τ²·KL per frame over each epoch, as trained (includes the first epoch's pre-update chunks). */
  klByEpoch: number[];
  /** Mean CTC loss per frame over each epoch on the chunks with labels (empty when the term is off). */
  ctcByEpoch: number[];
  seconds: number;
}

/** softmax(logp / τ) per frame, optionally mixed with a second source: (1-β)·a + β·b. */
export function temperedTarget(a: Float32Array, frames: number, tau: number, b?: Float32Array, beta = 0): Float32Array {
  const out = new Float32Array(frames * NUM_CLASSES);
  const row = new Float64Array(NUM_CLASSES);
  const add = (src: Float32Array, weight: number): void => {
    for (let t = 0; t < frames; t++) {
      let max = -Infinity;
      for (let k = 0; k < NUM_CLASSES; k++) { row[k] = src[t * NUM_CLASSES + k] / tau; if (row[k] > max) max = row[k]; }
      let sum = 0;
      for (let k = 0; k < NUM_CLASSES; k++) { row[k] = Math.exp(row[k] - max); sum += row[k]; }
      for (let k = 0; k < NUM_CLASSES; k++) out[t * NUM_CLASSES + k] += (weight * row[k]) / sum;
    }
  };
  add(a, b && beta > 0 ? 1 - beta : 1);
  if (b && beta > 0) add(b, beta);
  return out;
}

/** Σ q·log q over all frames: the entropy term that turns the cross-entropy into a KL. */
function negEntropy(q: Float32Array): number {
  let s = 0;
  for (let i = 0; i < q.length; i++) if (q[i] > 0) s += q[i] * Math.log(q[i]);
  return s;
}

function shuffled(n: number, seed: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  let s = seed >>> 0 || 1;
  const rand = (): number => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 2 ** 32;
  };
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Train the model's gate variables in place. Throws AdaptCancelled when the signal fires. */
export async function trainGates(tf: Tf, model: HdnnModel, chunks: readonly DistillChunk[], opts: TrainOptions): Promise<TrainReport> {
  const t0 = performance.now();
  const d = model.config.d;
  const base = model.gates.map((g) => tf.keep(g.clone()));
  const optimizer = new DecayingAdam(tf, opts.lr);
  const frameCounts = chunks.map((c) => c.rows - c.context);
  const entropies = chunks.map((c) => negEntropy(c.target));
  const stepsPerEpoch = countSteps(frameCounts, opts.batchFrames);
  const totalSteps = stepsPerEpoch * opts.epochs;
  const klByEpoch: number[] = [];
  const ctcByEpoch: number[] = [];
  const frameWeight = opts.frameWeight ?? 1;
  const seqWeight = opts.seqWeight ?? 0;
  let step = 0;
  let stoppedByBudget = false;
  const tau2 = opts.tau * opts.tau;
  try {
    for (let epoch = 0; epoch < opts.epochs && !stoppedByBudget; epoch++) {
      let acc: Map<string, tfc.Tensor> = new Map();
      let accFrames = 0;
      let klSum = 0;
      let klFrames = 0;
      let ctcSum = 0;
      let ctcFrames = 0;
      for (const ci of shuffled(chunks.length, opts.seed + epoch)) {
        if (opts.signal?.aborted) throw new AdaptCancelled();
        const c = chunks[ci];
        const n = frameCounts[ci];
        const kept: { ce?: tfc.Tensor } = {};
        const { value, grads } = tf.variableGrads(() => tf.tidy(() => {
          const logits = tf.slice(model.body(tf.tensor2d(c.h0, [c.rows, d])), [c.context, 0], [n, NUM_CLASSES]);
          const logp = tf.logSoftmax(tf.div(logits, opts.tau));
          const ce = tf.neg(tf.sum(tf.mul(tf.tensor2d(c.target, [n, NUM_CLASSES]), logp)));
          kept.ce = tf.keep(ce);
          const reg = tf.addN(model.gates.map((g, i) => tf.sum(tf.squaredDifference(g, base[i]))));
          let loss = tf.add(tf.mul(ce, (frameWeight * tau2) / opts.batchFrames), tf.mul(reg, (opts.l2 * n) / opts.batchFrames));
          if (seqWeight > 0 && c.labels) {
            // γ from the student's output as it stands, then held fixed: the CTC gradient (see ctc-occupancy).
            const logp1 = tf.logSoftmax(logits);
            const occ = ctcOccupancy(logp1.dataSync() as Float32Array, n, c.labels);
            if (occ) {
              loss = tf.add(loss, tf.mul(tf.neg(tf.sum(tf.mul(tf.tensor2d(occ.gamma, [n, NUM_CLASSES]), logp1))), seqWeight / opts.batchFrames));
              ctcSum += occ.nll;
              ctcFrames += n;
            }
          }
          return loss as tfc.Scalar;
        }), model.gates as tfc.Variable[]);
        value.dispose();
        if (kept.ce) {
          // KL before this chunk's update: (cross-entropy + Σ q log q)·τ².
          klSum += ((await kept.ce.data())[0] + entropies[ci]) * tau2;
          kept.ce.dispose();
        }
        klFrames += n;
        acc = accumulate(tf, acc, grads);
        accFrames += n;
        if (accFrames >= opts.batchFrames) {
          optimizer.setLearningRate(cosine(opts.lr, step, totalSteps));
          optimizer.applyGradients(acc);
          for (const g of acc.values()) g.dispose();
          acc = new Map();
          accFrames = 0;
          step++;
          const elapsedSeconds = (performance.now() - t0) / 1000;
          opts.onStep?.({ step, totalSteps, epoch, kl: klSum / Math.max(klFrames, 1), elapsedSeconds });
          if (elapsedSeconds > opts.timeBudgetSeconds) { stoppedByBudget = true; break; }
        }
        await tick();
      }
      if (acc.size > 0) {
        if (accFrames > 0 && !stoppedByBudget) {
          optimizer.setLearningRate(cosine(opts.lr, step, totalSteps));
          optimizer.applyGradients(acc);
          step++;
        }
        for (const g of acc.values()) g.dispose();
      }
      klByEpoch.push(klSum / Math.max(klFrames, 1));
      if (ctcFrames > 0) ctcByEpoch.push(ctcSum / ctcFrames);
    }
  } finally {
    for (const b of base) b.dispose();
    optimizer.dispose();
  }
  return { steps: step, epochsRun: klByEpoch.length, stoppedByBudget, klByEpoch, ctcByEpoch, seconds: (performance.now() - t0) / 1000 };
}

function accumulate(tf: Tf, acc: Map<string, tfc.Tensor>, grads: tfc.NamedTensorMap): Map<string, tfc.Tensor> {
  for (const [name, g] of Object.entries(grads)) {
    const prev = acc.get(name);
    if (prev) {
      acc.set(name, tf.add(prev, g));
      prev.dispose();
      g.dispose();
    } else {
      acc.set(name, g);
    }
  }
  return acc;
}

/** Optimizer steps in one epoch: an update each time the accumulated frames reach batchFrames, plus the remainder. */
export function countSteps(frameCounts: readonly number[], batchFrames: number): number {
  let steps = 0;
  let acc = 0;
  for (const n of frameCounts) {
    acc += n;
    if (acc >= batchFrames) { steps++; acc = 0; }
  }
  return steps + (acc > 0 ? 1 : 0);
}

function cosine(lr: number, step: number, total: number): number {
  const p = Math.min(1, step / Math.max(total, 1));
  return lr * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * p)));
}

/** Adam with a settable learning rate (tfjs keeps it protected). */
class DecayingAdam {
  private readonly inner: tfc.AdamOptimizer & { setLr(lr: number): void };

  constructor(tf: Tf, lr: number) {
    class Settable extends tf.AdamOptimizer {
      setLr(next: number): void {
        this.learningRate = next;
      }
    }
    this.inner = new Settable(lr, 0.9, 0.999, 1e-8);
  }

  setLearningRate(lr: number): void {
    this.inner.setLr(lr);
  }

  applyGradients(grads: ReadonlyMap<string, tfc.Tensor>): void {
    this.inner.applyGradients([...grads].map(([name, tensor]) => ({ name, tensor })));
  }

  dispose(): void {
    this.inner.dispose();
  }
}
