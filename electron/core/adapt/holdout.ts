/**
 * Which audio trains and which is held out to measure the gain. Files are cut into
 * pieces (a long recording into several, each no longer than `maxPieceFrames`); pieces
 * are assigned in order, a piece going to the held-out set whenever that set is behind
 * its share, so held-out audio is spread over the whole session, not one end of it.
 */
import { BLANK, NUM_CLASSES, SPACE } from '../symbols.js';

/** A span of output frames [from, to) of one file (20 ms frames). */
export interface Piece {
  readonly file: number;
  readonly from: number;
  readonly to: number;
}

export interface Split {
  readonly train: Piece[];
  readonly holdout: Piece[];
}

/** Piece length: about a quarter of the held-out share, between 5 s and 30 s. */
export function pieceFrames(totalFrames: number, fraction: number): number {
  return Math.max(250, Math.min(1500, Math.round((totalFrames * fraction) / 4)));
}

function cutPieces(fileFrames: readonly number[], fraction: number): Piece[] {
  const total = fileFrames.reduce((a, b) => a + b, 0);
  const maxPiece = pieceFrames(total, fraction);
  const pieces: Piece[] = [];
  fileFrames.forEach((frames, file) => {
    const n = Math.max(1, Math.ceil(frames / maxPiece));
    for (let i = 0; i < n; i++) pieces.push({ file, from: Math.round((i * frames) / n), to: Math.round(((i + 1) * frames) / n) });
  });
  return pieces;
}

export function splitHoldout(fileFrames: readonly number[], fraction: number): Split {
  const pieces = cutPieces(fileFrames, fraction);
  const train: Piece[] = [];
  const holdout: Piece[] = [];
  let seen = 0;
  let held = 0;
  for (const p of pieces) {
    const len = p.to - p.from;
    seen += len;
    if (len > 0 && held + len / 2 < fraction * seen) {
      holdout.push(p);
      held += len;
    } else {
      train.push(p);
    }
  }
  if (holdout.length === 0 && train.length > 1) holdout.push(train.pop()!);
  return { train, holdout };
}

/** Below this much audio, the held-out share rotates over the whole recording (see foldsFor). */
export const ROTATE_BELOW_SECONDS = 150;

/**
 * How many train/held-out splits measure the gain. A short recording's 20 % holds too few words
 * for the before/after to mean anything (one minute of one speaker: about 23 words, where one
 * word moves the WER by 4 points), so below ROTATE_BELOW_SECONDS the share held out rotates
 * (k = 1/fraction folds, each piece held out exactly once) and the WERs are pooled over all the
 * audio. Each fold trains on little audio, so the k trainings stay short.
 */
export function foldsFor(audioSeconds: number, fraction: number, rotateBelowSeconds = ROTATE_BELOW_SECONDS): number {
  return audioSeconds < rotateBelowSeconds ? Math.max(2, Math.round(1 / fraction)) : 1;
}

/** k splits that each hold out every k-th piece, so that every piece is held out in exactly one. */
export function splitFolds(fileFrames: readonly number[], fraction: number, k: number): Split[] {
  if (k <= 1) return [splitHoldout(fileFrames, fraction)];
  const pieces = cutPieces(fileFrames, fraction);
  return Array.from({ length: k }, (_, f) => ({
    train: pieces.filter((_, i) => i % k !== f),
    holdout: pieces.filter((_, i) => i % k === f),
  })).filter((s) => s.holdout.length > 0 && s.train.length > 0);
}

/**
 * Seconds of speech by the teacher's reading: frames within `margin` frames of one whose
 * best class is a letter (not blank, not space). Silence, music and noise do not count.
 */
export function speechFrames(logprobs: Float32Array, frames: number, margin = 10): number {
  const voiced = new Uint8Array(frames);
  for (let t = 0; t < frames; t++) {
    let best = 0;
    for (let k = 1; k < NUM_CLASSES; k++) if (logprobs[t * NUM_CLASSES + k] > logprobs[t * NUM_CLASSES + best]) best = k;
    if (best !== BLANK && best !== SPACE) voiced.fill(1, Math.max(0, t - margin), Math.min(frames, t + margin + 1));
  }
  return voiced.reduce((a, b) => a + b, 0);
}
