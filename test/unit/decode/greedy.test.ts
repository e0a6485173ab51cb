import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GreedyCtcDecoder, ctcGreedy } from '../../../electron/core/decode/greedy.js';
import { NUM_CLASSES } from '../../../electron/core/symbols.js';
import { ctcFrames } from '../../fixtures/lm/ctc-frames.js';

describe('greedy CTC decoding', () => {
  // frame:   0    1    2    3    4    5    6    7    8    9   10   11   12   13   14
  const spec = ['_', 'h', 'h', 'i', '_', ' ', ' ', 'y', 'o', '_', 'o', 'u', 'u', '_', '_'];
  const lp = ctcFrames(spec.map((s) => ({ [s]: 0.8 })));

  it('collapses repeats, drops blanks and splits words at spaces', () => {
    assert.deepEqual(
      ctcGreedy(lp, spec.length).map((w) => w.text),
      ['hi', 'yoou'],
    );
  });

  it('times a word from its first character frame to one frame past its last', () => {
    const [hi, you] = ctcGreedy(lp, spec.length);
    assert.equal(hi.start, 0.02);
    assert.equal(hi.end, 0.08); // last "i" at frame 3
    assert.equal(you.start, 0.14);
    assert.equal(you.end, 0.26); // repeated "u" ends at frame 12
  });

  it('gives each word the geometric mean posterior of its non-blank frames', () => {
    const mixed = ctcFrames([{ a: 0.9 }, { a: 0.6 }, { _: 0.9 }, { b: 0.5 }]);
    const [word] = ctcGreedy(mixed, 4);
    assert.equal(word.text, 'ab');
    assert.ok(Math.abs(word.confidence - Math.cbrt(0.9 * 0.6 * 0.5)) < 1e-6);
  });

  it('offsets times by the frame of the first row', () => {
    const [hi] = ctcGreedy(lp, spec.length, 100);
    assert.equal(hi.start, 2.02);
    assert.equal(hi.end, 2.08);
  });

  it('ignores leading, trailing and doubled spaces', () => {
    const s = [' ', '_', 'a', ' ', '_', ' ', 'b', ' '];
    assert.deepEqual(
      ctcGreedy(ctcFrames(s.map((x) => ({ [x]: 0.9 }))), s.length).map((w) => w.text),
      ['a', 'b'],
    );
  });

  it('decodes the same streamed in pieces, and shows the open word as partial', () => {
    const decoder = new GreedyCtcDecoder();
    decoder.push(lp.subarray(0, 9 * NUM_CLASSES), 9);
    assert.deepEqual(
      decoder.partial().map((w) => w.text),
      ['hi', 'yo'],
    );
    decoder.push(lp.subarray(9 * NUM_CLASSES), spec.length - 9);
    assert.deepEqual(decoder.finalize(), ctcGreedy(lp, spec.length));
    assert.equal(decoder.framesDecoded, spec.length);
  });

  it('returns no words for silence or nothing', () => {
    assert.deepEqual(ctcGreedy(ctcFrames([{ _: 0.99 }, { _: 0.99 }]), 2), []);
    assert.deepEqual(ctcGreedy(new Float32Array(0), 0), []);
  });
});
