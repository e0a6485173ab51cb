/**
 * 8-bit scalar quantisation of log-probabilities and backoff weights. A 256-entry codebook
 * per field keeps the compiled LM small (one byte per value instead of four); the build
 * measures what it costs in perplexity.
 */
export const LEVELS = 256;

/**
 * A sorted codebook for `values`. With at most LEVELS distinct values it holds them exactly
 * (small and test models lose nothing); otherwise it is 1-D k-means (Lloyd), started at
 * quantiles, which minimises squared error where the values are dense.
 */
export function buildCodebook(values: ArrayLike<number>, options: { keepZero?: boolean } = {}): Float32Array {
  const sorted = Float64Array.from(values).sort();
  const unique: number[] = [];
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) unique.push(sorted[i]);
  if (options.keepZero && !unique.includes(0)) {
    unique.push(0);
    unique.sort((x, y) => x - y);
  }
  const book = new Float32Array(LEVELS);
  if (unique.length <= LEVELS) {
    for (let i = 0; i < LEVELS; i++) book[i] = unique[Math.min(i, unique.length - 1)] ?? 0;
    return book;
  }
  const n = sorted.length;
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i] + sorted[i];
  const centre = new Float64Array(LEVELS);
  for (let k = 0; k < LEVELS; k++) centre[k] = sorted[Math.min(n - 1, Math.floor(((k + 0.5) * n) / LEVELS))];
  const firstAbove = (x: number): number => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  for (let iter = 0; iter < 25; iter++) {
    let start = 0;
    for (let k = 0; k < LEVELS; k++) {
      const end = k === LEVELS - 1 ? n : firstAbove((centre[k] + centre[k + 1]) / 2);
      if (end > start) centre[k] = (prefix[end] - prefix[start]) / (end - start);
      start = Math.max(start, end);
    }
    centre.sort();
  }
  if (options.keepZero) {
    // Backoff weight 0 (no backoff penalty) is common and must stay exact.
    let nearest = 0;
    for (let k = 1; k < LEVELS; k++) if (Math.abs(centre[k]) < Math.abs(centre[nearest])) nearest = k;
    centre[nearest] = 0;
    centre.sort();
  }
  book.set(centre);
  return book;
}

/** Index of the codebook entry nearest to `x` (the codebook is sorted). */
export function encode(book: Float32Array, x: number): number {
  let lo = 0;
  let hi = book.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (book[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && Math.abs(book[lo - 1] - x) <= Math.abs(book[lo] - x)) return lo - 1;
  return lo;
}
