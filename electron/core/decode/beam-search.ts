import type { SpellingIndex } from '../lm/lexicon.js';
import type { WordLm } from '../lm/word-lm.js';
import { BLANK, NUM_CLASSES, SPACE, SYMBOLS } from '../symbols.js';
import type { Word } from '../transcribe/types.js';
import { DEFAULT_DECODER_PARAMS, type DecoderParams } from './params.js';
import { checkLogprobs, type StreamingCtcDecoder } from './streaming.js';
import { makeWord, wordsOf, type WordList } from './words.js';

/**
 * Hypotheses are keyed by a 52-bit double hash of their text (two polynomial hashes mod
 * primes below 2^26), updated in O(1) per character. Text keys would cost O(length) per
 * lookup and grow without bound on a long stream; a node tree would need its own garbage
 * collection. A collision between two live hypotheses of one frame is vanishingly unlikely
 * (~2^-52 per pair) and would only merge their probability mass.
 */
const P1 = 67108859;
const P2 = 67108837;
const B1 = 1000003;
const B2 = 999983;

function logAdd(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/**
 * One prefix: its CTC probability split by whether its last frame was blank, its LM score so
 * far, and the timing and confidence of the word being spelled. Timing and confidence follow
 * the single most likely alignment among those merged into the prefix (`best`).
 */
class Hyp {
  /** ln P(prefix, last frame blank) and (last frame non-blank). */
  pB = -Infinity;
  pNB = -Infinity;
  /** Largest single contribution this frame: whose alignment's timing the prefix keeps. */
  best = -Infinity;
  /** lse(pB, pNB) + lmScore, set when a frame is done. */
  total = -Infinity;

  constructor(
    readonly k1: number,
    readonly k2: number,
    /** Last emitted symbol. SPACE also stands for "nothing yet": both mean no word is open. */
    readonly last: number,
    /** α·Σ ln P_LM + β·words over completed words. */
    public lmScore: number,
    public lmState: number,
    public words: WordList | null,
    /** The word being spelled ('' after a space). */
    readonly text: string,
    public first: number,
    public lastFire: number,
    public logPostSum: number,
    public nonBlank: number,
    /** Spelling-order range of the vocabulary words that start with `text`; empty once none does. */
    readonly lo: number,
    readonly hi: number,
  ) {}

  get key(): number {
    return this.k1 * P2 + this.k2;
  }

  /** The same prefix carried into the next frame, with no probability yet. */
  carry(): Hyp {
    return new Hyp(this.k1, this.k2, this.last, this.lmScore, this.lmState, this.words, this.text, this.first, this.lastFire, this.logPostSum, this.nonBlank, this.lo, this.hi);
  }

  /** Takes the timing of `from` (same text, another alignment) because it became the best. */
  adoptTiming(from: Hyp): void {
    this.words = from.words;
    this.first = from.first;
    this.lastFire = from.lastFire;
    this.logPostSum = from.logPostSum;
    this.nonBlank = from.nonBlank;
  }

  /** The open word's character fired (again) at `frame` with log-posterior `lp`. */
  fire(frame: number, lp: number): void {
    this.lastFire = frame;
    this.logPostSum += lp;
    this.nonBlank++;
  }
}

/** What the beam search needs of an LM: scores, and its vocabulary by spelling (NgramLm has both). */
export type DecoderLm = WordLm & SpellingIndex;

const extend1 = (k: number, c: number): number => (k * B1 + c + 1) % P1;
const extend2 = (k: number, c: number): number => (k * B2 + c + 1) % P2;

/**
 * Streaming CTC prefix beam search with a word n-gram LM by shallow fusion: when a space
 * closes a word, the prefix gains α·ln P_LM(word | history) + β. Words in progress are free
 * character strings, so OOV words can still be spelled; one pays α·unkLogProb, charged as
 * soon as its spelling leaves every vocabulary word (lexicon.ts), else when it closes.
 * Charging early matters: otherwise gluing words together to postpone the penalty pays.
 *
 * Speed: per frame only symbols within `tokenPrune` of the frame's best, above
 * `tokenMinLogProb`, and at most `tokensPerFrame` of them are tried; frames where blank ≈ 1
 * extend nothing and update the beam in place, which is most frames of real speech.
 *
 * Without an LM (lm = null) it is a plain prefix search: no LM score and no word bonus.
 */
export class CtcBeamSearch implements StreamingCtcDecoder {
  readonly params: Readonly<DecoderParams>;
  private beam: Hyp[] = [];
  private readonly next = new Map<number, Hyp>();
  private readonly candidates = new Int32Array(NUM_CLASSES);
  private totals = new Float64Array(64);
  private frame = 0;
  private offset = 0;
  private readonly unk: number;

  constructor(
    private readonly lm: DecoderLm | null,
    params: Partial<DecoderParams> = {},
    frameOffset = 0,
  ) {
    this.params = { ...DEFAULT_DECODER_PARAMS, ...params };
    this.unk = this.params.unkLogProb ?? lm?.unkLogProb ?? 0;
    this.reset(frameOffset);
  }

  get framesDecoded(): number {
    return this.frame - this.offset;
  }

  reset(frameOffset = 0): void {
    const root = new Hyp(0, 0, SPACE, 0, this.lm ? this.lm.bos() : 0, null, '', 0, 0, 0, 0, 0, this.wholeVocabulary());
    root.pB = 0;
    root.total = 0;
    this.beam = [root];
    this.frame = frameOffset;
    this.offset = frameOffset;
  }

  push(logprobs: Float32Array, frames: number): void {
    checkLogprobs(logprobs, frames);
    for (let t = 0; t < frames; t++, this.frame++) this.step(logprobs, t * NUM_CLASSES);
  }

  /**
   * The words the utterance would end with if it ended now. Ranking the beam by its running score
   * alone (without the open word's LM score and the end-of-sentence score that finalize adds) let
   * a partial show one word and the final another, so half the spoken digits in the benchmark only
   * showed their final word when the endpointer closed the segment, 0.6 s after the speech.
   */
  partial(): Word[] {
    return this.bestIfEndedNow();
  }

  finalize(): Word[] {
    return this.bestIfEndedNow();
  }

  private bestIfEndedNow(): Word[] {
    let best = this.beam[0];
    let bestScore = -Infinity;
    for (const h of this.beam) {
      let score = logAdd(h.pB, h.pNB) + h.lmScore;
      if (this.lm) {
        let state = h.lmState;
        if (h.text) {
          const [gain, after] = this.wordScore(h);
          score += gain;
          state = after;
        }
        score += this.params.lmWeight * this.lm.endScore(state);
      }
      if (score > bestScore) {
        bestScore = score;
        best = h;
      }
    }
    const words = wordsOf(best.words);
    if (best.text) words.push(makeWord(best.text, best.first, best.lastFire, best.logPostSum, best.nonBlank));
    return words;
  }

  private step(lp: Float32Array, row: number): void {
    const p = this.params;
    const blank = lp[row + BLANK];
    let nCand = 0;
    if (blank < p.blankSkipLogProb) {
      let max = -Infinity;
      for (let c = 0; c < NUM_CLASSES; c++) if (lp[row + c] > max) max = lp[row + c];
      const floor = Math.max(max - p.tokenPrune, p.tokenMinLogProb);
      for (let c = 0; c < BLANK; c++) if (lp[row + c] >= floor) this.candidates[nCand++] = c;
      if (nCand > p.tokensPerFrame) nCand = this.keepLikeliest(lp, row, nCand, p.tokensPerFrame);
    }
    if (nCand === 0) this.stepInPlace(lp, row, blank);
    else this.stepExtend(lp, row, blank, nCand);
  }

  /** Reorders the candidates likeliest first (insertion sort: at most 28) and returns how many to keep. */
  private keepLikeliest(lp: Float32Array, row: number, n: number, keep: number): number {
    const cand = this.candidates;
    for (let i = 1; i < n; i++) {
      const c = cand[i];
      let j = i - 1;
      while (j >= 0 && lp[row + cand[j]] < lp[row + c]) {
        cand[j + 1] = cand[j];
        j--;
      }
      cand[j + 1] = c;
    }
    return keep;
  }

  /** A frame that extends nothing: each prefix only absorbs the blank or repeats its last symbol. */
  private stepInPlace(lp: Float32Array, row: number, blank: number): void {
    for (const h of this.beam) {
      const viaBlank = logAdd(h.pB, h.pNB) + blank;
      const viaRepeat = h.pNB + lp[row + h.last];
      if (viaRepeat > viaBlank && h.last !== SPACE) h.fire(this.frame, lp[row + h.last]);
      h.pB = viaBlank;
      h.pNB = viaRepeat;
      h.total = logAdd(viaBlank, viaRepeat) + h.lmScore;
    }
  }

  private stepExtend(lp: Float32Array, row: number, blank: number, nCand: number): void {
    const next = this.next;
    const frame = this.frame;
    next.clear();
    if (this.totals.length < this.beam.length) this.totals = new Float64Array(this.beam.length * 2);
    const totals = this.totals;
    // Carry every prefix first, so an extension that lands on a prefix already in the beam merges with it.
    for (let i = 0; i < this.beam.length; i++) {
      const h = this.beam[i];
      const total = logAdd(h.pB, h.pNB);
      totals[i] = total;
      const n = h.carry();
      n.pB = total + blank;
      n.best = n.pB;
      if (h.pNB > -Infinity) {
        const viaRepeat = h.pNB + lp[row + h.last];
        n.pNB = viaRepeat;
        if (viaRepeat > n.best) {
          n.best = viaRepeat;
          if (h.last !== SPACE) n.fire(frame, lp[row + h.last]);
        }
      }
      next.set(n.key, n);
    }
    for (let i = 0; i < this.beam.length; i++) {
      const h = this.beam[i];
      const total = totals[i];
      for (let j = 0; j < nCand; j++) {
        const c = this.candidates[j];
        const lpc = lp[row + c];
        if (c === SPACE && h.text === '') {
          // A space with no open word leaves the text as it is: the same prefix, now ending
          // in a non-blank. (From pNB this is the repeat, already counted above.)
          const n = next.get(h.key) as Hyp;
          const s = h.pB + lpc;
          n.pNB = logAdd(n.pNB, s);
          if (s > n.best) {
            n.best = s;
            n.adoptTiming(h);
          }
          continue;
        }
        const s = (c === h.last ? h.pB : total) + lpc;
        if (s === -Infinity) continue;
        const k1 = extend1(h.k1, c);
        const k2 = extend2(h.k2, c);
        let n = next.get(k1 * P2 + k2);
        if (n === undefined) {
          n = c === SPACE ? this.closeWord(h, k1, k2) : this.addLetter(h, k1, k2, c, frame, lpc);
          n.pNB = s;
          n.best = s;
          next.set(n.key, n);
          continue;
        }
        n.pNB = logAdd(n.pNB, s);
        if (s > n.best) {
          // Same text, likelier alignment: keep its timing (the LM score depends on text only).
          n.best = s;
          if (c === SPACE) {
            n.words = { word: makeWord(h.text, h.first, h.lastFire, h.logPostSum, h.nonBlank), prev: h.words };
          } else {
            n.adoptTiming(h);
            if (h.text === '') {
              n.first = frame;
              n.logPostSum = 0;
              n.nonBlank = 0;
            }
            n.fire(frame, lpc);
          }
        }
      }
    }
    this.prune();
  }

  private wholeVocabulary(): number {
    return this.lm ? this.lm.spellingSize : 0;
  }

  /**
   * What closing h's open word adds to its score, and the LM state after it. A word that
   * left the vocabulary while being spelled already paid the OOV score then.
   */
  private wordScore(h: Hyp): [number, number] {
    const lm = this.lm as DecoderLm;
    const id = h.lo < h.hi ? lm.idAt(h.lo, h.text.length) : -1;
    let gain = this.params.wordBonus;
    if (id >= 0) gain += this.params.lmWeight * lm.score(h.lmState, id);
    else if (h.lo < h.hi) gain += this.params.lmWeight * this.unk;
    return [gain, lm.next(h.lmState, id)];
  }

  private addLetter(h: Hyp, k1: number, k2: number, c: number, frame: number, lpc: number): Hyp {
    const opening = h.text === '';
    let lmScore = h.lmScore;
    let lo = opening ? 0 : h.lo;
    let hi = opening ? this.wholeVocabulary() : h.hi;
    if (this.lm && lo < hi) {
      const pos = h.text.length;
      const code = SYMBOLS.charCodeAt(c);
      lo = this.lm.seek(lo, hi, pos, code);
      hi = this.lm.seek(lo, hi, pos, code + 1);
      // No vocabulary word starts this way: charge the OOV score now, once.
      if (lo === hi) lmScore += this.params.lmWeight * this.unk;
    }
    return new Hyp(
      k1,
      k2,
      c,
      lmScore,
      h.lmState,
      h.words,
      h.text + SYMBOLS[c],
      opening ? frame : h.first,
      frame,
      (opening ? 0 : h.logPostSum) + lpc,
      (opening ? 0 : h.nonBlank) + 1,
      lo,
      hi,
    );
  }

  /** The prefix after a space closes h's open word: the word is scored by the LM here, once. */
  private closeWord(h: Hyp, k1: number, k2: number): Hyp {
    let lmScore = h.lmScore;
    let state = h.lmState;
    if (this.lm) {
      const [gain, after] = this.wordScore(h);
      lmScore += gain;
      state = after;
    }
    const word = makeWord(h.text, h.first, h.lastFire, h.logPostSum, h.nonBlank);
    return new Hyp(k1, k2, SPACE, lmScore, state, { word, prev: h.words }, '', 0, 0, 0, 0, 0, this.wholeVocabulary());
  }

  /** Keeps the `beam` best prefixes, and none worse than the best by more than beamPrune. */
  private prune(): void {
    const all: Hyp[] = [];
    for (const n of this.next.values()) {
      n.total = logAdd(n.pB, n.pNB) + n.lmScore;
      all.push(n);
    }
    all.sort((a, b) => b.total - a.total);
    const floor = all[0].total - this.params.beamPrune;
    let keep = Math.min(all.length, this.params.beam);
    while (keep > 1 && all[keep - 1].total < floor) keep--;
    all.length = keep;
    this.beam = all;
  }
}
