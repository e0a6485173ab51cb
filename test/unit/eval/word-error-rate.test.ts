import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alignWords, wordErrorRate } from '../../../electron/core/eval/wer.js';

describe('word error counts', () => {
  it('counts substitutions, deletions and insertions of the minimum-edit alignment', () => {
    assert.deepEqual(alignWords('the cat sat on the mat', 'the bat sat on the mat today'), { substitutions: 1, deletions: 0, insertions: 1, referenceWords: 6 });
    assert.deepEqual(alignWords('the cat sat on the mat', 'the cat sat the mat'), { substitutions: 0, deletions: 1, insertions: 0, referenceWords: 6 });
    assert.deepEqual(alignWords('a b', ''), { substitutions: 0, deletions: 2, insertions: 0, referenceWords: 2 });
    assert.equal(wordErrorRate(alignWords('', 'extra')), 100);
  });

  it('scores only the flagged reference words when given flags', () => {
    // ref:  we  meet  on  monday   (meet unflagged)
    // hyp:  we  met   on  sunday   → the substitution of "meet" is not counted, "monday" is
    assert.deepEqual(alignWords('we meet on monday', 'we met on sunday', [true, false, true, true]), { substitutions: 1, deletions: 0, insertions: 0, referenceWords: 3 });
    assert.deepEqual(alignWords('we meet on monday', 'we on', [true, false, true, false]), { substitutions: 0, deletions: 0, insertions: 0, referenceWords: 2 });
  });

  it('counts an insertion only when no unflagged reference word is beside it', () => {
    assert.equal(alignWords('one two three', 'one uh two three', [true, true, true]).insertions, 1);
    assert.equal(alignWords('one two three', 'one uh two three', [true, false, true]).insertions, 0);
    assert.equal(alignWords('one two three', 'one two three uh', [true, true, true]).insertions, 1);
    assert.equal(alignWords('one two three', 'one two three uh', [true, true, false]).insertions, 0);
  });

  it('refuses flags that do not match the reference', () => {
    assert.throws(() => alignWords('a b c', 'a b c', [true]), /1 flags for 3 reference words/);
  });
});
