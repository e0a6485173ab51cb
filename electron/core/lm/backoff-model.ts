import { BOS_ID, EOS_ID, UNK_ID, type Vocabulary } from './vocabulary.js';
import type { WordLm } from './word-lm.js';

/**
 * n-grams of one order, keyed by their word ids packed into one number (see keyOf).
 * Arrays rather than objects per entry: the build holds a few million of them.
 */
export class NgramTable {
  private readonly index = new Map<number, number>();
  readonly keys: number[] = [];
  readonly prob: number[] = [];
  readonly bow: number[] = [];

  get size(): number {
    return this.keys.length;
  }

  find(key: number): number {
    return this.index.get(key) ?? -1;
  }

  /** Adds or overwrites; returns the entry's index. */
  set(key: number, prob: number, bow = 0): number {
    const at = this.index.get(key);
    if (at !== undefined) {
      this.prob[at] = prob;
      this.bow[at] = bow;
      return at;
    }
    this.index.set(key, this.keys.length);
    this.keys.push(key);
    this.prob.push(prob);
    this.bow.push(bow);
    return this.keys.length - 1;
  }

  /** A copy holding only the entries `keep` accepts (indices change). */
  filter(keep: (i: number) => boolean): NgramTable {
    const out = new NgramTable();
    for (let i = 0; i < this.keys.length; i++) if (keep(i)) out.set(this.keys[i], this.prob[i], this.bow[i]);
    return out;
  }
}

/**
 * Largest vocabulary whose trigram keys stay exact in a double: v³ < 2^53.
 * The build's vocabulary is ~80k words, far below it.
 */
export const MAX_BUILD_VOCAB = 208_000;

/**
 * A trigram backoff model in memory, as the build makes it: ARPA semantics, natural-log
 * probabilities. Entry (h1, h2, w) of order 3 has key (h1·V + h2)·V + w; a bigram (h, w)
 * has key h·V + w. The compiled file (compile.ts) is made from this.
 */
export class BackoffModel implements WordLm {
  readonly uniProb: Float64Array;
  readonly uniBow: Float64Array;
  bigrams = new NgramTable();
  trigrams = new NgramTable();
  unkLogProb: number;

  constructor(
    readonly vocab: Vocabulary,
    unkLogProb = -Infinity,
  ) {
    if (vocab.size >= MAX_BUILD_VOCAB) throw new RangeError(`vocabulary of ${vocab.size} words is over the build's ${MAX_BUILD_VOCAB}`);
    this.uniProb = new Float64Array(vocab.size).fill(-Infinity);
    this.uniBow = new Float64Array(vocab.size);
    this.unkLogProb = unkLogProb;
  }

  get vocabSize(): number {
    return this.vocab.size;
  }

  key2(h: number, w: number): number {
    return h * this.vocab.size + w;
  }

  key3(h1: number, h2: number, w: number): number {
    return (h1 * this.vocab.size + h2) * this.vocab.size + w;
  }

  /** Splits a key of order `n` into its ids, oldest first. */
  idsOf(key: number, n: 2 | 3): number[] {
    const v = this.vocab.size;
    const w = key % v;
    const rest = (key - w) / v;
    if (n === 2) return [rest, w];
    const h2 = rest % v;
    return [(rest - h2) / v, h2, w];
  }

  /** ln P(w | h1 h2) by the backoff rule; h1 and/or h2 may be -1 (no such history). */
  prob(h1: number, h2: number, w: number): number {
    let backoff = 0;
    if (h1 >= 0 && h2 >= 0) {
      const t = this.trigrams.find(this.key3(h1, h2, w));
      if (t >= 0) return this.trigrams.prob[t];
      const b = this.bigrams.find(this.key2(h1, h2));
      if (b >= 0) backoff += this.bigrams.bow[b];
    }
    if (h2 >= 0) {
      const b = this.bigrams.find(this.key2(h2, w));
      if (b >= 0) return backoff + this.bigrams.prob[b];
      backoff += this.uniBow[h2];
    }
    return backoff + this.uniProb[w];
  }

  // WordLm: a state packs the two-word history as (h1 + 1)·(V + 1) + (h2 + 1), -1 meaning none.

  wordId(text: string): number {
    return this.vocab.id(text);
  }

  bos(): number {
    return this.pack(-1, BOS_ID);
  }

  score(state: number, word: number): number {
    if (word < 0) return this.unkLogProb;
    const [h1, h2] = this.unpack(state);
    return this.prob(h1, h2, word);
  }

  next(state: number, word: number): number {
    const [, h2] = this.unpack(state);
    return word < 0 ? this.pack(-1, -1) : this.pack(h2, word);
  }

  endScore(state: number): number {
    return this.score(state, EOS_ID);
  }

  private pack(h1: number, h2: number): number {
    return (h1 + 1) * (this.vocab.size + 1) + (h2 + 1);
  }

  private unpack(state: number): [number, number] {
    const base = this.vocab.size + 1;
    const b = state % base;
    return [(state - b) / base - 1, b - 1];
  }

  /**
   * Makes the unigrams sum to 1 over every predictable token (all but <s> and <unk>).
   * The build drops words the decoder can never spell; their mass is shared out here
   * rather than silently lost.
   */
  normaliseUnigrams(): void {
    let total = 0;
    for (let w = 0; w < this.vocab.size; w++) if (predictable(w)) total += Math.exp(this.uniProb[w]);
    const shift = Math.log(total);
    for (let w = 0; w < this.vocab.size; w++) if (predictable(w)) this.uniProb[w] -= shift;
  }

  /**
   * Sets every backoff weight so each history's distribution sums to 1 given the n-grams
   * actually stored: bow(h) = (1 − Σ P(w|h)) / (1 − Σ P_lower(w|h)) over the stored w.
   * Needed after dropping, pruning or mixing n-grams. Returns how many histories had no
   * mass left to give (clamped), which the build reports.
   */
  recomputeBackoffs(): number {
    let clamped = 0;
    const v = this.vocab.size;
    const uniSum = new Float64Array(v);
    const uniLower = new Float64Array(v);
    for (let i = 0; i < this.bigrams.size; i++) {
      const [h, w] = this.idsOf(this.bigrams.keys[i], 2);
      uniSum[h] += Math.exp(this.bigrams.prob[i]);
      uniLower[h] += Math.exp(this.uniProb[w]);
    }
    for (let h = 0; h < v; h++) {
      if (uniSum[h] === 0) {
        this.uniBow[h] = 0;
        continue;
      }
      const [bow, wasClamped] = backoffWeight(uniSum[h], uniLower[h]);
      this.uniBow[h] = bow;
      if (wasClamped) clamped++;
    }
    const triSum = new Float64Array(this.bigrams.size);
    const triLower = new Float64Array(this.bigrams.size);
    for (let i = 0; i < this.trigrams.size; i++) {
      const [h1, h2, w] = this.idsOf(this.trigrams.keys[i], 3);
      const ctx = this.bigrams.find(this.key2(h1, h2));
      if (ctx < 0) throw new Error(`trigram without its history bigram: ${this.vocab.word(h1)} ${this.vocab.word(h2)} ${this.vocab.word(w)}`);
      triSum[ctx] += Math.exp(this.trigrams.prob[i]);
      triLower[ctx] += Math.exp(this.prob(-1, h2, w));
    }
    for (let b = 0; b < this.bigrams.size; b++) {
      if (triSum[b] === 0) {
        this.bigrams.bow[b] = 0;
        continue;
      }
      const [bow, wasClamped] = backoffWeight(triSum[b], triLower[b]);
      this.bigrams.bow[b] = bow;
      if (wasClamped) clamped++;
    }
    return clamped;
  }
}

function predictable(w: number): boolean {
  return w !== BOS_ID && w !== UNK_ID;
}

/** Smallest mass a history keeps for unseen words, so a clamped history still backs off. */
const MIN_LEFT = 1e-6;

function backoffWeight(seen: number, seenLower: number): [number, boolean] {
  let clamped = false;
  let left = 1 - seen;
  if (left < MIN_LEFT) {
    left = MIN_LEFT;
    clamped = true;
  }
  const lowerLeft = Math.max(1 - seenLower, MIN_LEFT);
  return [Math.log(left / lowerLeft), clamped];
}

