import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTinyLm } from '../../fixtures/lm/tiny-lm.js';

/** A deliberately naive ARPA scorer, independent of electron/core/lm: string keys, log10, the textbook backoff rule. */
function arpaReference(text: string): (history: string[], word: string) => number {
  const entries = new Map<string, [number, number]>();
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 2 || Number.isNaN(Number(fields[0])) || line.startsWith('ngram')) continue;
    const n = fields.length - 1 - (Number.isNaN(Number(fields[fields.length - 1])) ? 0 : 1);
    entries.set(fields.slice(1, 1 + n).join(' '), [Number(fields[0]), n + 1 < fields.length ? Number(fields[n + 1]) : 0]);
  }
  const log10 = (history: string[], word: string): number => {
    const hit = entries.get([...history, word].join(' '));
    if (hit) return hit[0];
    if (history.length === 0) throw new Error(`no unigram ${word}`);
    const bow = entries.get(history.join(' '))?.[1] ?? 0;
    return bow + log10(history.slice(1), word);
  };
  return (history, word) => log10(history.slice(-2), word) * Math.LN10;
}

describe('compiled LM', () => {
  const tiny = buildTinyLm();
  const ref = arpaReference(tiny.arpaText);

  /** The LM state after `history`: from <s> when it starts with <s>, else from no history at all. */
  const stateAfter = (history: string[]): number => {
    const { lm } = tiny;
    let state = history[0] === '<s>' ? lm.bos() : lm.next(lm.bos(), -1);
    for (const w of history) if (w !== '<s>') state = lm.next(state, lm.wordId(w));
    return state;
  };

  const cases: [string, string[], string][] = [
    ['trigram present', ['the', 'cat'], 'sat'],
    ['trigram present after <s>', ['<s>', 'the'], 'cat'],
    ['trigram absent: history backoff weight, then bigram', ['on', 'the'], 'cat'],
    ['trigram and bigram absent: two backoff weights, then unigram', ['cat', 'sat'], 'the'],
    ['history bigram absent (no weight), bigram present', ['mat', 'the'], 'cat'],
    ['history bigram absent, bigram absent: last word weight, then unigram', ['mat', 'the'], 'hat'],
    ['single-word history', ['dog'], 'ran'],
    ['sentence end by backoff', ['on', 'mat'], '</s>'],
    ['sentence end by bigram', ['the', 'mat'], '</s>'],
    ['word with apostrophe', ['the', 'dog'], "don't"],
    ['word that is also a JavaScript property name', ['the'], 'constructor'],
  ];
  for (const [name, history, word] of cases) {
    it(`scores like the ARPA file: ${name}`, () => {
      const { lm } = tiny;
      const state = stateAfter(history);
      const got = word === '</s>' ? lm.endScore(state) : lm.score(state, lm.wordId(word));
      // The compiled file stores float32; the tiny model has < 256 distinct values, so its codebooks are exact.
      assert.ok(Math.abs(got - ref(history, word)) < 1e-5, `${history.join(' ')} ${word}: ${got} vs ${ref(history, word)}`);
    });
  }

  it('scores whole sentences like the in-memory model it was compiled from', () => {
    const { lm, model } = tiny;
    for (const sentence of ['the cat sat on the mat', 'a dog ran', 'the mad hat', "don't the cat", 'mat mat mat']) {
      let s1 = lm.bos();
      let s2 = model.bos();
      for (const w of sentence.split(' ')) {
        assert.ok(Math.abs(lm.score(s1, lm.wordId(w)) - model.score(s2, model.wordId(w))) < 1e-5, `${sentence}: ${w}`);
        s1 = lm.next(s1, lm.wordId(w));
        s2 = model.next(s2, model.wordId(w));
      }
      assert.ok(Math.abs(lm.endScore(s1) - model.endScore(s2)) < 1e-5);
    }
  });

  it('reports the ARPA words it drops instead of dropping them silently', () => {
    const { report, lm } = tiny;
    assert.equal(report.droppedWords, 2);
    assert.deepEqual(report.droppedWordExamples, ['all-time', 'a.']);
    assert.deepEqual(report.dropped, [2, 2, 0]);
    assert.equal(lm.wordId('all-time'), -1);
    assert.equal(lm.wordId('a.'), -1);
  });

  it('gives an OOV word the model unk log-prob and forgets the history after it', () => {
    const { lm } = tiny;
    const afterThe = lm.next(lm.bos(), lm.wordId('the'));
    assert.equal(lm.wordId('zebra'), -1);
    assert.ok(Math.abs(lm.score(afterThe, -1) - -3 * Math.LN10) < 1e-5);
    const afterOov = lm.next(afterThe, -1);
    // With no history, "cat" scores its unigram.
    assert.ok(Math.abs(lm.score(afterOov, lm.wordId('cat')) - -1.8 * Math.LN10) < 1e-5);
  });

  it('finds every word by text and walks the vocabulary by spelling', () => {
    const { lm } = tiny;
    for (let id = 0; id < lm.vocabSize; id++) assert.equal(lm.wordId(lm.word(id)), id);
    const narrow = (prefix: string): [number, number] => {
      let lo = 0;
      let hi = lm.spellingSize;
      for (let i = 0; i < prefix.length; i++) {
        lo = lm.seek(lo, hi, i, prefix.charCodeAt(i));
        hi = lm.seek(lo, hi, i, prefix.charCodeAt(i) + 1);
      }
      return [lo, hi];
    };
    const [lo, hi] = narrow('ma');
    assert.equal(hi - lo, 2); // mad, mat
    assert.equal(lm.word(lm.idAt(lo, 3)), 'mad');
    const [clo, chi] = narrow('ca');
    assert.equal(chi - clo, 1);
    assert.equal(lm.idAt(clo, 2), -1); // "ca" is a prefix, not a word
    const [zlo, zhi] = narrow('zq');
    assert.equal(zhi - zlo, 0);
  });
});
