import { BOS_ID, EOS_ID, UNK_ID } from './vocabulary.js';
import { WORD_MASK, WORD_BITS, wordHash } from './format.js';
import type { SpellingIndex } from './lexicon.js';
import type { WordLm } from './word-lm.js';

/** The typed-array views of a compiled LM file (see format.ts and README.md). */
export interface LmArrays {
  /** Words back to back (ASCII), word i at [vocabOffsets[i], vocabOffsets[i + 1]). */
  vocabBlob: Uint8Array;
  vocabOffsets: Uint32Array;
  /** Open-addressing table by wordHash: id + 1, 0 = empty. */
  wordTable: Uint32Array;
  /** Word ids sorted by spelling. */
  spelling: Uint32Array;
  unkLogProb: number;
  uniProb: Float32Array;
  uniBow: Float32Array;
  uniChild: Uint32Array;
  biProbBook: Float32Array;
  biBowBook: Float32Array;
  triProbBook: Float32Array;
  biEntry: Uint32Array;
  biBow: Uint8Array;
  biChild: Uint32Array;
  triEntry: Uint32Array;
}

/** Index in entries[lo, hi) whose word id is `word`, or -1 (entries are sorted by word id). */
function findWord(entries: Uint32Array, lo: number, hi: number, word: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const w = entries[mid] & WORD_MASK;
    if (w === word) return mid;
    if (w < word) lo = mid + 1;
    else hi = mid;
  }
  return -1;
}

/**
 * A compiled trigram LM, scored straight from its typed arrays. Natural-log probabilities.
 *
 * A state is one integer: s < vocabSize means the history is the single word s (the
 * longer history added nothing); s ≥ vocabSize means the history is bigram number
 * s − vocabSize. States are thus as cheap as the word ids themselves and two hypotheses
 * with the same useful history share a state.
 */
export class NgramLm implements WordLm, SpellingIndex {
  readonly vocabSize: number;
  readonly unkLogProb: number;
  private readonly mask: number;

  constructor(
    private readonly a: LmArrays,
    /** Where it was loaded from, for messages. */
    readonly source: string,
  ) {
    this.vocabSize = a.vocabOffsets.length - 1;
    this.unkLogProb = a.unkLogProb;
    this.mask = a.wordTable.length - 1;
  }

  get bigramCount(): number {
    return this.a.biEntry.length;
  }

  get trigramCount(): number {
    return this.a.triEntry.length;
  }

  wordId(text: string): number {
    const { wordTable, vocabOffsets, vocabBlob } = this.a;
    for (let slot = wordHash(text) & this.mask; ; slot = (slot + 1) & this.mask) {
      const entry = wordTable[slot];
      if (entry === 0) return -1;
      const id = entry - 1;
      const start = vocabOffsets[id];
      if (vocabOffsets[id + 1] - start !== text.length) continue;
      let same = true;
      for (let i = 0; i < text.length && same; i++) same = vocabBlob[start + i] === text.charCodeAt(i);
      if (same) return id;
    }
  }

  word(id: number): string {
    return String.fromCharCode(...this.a.vocabBlob.subarray(this.a.vocabOffsets[id], this.a.vocabOffsets[id + 1]));
  }

  get spellingSize(): number {
    return this.vocabSize;
  }

  seek(lo: number, hi: number, pos: number, code: number): number {
    const { spelling, vocabOffsets, vocabBlob } = this.a;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const id = spelling[mid];
      const at = vocabOffsets[id] + pos;
      const ch = at < vocabOffsets[id + 1] ? vocabBlob[at] : -1;
      if (ch < code) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  idAt(i: number, length: number): number {
    const id = this.a.spelling[i];
    return this.a.vocabOffsets[id + 1] - this.a.vocabOffsets[id] === length ? id : -1;
  }

  bos(): number {
    return BOS_ID;
  }

  score(state: number, word: number): number {
    if (word < 0) return this.unkLogProb;
    const a = this.a;
    let backoff = 0;
    let h = state;
    if (state >= this.vocabSize) {
      const b = state - this.vocabSize;
      const t = findWord(a.triEntry, a.biChild[b], a.biChild[b + 1], word);
      if (t >= 0) return a.triProbBook[a.triEntry[t] >>> WORD_BITS];
      backoff = a.biBowBook[a.biBow[b]];
      h = a.biEntry[b] & WORD_MASK;
    }
    const b = findWord(a.biEntry, a.uniChild[h], a.uniChild[h + 1], word);
    if (b >= 0) return backoff + a.biProbBook[a.biEntry[b] >>> WORD_BITS];
    return backoff + a.uniBow[h] + a.uniProb[word];
  }

  next(state: number, word: number): number {
    // After an OOV the history is <unk>, which has no n-grams and no backoff penalty.
    if (word < 0) return UNK_ID;
    const a = this.a;
    const h = state >= this.vocabSize ? a.biEntry[state - this.vocabSize] & WORD_MASK : state;
    const b = findWord(a.biEntry, a.uniChild[h], a.uniChild[h + 1], word);
    // A bigram history with no trigrams and no backoff penalty predicts exactly like its
    // last word alone, so it collapses to the shorter state.
    if (b < 0 || (a.biChild[b] === a.biChild[b + 1] && a.biBowBook[a.biBow[b]] === 0)) return word;
    return this.vocabSize + b;
  }

  endScore(state: number): number {
    return this.score(state, EOS_ID);
  }
}
