import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitHoldout, speechFrames } from '../../../electron/core/adapt/holdout.js';
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

describe('speech measured from the teacher', () => {
  it('counts frames near letters, not silence', () => {
    const frames = 500;
    const lp = new Float32Array(frames * NUM_CLASSES).fill(-10);
    for (let t = 0; t < frames; t++) lp[t * NUM_CLASSES + BLANK] = 0;
    for (const t of [100, 110, 120]) { lp[t * NUM_CLASSES + BLANK] = -10; lp[t * NUM_CLASSES + 3] = 0; }
    assert.equal(speechFrames(lp, frames, 10), 41);
  });
});
