import { BLANK, NUM_CLASSES } from '../symbols.js';

/**
 * When two CTC models fire. The student (200 ms look-ahead) puts its spikes 6–7 frames before
 * the teacher (2.6 s each side); gate-only distillation toward the teacher's frames as they are
 * would spend the gates on moving every spike instead of on the speaker or room. The lag is the
 * one that best lines up the two models' non-blank probability, as the training recipe measures
 * it (models/training/hush/spike_timing.py), so the two agree on its sign.
 */

/** Per-frame probability of any symbol but blank, from log-probs [frames × NUM_CLASSES]. */
export function nonBlank(logprobs: Float32Array, frames: number): Float64Array {
  const out = new Float64Array(frames);
  for (let t = 0; t < frames; t++) out[t] = 1 - Math.exp(logprobs[t * NUM_CLASSES + BLANK]);
  return out;
}

/**
 * The lag L (frames; positive: the student fires later) maximising the correlation of the
 * student's non-blank probability at t with the teacher's at t − L; null where either model
 * emits nothing or the audio is too short to tell.
 */
export function bestLag(student: Float32Array, teacher: Float32Array, frames: number, maxLag = 10): number | null {
  const s = centred(nonBlank(student, frames));
  const q = centred(nonBlank(teacher, frames));
  if (frames <= 2 * maxLag || norm(s) < 1e-6 || norm(q) < 1e-6) return null;
  let best = 0;
  let bestScore = -Infinity;
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    const from = Math.max(lag, 0);
    const to = frames + Math.min(lag, 0);
    let dot = 0;
    let ns = 0;
    let nq = 0;
    for (let t = from; t < to; t++) {
      dot += s[t] * q[t - lag];
      ns += s[t] * s[t];
      nq += q[t - lag] * q[t - lag];
    }
    const score = dot / (Math.sqrt(ns * nq) + 1e-9);
    if (score > bestScore) { bestScore = score; best = lag; }
  }
  return best;
}

/** The median of the per-file lags (0 when no file tells). */
export function medianLag(lags: readonly (number | null)[]): number {
  const known = lags.filter((x): x is number => x !== null).sort((a, b) => a - b);
  return known.length ? known[Math.floor(known.length / 2)] : 0;
}

/**
 * The teacher's frames moved onto the student's clock: out[t] = teacher[t − lag], the edge
 * frames repeated where that falls outside the file.
 */
export function alignTeacher(teacher: Float32Array, frames: number, lag: number): Float32Array {
  if (lag === 0) return teacher;
  const out = new Float32Array(frames * NUM_CLASSES);
  for (let t = 0; t < frames; t++) {
    const src = Math.min(frames - 1, Math.max(0, t - lag));
    out.set(teacher.subarray(src * NUM_CLASSES, (src + 1) * NUM_CLASSES), t * NUM_CLASSES);
  }
  return out;
}

function centred(x: Float64Array): Float64Array {
  let mean = 0;
  for (const v of x) mean += v;
  mean /= Math.max(1, x.length);
  return x.map((v) => v - mean);
}

function norm(x: Float64Array): number {
  let s = 0;
  for (const v of x) s += v * v;
  return Math.sqrt(s);
}
