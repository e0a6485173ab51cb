import type { WordLm } from './word-lm.js';

export interface PerplexityResult {
  perplexity: number;
  /** Scored tokens: in-vocabulary words plus one </s> per sentence. */
  tokens: number;
  /** Words skipped as out of vocabulary (or excluded by `include`). */
  skipped: number;
  /** Sum of ln P over scored tokens. */
  logProb: number;
}

/**
 * Perplexity over sentences given as word lists. Out-of-vocabulary words are skipped and
 * reset the history (the usual SRILM convention), so models with different vocabularies
 * can be compared on a common token set by passing the same `include` filter.
 */
export function perplexity(lm: WordLm, sentences: readonly string[][], include: (word: string) => boolean = () => true): PerplexityResult {
  let logProb = 0;
  let tokens = 0;
  let skipped = 0;
  for (const words of sentences) {
    let state = lm.bos();
    for (const word of words) {
      const id = include(word) ? lm.wordId(word) : -1;
      if (id < 0) {
        skipped++;
        state = lm.next(state, -1);
        continue;
      }
      logProb += lm.score(state, id);
      tokens++;
      state = lm.next(state, id);
    }
    logProb += lm.endScore(state);
    tokens++;
  }
  return { perplexity: Math.exp(-logProb / tokens), tokens, skipped, logProb };
}
