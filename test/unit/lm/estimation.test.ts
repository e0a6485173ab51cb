import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BackoffModel } from '../../../electron/core/lm/backoff-model.js';
import { NgramCounts, estimateKneserNey } from '../../../electron/core/lm/kneser-ney.js';
import { fitMixtureWeight, mixModels } from '../../../electron/core/lm/mixture.js';
import { perplexity } from '../../../electron/core/lm/perplexity.js';
import { BOS_ID, EOS_ID, UNK_ID, Vocabulary } from '../../../electron/core/lm/vocabulary.js';

const MEETING = [
  'let us start the meeting',
  'can everyone see the slides',
  'let us move to the next item',
  'the next item is the budget',
  'can you share the slides',
  'let us start with the budget',
  'i think the budget is fine',
  'can everyone hear me',
  'the meeting is over',
  'let us share the notes',
].map((s) => s.split(' '));
const OTHER = ['the cat sat on the mat', 'a dog ran in the park', 'the cat ran', 'a cat sat on a dog', 'the park is big'].map((s) => s.split(' '));

function train(sentences: string[][], vocab: Vocabulary, trigramMinCount = 1): BackoffModel {
  const counts = new NgramCounts(vocab);
  for (const s of sentences) counts.add(s.map((w) => (vocab.id(w) < 0 ? UNK_ID : vocab.id(w))));
  return estimateKneserNey(counts, { trigramMinCount, bigramMinCount: 1 }).model;
}

/** Σ_w P(w | h1 h2) over every predictable token. */
function mass(model: BackoffModel, h1: number, h2: number): number {
  let sum = 0;
  for (let w = 0; w < model.vocab.size; w++) if (w !== BOS_ID && w !== UNK_ID) sum += Math.exp(model.prob(h1, h2, w));
  return sum;
}

describe('LM estimation', () => {
  const vocab = new Vocabulary([...new Set([...MEETING, ...OTHER].flat())]);
  const id = (w: string): number => vocab.id(w);

  it('a Kneser-Ney model sums to 1 for seen, unseen and cut-off histories', () => {
    for (const cutoff of [1, 2]) {
      const model = train(MEETING, vocab, cutoff);
      for (const [h1, h2] of [
        [-1, BOS_ID],
        [BOS_ID, id('let')],
        [id('let'), id('us')],
        [id('the'), id('budget')],
        [id('cat'), id('park')],
        [-1, id('dog')],
        [-1, -1],
      ]) {
        assert.ok(Math.abs(mass(model, h1, h2) - 1) < 1e-9, `cutoff ${cutoff}, history ${h1} ${h2}: ${mass(model, h1, h2)}`);
      }
    }
  });

  it('a Kneser-Ney model prefers what its text says', () => {
    const model = train(MEETING, vocab);
    assert.ok(model.prob(id('let'), id('us'), id('start')) > model.prob(id('let'), id('us'), id('budget')));
    assert.ok(model.prob(-1, id('the'), id('budget')) > model.prob(-1, id('the'), id('dog')));
    assert.ok(Number.isFinite(model.prob(-1, -1, id('dog'))), 'words the text never saw keep some mass');
  });

  it('a static mixture sums to 1 and equals the dynamic mixture on stored n-grams', () => {
    const a = train(MEETING, vocab);
    const b = train(OTHER, vocab);
    const lambda = 0.3;
    const { model } = mixModels(a, b, lambda);
    for (const [h1, h2] of [
      [BOS_ID, id('the')],
      [id('the'), id('cat')],
      [id('let'), id('us')],
      [-1, id('budget')],
    ]) {
      assert.ok(Math.abs(mass(model, h1, h2) - 1) < 1e-9);
    }
    for (const key of model.trigrams.keys) {
      const [h1, h2, w] = model.idsOf(key, 3);
      const dynamic = Math.log(lambda * Math.exp(a.prob(h1, h2, w)) + (1 - lambda) * Math.exp(b.prob(h1, h2, w)));
      assert.ok(Math.abs(model.prob(h1, h2, w) - dynamic) < 1e-9);
    }
  });

  it('the mixture weight fitted on held-out text favours the model of that kind of text', () => {
    const a = train(MEETING.slice(0, 7), vocab);
    const b = train(OTHER, vocab);
    const { lambda } = fitMixtureWeight(a, b, MEETING.slice(7));
    assert.ok(lambda > 0.5, `λ = ${lambda}`);
    const mixed = mixModels(a, b, lambda).model;
    assert.ok(perplexity(mixed, MEETING.slice(7)).perplexity < perplexity(b, MEETING.slice(7)).perplexity);
  });

  it('perplexity skips out-of-vocabulary words and counts sentence ends', () => {
    const model = train(MEETING, vocab);
    const result = perplexity(model, [['let', 'us', 'zebra', 'start']]);
    assert.equal(result.skipped, 1);
    assert.equal(result.tokens, 4);
    let state = model.bos();
    let expected = 0;
    for (const w of ['let', 'us']) {
      expected += model.score(state, id(w));
      state = model.next(state, id(w));
    }
    state = model.next(state, -1);
    expected += model.score(state, id('start')) + model.prob(-1, id('start'), EOS_ID);
    assert.ok(Math.abs(result.logProb - expected) < 1e-9);
  });
});
