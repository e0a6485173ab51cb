/** Word error counts of one hypothesis against one reference. */
export interface ErrorCounts {
  substitutions: number;
  deletions: number;
  insertions: number;
  referenceWords: number;
}

export const ZERO_COUNTS: ErrorCounts = Object.freeze({ substitutions: 0, deletions: 0, insertions: 0, referenceWords: 0 });

/**
 * Levenshtein alignment over words; ties prefer substitutions, as sclite does.
 * `counted` (one flag per reference word) scores only the flagged reference words: their
 * substitutions and deletions, and insertions with no unflagged reference word beside them.
 */
export function alignWords(reference: string, hypothesis: string, counted?: readonly boolean[]): ErrorCounts {
  const ref = reference.split(' ').filter(Boolean);
  if (counted && counted.length !== ref.length) throw new Error(`alignWords: ${counted.length} flags for ${ref.length} reference words`);
  const scored = (i: number): boolean => !counted || i < 0 || i >= ref.length || counted[i];
  const hyp = hypothesis.split(' ').filter(Boolean);
  const cols = hyp.length + 1;
  const cost = new Uint32Array((ref.length + 1) * cols);
  const op = new Uint8Array((ref.length + 1) * cols); // 0 match, 1 sub, 2 del, 3 ins
  for (let j = 1; j < cols; j++) { cost[j] = j; op[j] = 3; }
  for (let i = 1; i <= ref.length; i++) {
    cost[i * cols] = i;
    op[i * cols] = 2;
    for (let j = 1; j < cols; j++) {
      const same = ref[i - 1] === hyp[j - 1];
      const diag = cost[(i - 1) * cols + j - 1] + (same ? 0 : 1);
      const del = cost[(i - 1) * cols + j] + 1;
      const ins = cost[i * cols + j - 1] + 1;
      let best = diag;
      let which = same ? 0 : 1;
      if (del < best) { best = del; which = 2; }
      if (ins < best) { best = ins; which = 3; }
      cost[i * cols + j] = best;
      op[i * cols + j] = which;
    }
  }
  const counts = { substitutions: 0, deletions: 0, insertions: 0, referenceWords: counted ? counted.filter(Boolean).length : ref.length };
  let i = ref.length;
  let j = hyp.length;
  while (i > 0 || j > 0) {
    const o = op[i * cols + j];
    if (o === 0 || o === 1) { if (o === 1 && scored(i - 1)) counts.substitutions++; i--; j--; }
    else if (o === 2) { if (scored(i - 1)) counts.deletions++; i--; }
    else { if (scored(i - 1) && scored(i)) counts.insertions++; j--; }
  }
  return counts;
}

export function addCounts(a: ErrorCounts, b: ErrorCounts): ErrorCounts {
  return {
    substitutions: a.substitutions + b.substitutions,
    deletions: a.deletions + b.deletions,
    insertions: a.insertions + b.insertions,
    referenceWords: a.referenceWords + b.referenceWords,
  };
}

/** WER in percent. */
export function wordErrorRate(c: ErrorCounts): number {
  const errors = c.substitutions + c.deletions + c.insertions;
  return c.referenceWords === 0 ? (errors === 0 ? 0 : 100) : (100 * errors) / c.referenceWords;
}
