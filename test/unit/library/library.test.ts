import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyTextEdit } from '../../../electron/core/library/edit.js';
import { toDocx, toJson, toSrt, toTxt, toVtt } from '../../../electron/core/library/export.js';
import { clock, timestamp, type TranscriptDoc } from '../../../electron/core/library/format.js';
import { highlight, matches, tokenize } from '../../../electron/core/library/search.js';
import { parseSrt, parseVtt } from '../../../electron/core/library/subtitles.js';

const w = (text: string, start: number, end: number) => ({ text, start, end, confidence: 0.8 });
const doc: TranscriptDoc = {
  title: 'Weekly sync',
  createdAt: Date.UTC(2025, 0, 2, 10, 30),
  durationS: 3725,
  segments: [
    { start: 3661.25, end: 3663.5, text: 'see you <then>', words: [w('see', 3661.25, 3661.5), w('you', 3661.6, 3661.9), w('<then>', 3662, 3663.5)], speaker: 'Others' },
    { start: 1.2, end: 2.9, text: 'three one four', words: [w('three', 1.2, 1.6), w('one', 1.8, 2.1), w('four', 2.4, 2.9)], speaker: 'You' },
    { start: 5, end: 5, text: '  ', words: [], speaker: 'You' },
  ],
};

test('timestamps and clocks format hours, minutes, seconds and milliseconds', () => {
  assert.equal(timestamp(3661.25, ','), '01:01:01,250');
  assert.equal(timestamp(0.0004, '.'), '00:00:00.000');
  assert.equal(clock(83.9), '1:23');
  assert.equal(clock(3725), '1:02:05');
});

test('SRT export is ordered, numbered, labelled by speaker, and parses back', () => {
  const srt = toSrt(doc);
  const cues = parseSrt(srt);
  assert.equal(cues.length, 2, 'empty segments are dropped');
  assert.deepEqual(cues.map((c) => c.text), ['You: three one four', 'Others: see you <then>']);
  assert.equal(cues[1].start, 3661.25);
  assert.match(srt, /^1\n00:00:01,200 --> 00:00:02,900\n/);
});

test('VTT export has the header, voice spans and escaped text, and parses back', () => {
  const vtt = toVtt(doc);
  const cues = parseVtt(vtt);
  assert.equal(cues.length, 2);
  assert.equal(cues[0].text, '<v You>three one four');
  assert.equal(cues[1].text, '<v Others>see you &lt;then&gt;');
  assert.throws(() => parseVtt('1\n00:00:00.000 --> 00:00:01.000\nx'), /WEBVTT/);
});

test('TXT and JSON exports carry speakers, times and words', () => {
  assert.match(toTxt(doc), /\[0:01\] You: three one four\n\[1:01:01\] Others: see you <then>/);
  const json = JSON.parse(toJson(doc)) as { segments: { speaker: string; words: unknown[] }[] };
  assert.equal(json.segments[0].speaker, 'You');
  assert.equal(json.segments[0].words.length, 3);
});

test('DOCX export is a Word document (a zip with word/document.xml) holding the text', async () => {
  const bytes = await toDocx(doc);
  assert.equal(Buffer.from(bytes.subarray(0, 2)).toString('latin1'), 'PK');
  assert.ok(Buffer.from(bytes).includes(Buffer.from('word/document.xml')));
});

test('editing keeps the timestamps of untouched words and spreads new ones over the replaced span', () => {
  const words = [w('three', 1.2, 1.6), w('one', 1.8, 2.1), w('for', 2.4, 2.9), w('five', 3.0, 3.4)];
  const r = applyTextEdit(words, 'three one four five', { start: 1.2, end: 3.4 });
  assert.equal(r.changed, true);
  assert.deepEqual(r.words.map((x) => [x.text, x.start, x.end]), [['three', 1.2, 1.6], ['one', 1.8, 2.1], ['four', 2.4, 2.9], ['five', 3.0, 3.4]]);
  const ins = applyTextEdit(words, 'three and one for five', { start: 1.2, end: 3.4 });
  assert.deepEqual(ins.words[1], { text: 'and', start: 1.6, end: 1.8, confidence: 1 });
  assert.equal(ins.words[2].start, 1.8, 'kept word after an insertion keeps its time');
  const del = applyTextEdit(words, 'three five', { start: 1.2, end: 3.4 });
  assert.deepEqual(del.words.map((x) => x.start), [1.2, 3.0]);
  assert.equal(applyTextEdit(words, 'three one for five', { start: 0, end: 0 }).changed, false);
  // Case changes keep times too.
  assert.equal(applyTextEdit(words, 'Three one for five', { start: 0, end: 0 }).words[0].start, 1.2);
});

test('search tokens match word prefixes and highlight the hits', () => {
  assert.deepEqual(tokenize("It's a Test, a test!"), ["it's", 'a', 'test']);
  assert.equal(matches(tokenize('three one four'), 'fo thr'), true);
  assert.equal(matches(tokenize('three one four'), 'five'), false);
  assert.deepEqual(highlight('three one four', 'on'), [{ text: 'three ', hit: false }, { text: 'one', hit: true }, { text: ' four', hit: false }]);
});
