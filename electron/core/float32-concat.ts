/** Joins Float32Array parts end to end into one new array (audio blocks, per-frame log-probabilities). */
export function concatFloat32(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
