import { OUTPUT_FRAME_SECONDS } from '../symbols.js';
import type { Word } from '../transcribe/types.js';

/** Seconds at the start of output frame `frame`, to the millisecond (so 7 frames is 0.14, not 0.14000000000000001). */
export function frameSeconds(frame: number): number {
  return Math.round(frame * OUTPUT_FRAME_SECONDS * 1000) / 1000;
}

/**
 * A decoded word. It spans from the first frame where its first character fires to one frame
 * past the last frame where its last character fires. Confidence is the geometric mean of
 * the posteriors of the emitted characters over the word's non-blank frames, a 0..1 number
 * that drops when any character was uncertain.
 */
export function makeWord(text: string, firstFrame: number, lastFrame: number, logPostSum: number, nonBlankFrames: number): Word {
  return {
    text,
    start: frameSeconds(firstFrame),
    end: frameSeconds(lastFrame + 1),
    confidence: nonBlankFrames > 0 ? Math.exp(logPostSum / nonBlankFrames) : 0,
  };
}

/** Completed words of a hypothesis, newest first, shared between hypotheses that extend it. */
export interface WordList {
  readonly word: Word;
  readonly prev: WordList | null;
}

export function wordsOf(list: WordList | null): Word[] {
  const out: Word[] = [];
  for (let node = list; node; node = node.prev) out.push(node.word);
  return out.reverse();
}
