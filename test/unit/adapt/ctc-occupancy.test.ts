import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ctcOccupancy, framesNeeded } from '../../../electron/core/adapt/ctc-occupancy.js';

const K = 3;
const BLANK = 2;

/** Random log-softmax rows from a fixed seed. */
function posteriors(frames: number, seed: number): Float32Array {
  let s = seed;
  const rand = (): number => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const lp = new Float32Array(frames * K);
  for (let t = 0; t < frames; t++) {
    const z = Array.from({ length: K }, () => 3 * rand());
    const lse = Math.log(z.reduce((a, v) => a + Math.exp(v), 0));
    z.forEach((v, k) => { lp[t * K + k] = v - lse; });
  }
  return lp;
}

function collapse(path: number[]): number[] {
  const out: number[] = [];
  path.forEach((k, t) => { if (k !== BLANK && (t === 0 || path[t - 1] !== k)) out.push(k); });
  return out;
}

/** P(labels) and γ by enumerating every path: the definition CTC's recursions shortcut. */
function bruteForce(lp: Float32Array, frames: number, labels: number[]): { z: number; gamma: number[] } {
  let z = 0;
  const gamma = new Array<number>(frames * K).fill(0);
  for (let code = 0; code < K ** frames; code++) {
    const path = Array.from({ length: frames }, (_, t) => Math.floor(code / K ** t) % K);
    const c = collapse(path);
    if (c.length !== labels.length || c.some((v, i) => v !== labels[i])) continue;
    const p = Math.exp(path.reduce((a, k, t) => a + lp[t * K + k], 0));
    z += p;
    path.forEach((k, t) => { gamma[t * K + k] += p; });
  }
  return { z, gamma: gamma.map((g) => g / z) };
}

describe('CTC occupancy (forward–backward) for sequence-level distillation', () => {
  for (const labels of [[0], [0, 1], [1, 1], [0, 1, 0], []]) {
    it(`matches the sum over all alignments for labels [${labels.join(',')}] in 5 frames`, () => {
      const lp = posteriors(5, 7 + labels.length);
      const occ = ctcOccupancy(lp, 5, labels, K, BLANK);
      assert.ok(occ);
      const ref = bruteForce(lp, 5, labels);
      assert.ok(Math.abs(occ.nll + Math.log(ref.z)) < 1e-6, `nll ${occ.nll} vs ${-Math.log(ref.z)}`);
      occ.gamma.forEach((g, i) => assert.ok(Math.abs(g - ref.gamma[i]) < 1e-5, `γ[${i}] ${g} vs ${ref.gamma[i]}`));
    });
  }

  it('has rows that sum to one', () => {
    const occ = ctcOccupancy(posteriors(40, 3), 40, [0, 1, 1, 0, 1], K, BLANK)!;
    for (let t = 0; t < 40; t++) assert.ok(Math.abs(occ.gamma[t * K] + occ.gamma[t * K + 1] + occ.gamma[t * K + 2] - 1) < 1e-5);
  });

  it('refuses labels that cannot fit: a repeat needs a blank between', () => {
    assert.equal(framesNeeded([1, 1]), 3);
    assert.equal(ctcOccupancy(posteriors(2, 1), 2, [1, 1], K, BLANK), null);
    assert.ok(ctcOccupancy(posteriors(3, 1), 3, [1, 1], K, BLANK));
  });
});
