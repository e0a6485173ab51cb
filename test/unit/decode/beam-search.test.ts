import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CtcBeamSearch } from '../../../electron/core/decode/beam-search.js';
import { ctcGreedy } from '../../../electron/core/decode/greedy.js';
import { InputError } from '../../../electron/core/errors.js';
import { NUM_CLASSES } from '../../../electron/core/symbols.js';
import type { Word } from '../../../electron/core/transcribe/types.js';
import { ctcFrames, spell } from '../../fixtures/lm/ctc-frames.js';
import { mulberry32, syntheticLogprobs } from '../../fixtures/lm/synthetic-logprobs.js';
import { buildTinyLm } from '../../fixtures/lm/tiny-lm.js';

const texts = (words: Word[]): string => words.map((w) => w.text).join(' ');

describe('CTC prefix beam search with a word LM', () => {
  const { lm } = buildTinyLm();

  it('prefers an in-vocabulary word to an acoustically slightly better out-of-vocabulary spelling', () => {
    const lp = ctcFrames(spell(['the ', { k: 0.5, c: 0.45 }, 'at sat']));
    const frames = lp.length / NUM_CLASSES;
    assert.equal(texts(ctcGreedy(lp, frames)), 'the kat sat');
    const decoder = new CtcBeamSearch(lm);
    decoder.push(lp, frames);
    assert.equal(texts(decoder.finalize()), 'the cat sat');
  });

  it('prefers an LM-likely word sequence to an acoustically slightly better unlikely one', () => {
    const lp = ctcFrames(spell(['on the ma', { d: 0.5, t: 0.45 }]));
    const frames = lp.length / NUM_CLASSES;
    assert.equal(texts(ctcGreedy(lp, frames)), 'on the mad');
    const decoder = new CtcBeamSearch(lm);
    decoder.push(lp, frames);
    assert.equal(texts(decoder.finalize()), 'on the mat');
    // With the LM switched off, the acoustics decide.
    const acoustic = new CtcBeamSearch(lm, { lmWeight: 0, wordBonus: 0 });
    acoustic.push(lp, frames);
    assert.equal(texts(acoustic.finalize()), 'on the mad');
  });

  it('still spells out-of-vocabulary words when the acoustics are clear', () => {
    const lp = ctcFrames(spell(['the zebra sat'], 0.97));
    const decoder = new CtcBeamSearch(lm);
    decoder.push(lp, lp.length / NUM_CLASSES);
    assert.equal(texts(decoder.finalize()), 'the zebra sat');
  });

  it('with LM weight 0, no word bonus and beam 1 equals greedy decoding, times and confidences included', () => {
    const sentences = ['the cat sat on the mat', "don't feed the zebra", 'a dog ran to the hat shop', 'mmm okay'];
    for (let seed = 1; seed <= 20; seed++) {
      const { logprobs, frames } = syntheticLogprobs(sentences, { seed, uncertain: 0 });
      const decoder = new CtcBeamSearch(lm, { beam: 1, lmWeight: 0, wordBonus: 0 });
      decoder.push(logprobs, frames);
      assert.deepEqual(decoder.finalize(), ctcGreedy(logprobs, frames), `seed ${seed}`);
    }
  });

  it('decodes the same whether frames come in one push or in pieces of any size', () => {
    const { logprobs, frames } = syntheticLogprobs(['the cat sat on the mat', 'a dog ran', 'the mad hat'], { seed: 5, uncertain: 0.3 });
    const whole = new CtcBeamSearch(lm, {}, 40);
    whole.push(logprobs, frames);
    const rand = mulberry32(9);
    const pieces = new CtcBeamSearch(lm, {}, 40);
    for (let at = 0; at < frames; ) {
      const n = Math.min(frames - at, Math.floor(rand() * 12)); // 0..11 frames, empty pushes included
      pieces.push(logprobs.subarray(at * NUM_CLASSES, (at + n) * NUM_CLASSES), n);
      pieces.partial();
      at += n;
    }
    assert.equal(pieces.framesDecoded, frames);
    assert.deepEqual(pieces.partial(), whole.partial());
    assert.deepEqual(pieces.finalize(), whole.finalize());
    assert.ok(whole.finalize()[0].start >= 0.8, 'times count from the frame offset');
  });

  it('shows a half-spelled word as the LM would end it, finalizes without changing state, and resets', () => {
    const lp = ctcFrames(spell(['the ca']));
    const decoder = new CtcBeamSearch(lm);
    decoder.push(lp, lp.length / NUM_CLASSES);
    // "ca" is no word: ended here, the LM prefers "a"; the partial says what the final would
    assert.equal(texts(decoder.partial()), 'the a');
    const final = decoder.finalize();
    assert.deepEqual(decoder.partial(), final);
    assert.deepEqual(decoder.finalize(), final);
    decoder.reset(500);
    assert.deepEqual(decoder.partial(), []);
    decoder.push(lp, lp.length / NUM_CLASSES);
    assert.equal(decoder.partial()[0].start, 10.0);
  });

  it('shows as partial, after every push, the words the utterance would end with if it ended there', () => {
    // A partial ranked without the LM's score for the open word and the sentence end could show a
    // word that the final then replaced, so the word the user keeps appeared only at the endpoint.
    const { logprobs, frames } = syntheticLogprobs(['the cat sat on the mat', 'a dog ran'], { seed: 11, uncertain: 0.5 });
    const live = new CtcBeamSearch(lm, {}, 40);
    for (let at = 0; at < frames; at += 7) {
      const n = Math.min(7, frames - at);
      live.push(logprobs.subarray(at * NUM_CLASSES, (at + n) * NUM_CLASSES), n);
      assert.deepEqual(live.partial(), live.finalize(), `after frame ${at + n}`);
    }
  });

  it('times words like greedy decoding: first character frame to one past the last', () => {
    const lp = ctcFrames(spell(['__the cat']));
    const decoder = new CtcBeamSearch(lm);
    decoder.push(lp, lp.length / NUM_CLASSES);
    const [the, cat] = decoder.finalize();
    // Frames: _ _ t _ h _ e _ ␣ _ c _ a _ t _
    assert.deepEqual([the.start, the.end, cat.start, cat.end], [0.04, 0.14, 0.2, 0.3]);
    assert.deepEqual([the, cat], ctcGreedy(lp, lp.length / NUM_CLASSES));
    assert.ok(the.confidence > 0.89 && the.confidence < 0.91);
  });

  it('works without an LM as a plain prefix search', () => {
    const lp = ctcFrames(spell(['the ', { k: 0.5, c: 0.45 }, 'at']));
    const decoder = new CtcBeamSearch(null);
    decoder.push(lp, lp.length / NUM_CLASSES);
    assert.equal(texts(decoder.finalize()), 'the kat');
  });

  it('rejects a push with fewer values than frames × classes', () => {
    const decoder = new CtcBeamSearch(lm);
    assert.throws(() => decoder.push(new Float32Array(NUM_CLASSES), 2), InputError);
  });
});
