import { BLANK, NUM_CLASSES, SPACE, SYMBOLS } from '../symbols.js';
import type { Word } from '../transcribe/types.js';
import { checkLogprobs, type StreamingCtcDecoder } from './streaming.js';
import { makeWord } from './words.js';

/**
 * Best-path CTC decoding: the most likely symbol per frame, repeats collapsed, blanks
 * dropped, words split at spaces. No LM; it is what `lm: false` gives, and the reference
 * the beam search must equal with beam 1 and no LM.
 */
export class GreedyCtcDecoder implements StreamingCtcDecoder {
  private words: Word[] = [];
  private prev = BLANK;
  private text = '';
  private first = 0;
  private last = 0;
  private logPostSum = 0;
  private nonBlank = 0;
  private frame = 0;
  private offset = 0;

  constructor(frameOffset = 0) {
    this.reset(frameOffset);
  }

  get framesDecoded(): number {
    return this.frame - this.offset;
  }

  push(logprobs: Float32Array, frames: number): void {
    checkLogprobs(logprobs, frames);
    for (let t = 0; t < frames; t++, this.frame++) {
      const row = t * NUM_CLASSES;
      let best = 0;
      for (let c = 1; c < NUM_CLASSES; c++) if (logprobs[row + c] > logprobs[row + best]) best = c;
      const repeat = best === this.prev;
      this.prev = best;
      if (best === BLANK) continue;
      if (best === SPACE) {
        if (!repeat) this.closeWord();
        continue;
      }
      if (!repeat) {
        if (this.text === '') this.first = this.frame;
        this.text += SYMBOLS[best];
      }
      // A repeated frame still belongs to the character: it moves the end and counts for confidence.
      this.last = this.frame;
      this.logPostSum += logprobs[row + best];
      this.nonBlank++;
    }
  }

  partial(): Word[] {
    return this.text ? [...this.words, this.pending()] : [...this.words];
  }

  finalize(): Word[] {
    return this.partial();
  }

  reset(frameOffset = 0): void {
    this.words = [];
    this.prev = BLANK;
    this.text = '';
    this.logPostSum = 0;
    this.nonBlank = 0;
    this.frame = frameOffset;
    this.offset = frameOffset;
  }

  private pending(): Word {
    return makeWord(this.text, this.first, this.last, this.logPostSum, this.nonBlank);
  }

  private closeWord(): void {
    if (!this.text) return;
    this.words.push(this.pending());
    this.text = '';
    this.logPostSum = 0;
    this.nonBlank = 0;
  }
}

/** Greedy CTC over a whole matrix (`frames × NUM_CLASSES` natural-log posteriors); `frameOffset` is the first row's frame number. */
export function ctcGreedy(logprobs: Float32Array, frames: number, frameOffset = 0): Word[] {
  const decoder = new GreedyCtcDecoder(frameOffset);
  decoder.push(logprobs, frames);
  return decoder.finalize();
}
