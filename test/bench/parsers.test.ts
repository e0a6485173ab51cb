/**
 * The benchmark's parsers and normaliser on real output samples. Part of `npm run test:unit`; alone:
 * `node test/run.mjs bench parsers`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sampleAtAudio, warmSamples, WARM_WALL_S } from './app-probe.js';
import { parseBatchTotals, parseHypFile } from './pocketsphinx.js';
import { parseDecoderBench } from './sections/decoder-speed.js';
import { markdownTables } from './sections/placeholders.js';
import { normaliseText, spellNumber } from './text-norm.js';

test('normaliseText drops sentence markers, fillers and pronunciation markers, and spells numbers', () => {
  assert.equal(normaliseText('<s> He READ(2) the [NOISE] r. 1,811 ++BREATH++ books </s>'), 'he read the r one thousand eight hundred eleven books');
  assert.equal(normaliseText("in 3.25 hours, don't 'tis twenty-one"), "in three point two five hours don't tis twenty one");
});

test('spellNumber writes whole numbers out', () => {
  assert.equal(spellNumber(0), 'zero');
  assert.equal(spellNumber(90), 'ninety');
  assert.equal(spellNumber(115), 'one hundred fifteen');
  assert.equal(spellNumber(1_000_001), 'one million one');
});

test('parseHypFile reads pocketsphinx -hyp lines, empty hypotheses included', () => {
  const hyps = parseHypFile('he was not an ill(2) disposed young man (u00002 -11423)\n (u00003 -1830)\n');
  assert.equal(hyps.get('u00002'), 'he was not an ill disposed young man');
  assert.equal(hyps.get('u00003'), '');
});

test('parseBatchTotals reads the batch TOTAL line', () => {
  const log = 'INFO: batch.c(777): TOTAL 24.04 seconds speech, 6.54 seconds CPU, 11.79 seconds wall\nINFO: batch.c(779): AVERAGE 0.27 xRT (CPU), 0.49 xRT (elapsed)';
  assert.deepEqual(parseBatchTotals(log), { cpuS: 6.54, wallS: 11.79 });
  assert.equal(parseBatchTotals('nothing'), null);
});

test('parseDecoderBench reads models/lm/bench-decoder.ts output', () => {
  const out = [
    'LM load: 147.5 ms wall (73882 words, 717940 bigrams, 333640 trigrams)',
    'typical: 388 s of frames; CPU ms per audio second: features 2.44, beam search 1.65, together 4.09 (RTF 0.0041); WER greedy 24.55 %, beam 16 + LM 0.34 %',
    'flat (worst case): 120 s of frames; beam search 3.94 CPU ms per audio second',
  ].join('\n');
  const r = parseDecoderBench(out);
  assert.equal(r.lmLoad, '147.5 ms wall (73882 words, 717940 bigrams, 333640 trigrams)');
  assert.deepEqual(r.conditions, [{ name: 'typical', seconds: 388, featuresMs: 2.44, beamMs: 1.65, rtf: 0.0041, werGreedy: 24.55, beam: 16, werBeam: 0.34 }]);
  assert.deepEqual(r.beamOnly, [{ name: 'flat (worst case)', seconds: 120, beamMs: 3.94 }]);
});

test('markdownTables finds tables with their headings and the bold lead of the paragraph before each', () => {
  const t = markdownTables('# Card\n\n## Experiments\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\ntext\n\n**Longer run\n(114 h).** More rows:\n\n| a |\n|---|\n| 3 |\n\n- **a list item** is no caption\n\n## Other\n\n| c |\n|---|\n');
  assert.deepEqual(t, [
    { heading: 'Experiments', caption: '', table: '| a | b |\n|---|---|\n| 1 | 2 |' },
    { heading: 'Experiments', caption: 'Longer run (114 h).', table: '| a |\n|---|\n| 3 |' },
    { heading: 'Other', caption: '', table: '| c |\n|---|' },
  ]);
});

test('memory warm-up waits for both 10 % of the audio and a minute of wall time, unless the run is too short', () => {
  const fast = Array.from({ length: 40 }, (_, i) => ({ wallS: i * 5, audioS: i * 5 * 44 }));
  const warm = warmSamples(fast, fast[fast.length - 1].audioS);
  assert.equal(warm[0].wallS, WARM_WALL_S, 'at 44x real time the wall rule decides');
  const slow = Array.from({ length: 40 }, (_, i) => ({ wallS: i * 30, audioS: i * 30 }));
  assert.equal(warmSamples(slow, 39 * 30)[0].audioS, 120, 'in real time the audio rule decides');
  const short = Array.from({ length: 6 }, (_, i) => ({ wallS: i * 5, audioS: i * 100 }));
  assert.equal(warmSamples(short, 500)[0].audioS, 100, 'too short for the wall rule: the audio rule');
});

test('a memory run longer than 2 hours is judged at the sample where it passed 2 hours of audio, not at its end', () => {
  const run = [0, 3600, 7100, 7300, 20000].map((audioS, i) => ({ audioS, kb: 80 + i }));
  assert.equal(sampleAtAudio(run, 7200)?.kb, 83);
  assert.equal(sampleAtAudio(run.slice(0, 3), 7200), null, 'ended before: the caller extrapolates');
});
