import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alignTeacher, bestLag, medianLag } from '../../../electron/core/adapt/spike-lag.js';
import { BLANK, NUM_CLASSES } from '../../../electron/core/symbols.js';

/** Log-probs that are blank everywhere but a letter spike at each of `at`. */
function spikes(frames: number, at: readonly number[]): Float32Array {
  const lp = new Float32Array(frames * NUM_CLASSES).fill(-20);
  for (let t = 0; t < frames; t++) lp[t * NUM_CLASSES + BLANK] = 0;
  for (const t of at) { lp[t * NUM_CLASSES + BLANK] = -20; lp[t * NUM_CLASSES + 5] = 0; }
  return lp;
}

describe('spike lag of the student behind the teacher', () => {
  const teacher = [40, 57, 90, 131, 160];

  it('finds a student that fires 6 frames early as −6, and one 3 frames late as +3', () => {
    assert.equal(bestLag(spikes(200, teacher.map((t) => t - 6)), spikes(200, teacher), 200), -6);
    assert.equal(bestLag(spikes(200, teacher.map((t) => t + 3)), spikes(200, teacher), 200), 3);
  });

  it('says nothing for a model that never fires or audio too short to tell', () => {
    assert.equal(bestLag(spikes(200, []), spikes(200, teacher), 200), null);
    assert.equal(bestLag(spikes(15, [5]), spikes(15, [7]), 15), null);
  });

  it('takes the median of the files that tell, 0 when none does', () => {
    assert.equal(medianLag([-6, null, -7, -6]), -6);
    assert.equal(medianLag([null, null]), 0);
  });

  it('moves the teacher onto the student clock so that their spikes coincide, repeating edge frames', () => {
    const t = spikes(200, teacher);
    const moved = alignTeacher(t, 200, -6);
    assert.equal(bestLag(spikes(200, teacher.map((x) => x - 6)), moved, 200), 0);
    assert.equal(moved[34 * NUM_CLASSES + 5], 0, 'the spike at 40 now sits at 34');
    assert.deepEqual(moved.subarray(199 * NUM_CLASSES, 200 * NUM_CLASSES), t.subarray(199 * NUM_CLASSES, 200 * NUM_CLASSES));
    assert.equal(alignTeacher(t, 200, 0), t, 'no lag: the same frames, not a copy');
  });
});
