import { InputError } from '../errors.js';
import { NUM_CLASSES } from '../symbols.js';
import type { Word } from '../transcribe/types.js';

/**
 * A CTC decoder fed log-probabilities as they arrive: `frames × NUM_CLASSES` natural-log
 * posteriors, row-major, any number of frames per push. Times are absolute seconds: frame
 * numbering starts at the offset given at construction or reset.
 */
export interface StreamingCtcDecoder {
  push(logprobs: Float32Array, frames: number): void;
  /** The best words so far, as they would stand if the audio ended now (greedy: the word still being spelled included). Does not change state. */
  partial(): Word[];
  /** The best words for everything pushed, with the sentence end scored. Does not change state. */
  finalize(): Word[];
  /** Forget everything; the next pushed frame is `frameOffset`. */
  reset(frameOffset?: number): void;
  /** Frames pushed since the last reset. */
  readonly framesDecoded: number;
}

export function checkLogprobs(logprobs: Float32Array, frames: number): void {
  if (!Number.isInteger(frames) || frames < 0 || logprobs.length < frames * NUM_CLASSES) {
    throw new InputError('decoder input', `expected ${frames} frames of ${NUM_CLASSES} log-probabilities, got ${logprobs.length} values`);
  }
}
