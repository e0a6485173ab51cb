import { BackoffModel, NgramTable } from './backoff-model.js';
import { BOS_ID, EOS_ID, UNK_ID, type Vocabulary } from './vocabulary.js';

/** Raw bigram and trigram counts of sentences padded as <s> w1 … wn </s>. */
export class NgramCounts {
  readonly bigrams = new Map<number, number>();
  readonly trigrams = new Map<number, number>();
  sentences = 0;
  tokens = 0;

  constructor(readonly vocab: Vocabulary) {}

  /** `ids` are vocabulary ids, OOV words already mapped to UNK_ID. */
  add(ids: ArrayLike<number>): void {
    if (ids.length === 0) return;
    const v = this.vocab.size;
    this.sentences++;
    this.tokens += ids.length + 1;
    let h1 = -1;
    let h2 = BOS_ID;
    for (let k = 0; k <= ids.length; k++) {
      const w = k === ids.length ? EOS_ID : ids[k];
      const k2 = h2 * v + w;
      this.bigrams.set(k2, (this.bigrams.get(k2) ?? 0) + 1);
      if (h1 >= 0) {
        const k3 = (h1 * v + h2) * v + w;
        this.trigrams.set(k3, (this.trigrams.get(k3) ?? 0) + 1);
      }
      h1 = h2;
      h2 = w;
    }
  }
}

export interface KneserNeyOptions {
  /** Trigrams seen fewer times are dropped after estimation (their mass goes to the backoff). */
  trigramMinCount: number;
  /** Bigrams seen fewer times are dropped, unless a kept trigram needs them as history. */
  bigramMinCount: number;
}

export interface KneserNeyReport {
  /** Modified-KN discounts D1, D2, D3+ by order (index 0 = unigrams). */
  discounts: [number, number, number][];
  /** n-grams estimated, by order 2 and 3 (before cutoffs). */
  estimated: [number, number];
  /** n-grams kept, by order 2 and 3. */
  kept: [number, number];
  /** ln P(<unk>) of the estimate: the probability mass of words outside the vocabulary. */
  unkLogProb: number;
  clampedBackoffs: number;
}

/** Chen & Goodman's modified-KN discounts from counts-of-counts n1..n4. */
function discounts(counts: Iterable<number>): [number, number, number] {
  const n = [0, 0, 0, 0, 0];
  for (const c of counts) if (c >= 1 && c <= 4) n[c]++;
  if (n[1] === 0 || n[2] === 0 || n[3] === 0 || n[4] === 0) return [0.5, 1, 1.5];
  const y = n[1] / (n[1] + 2 * n[2]);
  const clamp = (d: number, hi: number): number => Math.min(Math.max(d, 0.01), hi);
  return [clamp(1 - (2 * y * n[2]) / n[1], 1), clamp(2 - (3 * y * n[3]) / n[2], 2), clamp(3 - (4 * y * n[4]) / n[3], 3)];
}

function discountOf(d: [number, number, number], c: number): number {
  return c >= 3 ? d[2] : d[c - 1];
}

/**
 * Interpolated modified Kneser-Ney trigram (Chen & Goodman 1998) in backoff form.
 * Lower orders use continuation counts, except bigrams after <s>, which have no left
 * context and keep raw counts (as KenLM does). The lowest order interpolates with a
 * uniform distribution over the whole vocabulary, so words the text never saw (the ARPA's)
 * still get mass. n-grams with <unk> are dropped at the end; P(<unk>) is returned as the
 * OOV estimate and the unigrams are renormalised over the closed vocabulary.
 */
export function estimateKneserNey(counts: NgramCounts, options: KneserNeyOptions): { model: BackoffModel; report: KneserNeyReport } {
  const vocab = counts.vocab;
  const v = vocab.size;
  const model = new BackoffModel(vocab);

  // Adjusted counts: continuation counts for orders below the top.
  const a2 = new Map<number, number>();
  for (const k3 of counts.trigrams.keys()) {
    const suffix = k3 % (v * v);
    a2.set(suffix, (a2.get(suffix) ?? 0) + 1);
  }
  for (const [k2, c] of counts.bigrams) if (Math.floor(k2 / v) === BOS_ID) a2.set(k2, c);
  const a1 = new Float64Array(v);
  for (const k2 of counts.bigrams.keys()) a1[k2 % v]++;

  const d1 = discounts(a1);
  const d2 = discounts(a2.values());
  const d3 = discounts(counts.trigrams.values());

  // Unigrams.
  const predictable = v - 1; // everything but <s>
  let s1 = 0;
  let mass1 = 0;
  for (let w = 0; w < v; w++) {
    if (a1[w] > 0) {
      s1 += a1[w];
      mass1 += discountOf(d1, a1[w]);
    }
  }
  const uniform = mass1 / s1 / predictable;
  for (let w = 0; w < v; w++) {
    if (w === BOS_ID) continue;
    const c = a1[w];
    model.uniProb[w] = Math.log((c > 0 ? (c - discountOf(d1, c)) / s1 : 0) + uniform);
  }

  // Bigrams: totals and discounted mass per history word.
  const s2 = new Float64Array(v);
  const mass2 = new Float64Array(v);
  for (const [k2, c] of a2) {
    const h = Math.floor(k2 / v);
    s2[h] += c;
    mass2[h] += discountOf(d2, c);
  }
  const bigrams = new NgramTable();
  for (const [k2, c] of a2) {
    const h = Math.floor(k2 / v);
    const w = k2 % v;
    const gamma = mass2[h] / s2[h];
    bigrams.set(k2, Math.log((c - discountOf(d2, c)) / s2[h] + gamma * Math.exp(model.uniProb[w])));
  }
  for (let h = 0; h < v; h++) if (s2[h] > 0) model.uniBow[h] = Math.log(mass2[h] / s2[h]);

  // Trigrams: totals per history bigram, held by the bigram table's index.
  const s3 = new Float64Array(bigrams.size);
  const mass3 = new Float64Array(bigrams.size);
  const ctxOf = (k3: number): number => bigrams.find(Math.floor(k3 / v));
  for (const [k3, c] of counts.trigrams) {
    const ctx = ctxOf(k3);
    s3[ctx] += c;
    mass3[ctx] += discountOf(d3, c);
  }
  const trigrams = new NgramTable();
  for (const [k3, c] of counts.trigrams) {
    const ctx = ctxOf(k3);
    const lower = Math.exp(bigrams.prob[bigrams.find(k3 % (v * v))]);
    trigrams.set(k3, Math.log((c - discountOf(d3, c)) / s3[ctx] + (mass3[ctx] / s3[ctx]) * lower));
  }
  for (let b = 0; b < bigrams.size; b++) if (s3[b] > 0) bigrams.bow[b] = Math.log(mass3[b] / s3[b]);

  // Cutoffs and <unk> removal; the dropped mass returns through recomputed backoff weights.
  const hasUnk = (ids: number[]): boolean => ids.includes(UNK_ID);
  model.trigrams = trigrams.filter((i) => {
    const key = trigrams.keys[i];
    return (counts.trigrams.get(key) ?? 0) >= options.trigramMinCount && !hasUnk(model.idsOf(key, 3));
  });
  const neededHistories = new Set<number>();
  for (const k3 of model.trigrams.keys) neededHistories.add(Math.floor(k3 / v));
  model.bigrams = bigrams.filter((i) => {
    const key = bigrams.keys[i];
    if (neededHistories.has(key)) return true;
    return (counts.bigrams.get(key) ?? 0) >= options.bigramMinCount && !hasUnk(model.idsOf(key, 2));
  });
  const unkLogProb = model.uniProb[UNK_ID];
  model.unkLogProb = unkLogProb;
  model.uniProb[UNK_ID] = -Infinity;
  model.uniBow[UNK_ID] = 0;
  model.normaliseUnigrams();
  const clampedBackoffs = model.recomputeBackoffs();

  return {
    model,
    report: {
      discounts: [d1, d2, d3],
      estimated: [bigrams.size, trigrams.size],
      kept: [model.bigrams.size, model.trigrams.size],
      unkLogProb,
      clampedBackoffs,
    },
  };
}
