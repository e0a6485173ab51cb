import { BackoffModel } from './backoff-model.js';
import { BOS_ID } from './vocabulary.js';
import type { WordLm } from './word-lm.js';

/**
 * Static linear interpolation of two backoff models over one vocabulary into a single
 * backoff model (as SRILM's `ngram -mix-lm`): every n-gram either model stores gets
 * P = λ·P_a + (1−λ)·P_b, each side computed with its own backoff; backoff weights are then
 * recomputed so each history sums to 1. Stored n-grams score exactly as the dynamic mixture;
 * unseen ones back off through the mixed lower order, a close approximation.
 */
export function mixModels(a: BackoffModel, b: BackoffModel, lambda: number): { model: BackoffModel; clampedBackoffs: number } {
  if (a.vocab !== b.vocab) throw new Error('models to mix must share one Vocabulary');
  const mix = (pa: number, pb: number): number => Math.log(lambda * Math.exp(pa) + (1 - lambda) * Math.exp(pb));
  const out = new BackoffModel(a.vocab, mix(a.unkLogProb, b.unkLogProb));
  for (let w = 0; w < a.vocab.size; w++) out.uniProb[w] = w === BOS_ID ? -Infinity : mix(a.uniProb[w], b.uniProb[w]);
  for (const src of [a, b]) {
    for (const key of src.bigrams.keys) {
      if (out.bigrams.find(key) >= 0) continue;
      const [h, w] = a.idsOf(key, 2);
      out.bigrams.set(key, mix(a.prob(-1, h, w), b.prob(-1, h, w)));
    }
  }
  for (const src of [a, b]) {
    for (const key of src.trigrams.keys) {
      if (out.trigrams.find(key) >= 0) continue;
      const [h1, h2, w] = a.idsOf(key, 3);
      out.trigrams.set(key, mix(a.prob(h1, h2, w), b.prob(h1, h2, w)));
    }
  }
  out.normaliseUnigrams();
  return { model: out, clampedBackoffs: out.recomputeBackoffs() };
}

/**
 * The interpolation weight λ (of `a`) that maximises held-out likelihood of the dynamic
 * mixture λ·P_a + (1−λ)·P_b, by EM. Sentences are word lists; a word outside either
 * vocabulary is skipped and resets the history, as in perplexity().
 */
export function fitMixtureWeight(a: WordLm, b: WordLm, sentences: readonly string[][]): { lambda: number; iterations: number } {
  const pa: number[] = [];
  const pb: number[] = [];
  for (const words of sentences) {
    let sa = a.bos();
    let sb = b.bos();
    for (let k = 0; k <= words.length; k++) {
      const end = k === words.length;
      const ida = end ? -2 : a.wordId(words[k]);
      const idb = end ? -2 : b.wordId(words[k]);
      if (ida === -1 || idb === -1) {
        sa = a.next(sa, -1);
        sb = b.next(sb, -1);
        continue;
      }
      pa.push(Math.exp(end ? a.endScore(sa) : a.score(sa, ida)));
      pb.push(Math.exp(end ? b.endScore(sb) : b.score(sb, idb)));
      if (!end) {
        sa = a.next(sa, ida);
        sb = b.next(sb, idb);
      }
    }
  }
  let lambda = 0.5;
  let iterations = 0;
  for (; iterations < 200; iterations++) {
    let sum = 0;
    let n = 0;
    for (let i = 0; i < pa.length; i++) {
      const num = lambda * pa[i];
      const den = num + (1 - lambda) * pb[i];
      if (den > 0) {
        sum += num / den;
        n++;
      }
    }
    const next = sum / n;
    const done = Math.abs(next - lambda) < 1e-6;
    lambda = next;
    if (done) break;
  }
  return { lambda, iterations };
}
