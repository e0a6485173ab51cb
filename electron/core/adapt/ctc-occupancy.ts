/**
 * CTC's forward–backward over one chunk: the posterior occupancy γ[t][k] of each class at each
 * frame, summed over every alignment of the label sequence, and the CTC loss −ln P(labels).
 *
 * Why: the gradient of the CTC loss with respect to the logits is softmax − γ, which is also the
 * gradient of the cross-entropy to γ held fixed. So sequence-level distillation (the teacher's
 * transcript as a CTC target) runs in the same gate trainer as the frame-level loss, with γ
 * re-estimated from the student's own output at every step. tfjs has no CTC op, and this keeps
 * the autograd tfjs's own.
 */
import { BLANK, NUM_CLASSES } from '../symbols.js';

export interface Occupancy {
  /** frames × classes, each row summing to 1. */
  gamma: Float32Array;
  /** −ln P(labels | logp). */
  nll: number;
}

function logAdd(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/** Frames a label sequence needs: one per label, plus a blank between each pair of equal neighbours. */
export function framesNeeded(labels: readonly number[]): number {
  let n = labels.length;
  for (let i = 1; i < labels.length; i++) if (labels[i] === labels[i - 1]) n++;
  return n;
}

/**
 * `logp`: frames × classes natural-log posteriors (row-major); `labels`: class indices, no blanks.
 * Returns null when the labels cannot fit in the frames (no alignment exists).
 */
export function ctcOccupancy(logp: Float32Array, frames: number, labels: readonly number[], classes = NUM_CLASSES, blank = BLANK): Occupancy | null {
  if (frames === 0 || framesNeeded(labels) > frames) return null;
  // The extended sequence: blank, l1, blank, l2, …, lL, blank.
  const S = 2 * labels.length + 1;
  const ext = new Int32Array(S).fill(blank);
  labels.forEach((l, i) => { ext[2 * i + 1] = l; });
  const skip = (s: number): boolean => s >= 2 && ext[s] !== blank && ext[s] !== ext[s - 2];
  const alpha = new Float64Array(frames * S).fill(-Infinity);
  const beta = new Float64Array(frames * S).fill(-Infinity);
  alpha[0] = logp[ext[0]];
  if (S > 1) alpha[1] = logp[ext[1]];
  for (let t = 1; t < frames; t++) {
    const row = t * S;
    const prev = row - S;
    for (let s = 0; s < S; s++) {
      let a = alpha[prev + s];
      if (s >= 1) a = logAdd(a, alpha[prev + s - 1]);
      if (skip(s)) a = logAdd(a, alpha[prev + s - 2]);
      if (a !== -Infinity) alpha[row + s] = a + logp[t * classes + ext[s]];
    }
  }
  // β excludes frame t's own emission, so α + β counts it once.
  const last = (frames - 1) * S;
  beta[last + S - 1] = 0;
  if (S > 1) beta[last + S - 2] = 0;
  for (let t = frames - 2; t >= 0; t--) {
    const row = t * S;
    const next = row + S;
    const lpNext = (t + 1) * classes;
    for (let s = 0; s < S; s++) {
      let b = beta[next + s] + logp[lpNext + ext[s]];
      if (s + 1 < S) b = logAdd(b, beta[next + s + 1] + logp[lpNext + ext[s + 1]]);
      if (s + 2 < S && skip(s + 2)) b = logAdd(b, beta[next + s + 2] + logp[lpNext + ext[s + 2]]);
      beta[row + s] = b;
    }
  }
  const logZ = S > 1 ? logAdd(alpha[last + S - 1], alpha[last + S - 2]) : alpha[last];
  if (!Number.isFinite(logZ)) return null;
  const gamma = new Float32Array(frames * classes);
  for (let t = 0; t < frames; t++) {
    for (let s = 0; s < S; s++) {
      const v = alpha[t * S + s] + beta[t * S + s] - logZ;
      if (v > -80) gamma[t * classes + ext[s]] += Math.exp(v);
    }
  }
  return { gamma, nll: -logZ };
}
