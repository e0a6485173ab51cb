import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StoredSegment } from '../../../electron/core/contract/channels.js';
import { editReach, mergeHighAccuracy, SLACK_S } from '../../../electron/core/library/high-accuracy.js';

function seg(start: number, end: number, text: string, extra: Partial<StoredSegment> = {}): StoredSegment {
  const words = text.split(' ').filter(Boolean).map((w, i, all) => ({ text: w, start: start + ((end - start) * i) / all.length, end: start + ((end - start) * (i + 1)) / all.length, confidence: 0.9 }));
  return { sessionId: 's1', channel: 0, start, end, text, words, ...extra };
}

test('the pass replaces unedited live segments', () => {
  const live = [seg(0, 2, 'one too'), seg(3, 5, 'tree four')];
  const pass = [seg(0.1, 2.1, 'one two'), seg(3, 5.2, 'three four')];
  const r = mergeHighAccuracy(live, pass);
  assert.deepEqual(r.segments.map((s) => s.text), ['one two', 'three four']);
  assert.equal(r.flagged, 0);
  assert.ok(r.segments.every((s) => !s.edited && !s.flagged && s.highAccuracyText === undefined));
});

test('an edit the pass disagrees with is kept and flagged with the pass text', () => {
  const live = [seg(0, 2, 'one too'), seg(3, 5, 'Three, for!', { edited: true }), seg(6, 8, 'five')];
  const pass = [seg(0, 2, 'one two'), seg(3.1, 4, 'three'), seg(4, 5, 'fore'), seg(6, 8, 'five six')];
  const r = mergeHighAccuracy(live, pass);
  assert.deepEqual(r.segments.map((s) => s.text), ['one two', 'Three, for!', 'five six']);
  const kept = r.segments[1];
  assert.equal(kept.edited, true);
  assert.equal(kept.flagged, true);
  assert.equal(kept.highAccuracyText, 'three fore');
  assert.equal(r.flagged, 1);
  assert.equal(r.keptEdits, 0);
});

test('an edit the pass agrees with (up to case and punctuation) is kept unflagged', () => {
  const live = [seg(3, 5, 'Three, four.', { edited: true, flagged: true, highAccuracyText: 'old' })];
  const pass = [seg(3, 5, 'three four')];
  const r = mergeHighAccuracy(live, pass);
  assert.equal(r.segments.length, 1);
  assert.equal(r.segments[0].text, 'Three, four.');
  assert.equal(r.segments[0].edited, true);
  assert.equal(r.segments[0].flagged, undefined);
  assert.equal(r.segments[0].highAccuracyText, undefined);
  assert.equal(r.keptEdits, 1);
});

test('an edited segment where the pass heard nothing is flagged with empty text; channels stay apart', () => {
  const live = [seg(0, 1, 'hello', { edited: true }), seg(0, 1, 'hi', { channel: 1 })];
  const pass = [seg(0, 1, 'yo', { channel: 1 }), seg(2, 3, 'later')];
  const r = mergeHighAccuracy(live, pass);
  assert.deepEqual(
    r.segments.map((s) => [s.channel, s.text, s.flagged ?? false]),
    [[0, 'hello', true], [1, 'yo', false], [0, 'later', false]],
  );
  assert.equal(r.segments[0].highAccuracyText, '');
});

test('a pass segment starting where a kept edit starts is not stored twice (the library key)', () => {
  const live = [seg(1, 2, 'edited', { edited: true })];
  const pass = [seg(1, 1.2, 'x'), seg(1.2, 4, 'long tail words here')];
  const r = mergeHighAccuracy(live, pass);
  const keys = r.segments.map((s) => `${s.channel}:${s.start}`);
  assert.equal(new Set(keys).size, keys.length);
  assert.ok(r.segments.some((s) => s.text === 'long tail words here'));
});

test('an edit of one short word still hears the pass word whose spike the other model placed a few frames earlier', () => {
  // Figures from an e2e run: the live model put "three" at 0.78-0.94 s; another CTC model may put it at 0.70-0.76 s.
  const live = [seg(0.78, 0.94, 'my own words', { edited: true }), seg(1.88, 2, 'one')];
  const pass = [seg(0.7, 0.76, 'three'), seg(1.86, 1.96, 'one')];
  const r = mergeHighAccuracy(live, pass);
  assert.equal(r.segments[0].highAccuracyText, 'three');
  assert.deepEqual(r.segments.map((s) => s.text), ['my own words', 'one'], 'the pass word under the edit is not stored again');
});

test("an edit's reach stops halfway to its neighbour, whose words stay the neighbour's", () => {
  const live = [seg(1, 1.2, 'a', { edited: true }), seg(1.3, 1.5, 'b')];
  const reach = editReach(live[0], live);
  assert.deepEqual([reach.start, reach.end], [1 - SLACK_S, 1.25]);
  const r = mergeHighAccuracy(live, [seg(1.26, 1.28, 'bee')]);
  assert.equal(r.segments[0].highAccuracyText, '');
  assert.ok(r.segments.some((s) => s.text === 'bee' && !s.edited));
});
