import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { foldsFor, splitFolds, splitHoldout, speechFrames } from '../../../electron/core/adapt/holdout.js';
import { BLANK, NUM_CLASSES } from '../../../electron/core/symbols.js';

const total = (ps: { from: number; to: number }[]): number => ps.reduce((s, p) => s + p.to - p.from, 0);

describe('held-out split', () => {
  it('holds out about the asked share of many short utterances, spread across them', () => {
    const files = Array.from({ length: 100 }, (_, i) => 100 + (i % 7) * 20);
    const { train, holdout } = splitHoldout(files, 0.2);
    const share = total(holdout) / (total(train) + total(holdout));
    assert.ok(share > 0.17 && share < 0.23, `share ${share}`);
    assert.ok(holdout[0].file < 10 && holdout[holdout.length - 1].file > 90, 'from the whole session');
    assert.equal(total(train) + total(holdout), files.reduce((a, b) => a + b, 0), 'every frame used once');
  });

  it('cuts one long recording into pieces so that its held-out part is several spread pieces', () => {
    const { train, holdout } = splitHoldout([30000], 0.2);
    assert.ok(holdout.length >= 4, `${holdout.length} pieces`);
    assert.ok([...train, ...holdout].every((p) => p.to - p.from <= 1500), 'pieces of at most 30 s');
    const share = total(holdout) / 30000;
    assert.ok(share > 0.15 && share < 0.25, `share ${share}`);
  });

  it('always holds something out when there are two pieces or more', () => {
    const { holdout } = splitHoldout([300, 300], 0.1);
    assert.equal(holdout.length, 1);
  });
});

describe('rotating held-out splits for short audio', () => {
  it('rotates only below 150 s: five splits for a 20 % share, one above', () => {
    assert.equal(foldsFor(63.7, 0.2), 5);
    assert.equal(foldsFor(600, 0.2), 1);
    assert.equal(foldsFor(100, 0.25), 4);
    assert.equal(foldsFor(100, 0.2, 0), 1);
  });

  it('holds every piece out in exactly one split, and trains each split on all the others', () => {
    const files = [3185, 240, 410];
    const splits = splitFolds(files, 0.2, 5);
    assert.equal(splits.length, 5);
    const key = (p: { file: number; from: number; to: number }): string => `${p.file}:${p.from}-${p.to}`;
    const held = splits.flatMap((s) => s.holdout.map(key));
    assert.equal(new Set(held).size, held.length, 'no piece held out twice');
    assert.equal(total(splits.flatMap((s) => s.holdout)), files.reduce((a, b) => a + b, 0), 'all the audio held out once');
    for (const s of splits) {
      assert.equal(total(s.train) + total(s.holdout), files.reduce((a, b) => a + b, 0));
      assert.ok(s.holdout.every((p) => !s.train.some((q) => key(q) === key(p))));
    }
  });
});

describe('speech measured from the teacher', () => {
  it('counts frames near letters, not silence', () => {
    const frames = 500;
    const lp = new Float32Array(frames * NUM_CLASSES).fill(-10);
    for (let t = 0; t < frames; t++) lp[t * NUM_CLASSES + BLANK] = 0;
    for (const t of [100, 110, 120]) { lp[t * NUM_CLASSES + BLANK] = -10; lp[t * NUM_CLASSES + 3] = 0; }
    assert.equal(speechFrames(lp, frames, 10), 41);
  });
});
