import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildCodebook, encode } from '../../../electron/core/lm/quantise.js';
import { mulberry32 } from '../../fixtures/lm/synthetic-logprobs.js';

describe('8-bit quantisation', () => {
  it('keeps up to 256 distinct values exactly (as float32)', () => {
    const values = Array.from({ length: 1000 }, (_, i) => -((i % 200) * 0.037));
    const book = buildCodebook(values);
    for (const v of values) assert.equal(book[encode(book, v)], Math.fround(v));
  });

  it('quantises many log-probs with small error', () => {
    const rand = mulberry32(3);
    const values = Array.from({ length: 50_000 }, () => -12 * rand() ** 2 - 0.01);
    const book = buildCodebook(values);
    let worst = 0;
    for (const v of values) worst = Math.max(worst, Math.abs(book[encode(book, v)] - v));
    assert.ok(worst < 0.1, `worst error ${worst}`);
  });

  it('keeps a backoff weight of exactly 0 when asked', () => {
    const rand = mulberry32(4);
    const values = Array.from({ length: 10_000 }, () => -3 * rand() + 0.3);
    const book = buildCodebook(values, { keepZero: true });
    assert.equal(book[encode(book, 0)], 0);
  });
});
