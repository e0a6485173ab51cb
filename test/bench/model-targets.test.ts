/**
 * The model targets of section 1 on made-up results. Part of `npm run test:unit`;
 * alone: `node test/run.mjs bench model-targets`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ZERO_COUNTS } from '../../electron/core/eval/wer.js';
import { available, modelTargets, unavailable, type BySet, type ModelTargetInputs } from './model-targets.js';
import { failed, type SetResult } from './results.js';
import type { TargetCheck } from './sections/types.js';

const SETS = ['arctic_native', 'fsdd'];

function result(set: string, wer: number, audioS = 100, decodeWallS = 1): SetResult {
  return { set, ok: true, utterances: 10, counts: ZERO_COUNTS, wer, audioS, decodeWallS, decodeCpuS: null, processCpuS: null, peakRssKb: null };
}

const bySet = (...results: SetResult[]): BySet => new Map(results.map((r) => [r.set, r]));

/** Every target met: the cases below change one thing each. */
function inputs(over: Partial<ModelTargetInputs> = {}): ModelTargetInputs {
  return {
    sets: SETS,
    teacherLm: available(bySet(result('arctic_native', 10, 100, 5), result('fsdd', 4, 100, 5))),
    studentLm: available(bySet(result('arctic_native', 14, 100, 1), result('fsdd', 5, 100, 1))),
    pocketsphinx: available(bySet(result('arctic_native', 18.7), result('fsdd', 75.8))),
    studentOnnxBytes: available(3_500_000),
    ...over,
  };
}

const about = (checks: TargetCheck[], words: RegExp): TargetCheck[] => checks.filter((c) => words.test(c.target));

test('all met: one check per set for each per-set target, one for each RTF and the size', () => {
  const checks = modelTargets(inputs());
  assert.ok(checks.every((c) => c.met), JSON.stringify(checks.filter((c) => !c.met)));
  assert.equal(about(checks, /^teacher \+ LM beats/).length, SETS.length);
  assert.equal(about(checks, /^student \+ LM beats/).length, SETS.length);
  assert.equal(about(checks, /1\.5× teacher/).length, SETS.length);
  assert.equal(about(checks, /RTF ≤/).length, 2);
  assert.equal(about(checks, /size on disk/).length, 1);
});

test('a set where the model loses to pocketsphinx is MISSED with both WERs, the other set still shown', () => {
  const checks = about(modelTargets(inputs({ teacherLm: available(bySet(result('arctic_native', 20.4), result('fsdd', 4))) })), /^teacher \+ LM beats/);
  assert.deepEqual(checks.map((c) => [c.figure, c.met]), [
    ['arctic_native: 20.4 % vs 18.7 %', false],
    ['fsdd: 4.0 % vs 75.8 %', true],
  ]);
});

test('a tie is not a win, and WERs that round alike get a second decimal', () => {
  const [c] = about(modelTargets(inputs({ pocketsphinx: available(bySet(result('arctic_native', 10.04), result('fsdd', 75.8))) })), /^teacher \+ LM beats/);
  assert.deepEqual([c.figure, c.met], ['arctic_native: 10.00 % vs 10.04 %', true]);
  const [tie] = about(modelTargets(inputs({ pocketsphinx: available(bySet(result('arctic_native', 10), result('fsdd', 75.8))) })), /^teacher \+ LM beats/);
  assert.equal(tie.met, false);
});

test('a missing system makes each of its targets not met, with the reason, never dropped', () => {
  const why = 'not built (models/student/student.onnx is missing)';
  const checks = modelTargets(inputs({ studentLm: unavailable(why), studentOnnxBytes: unavailable(why) }));
  const student = about(checks, /^student/);
  assert.equal(student.length, 4, 'beats pocketsphinx, within 1.5× of the teacher, RTF, size');
  for (const c of student) {
    assert.equal(c.met, false);
    assert.ok(c.figure.includes(why), c.figure);
  }
  const noBaseline = about(modelTargets(inputs({ pocketsphinx: unavailable('/usr/bin/pocketsphinx_batch missing') })), /beats/);
  assert.deepEqual(noBaseline.map((c) => [c.target, c.figure, c.met]), [
    ['teacher + LM beats pocketsphinx-en-us (lower WER) on every dev set', 'pocketsphinx-en-us: /usr/bin/pocketsphinx_batch missing', false],
    ['student + LM beats pocketsphinx-en-us (lower WER) on every dev set', 'pocketsphinx-en-us: /usr/bin/pocketsphinx_batch missing', false],
  ]);
});

test('a set that failed or did not run is its own check, not met, with the reason', () => {
  const checks = about(modelTargets(inputs({ studentLm: available(bySet(failed('arctic_native', 'exit code 1'))) })), /^student \+ LM beats/);
  assert.deepEqual(checks.map((c) => [c.figure, c.met]), [
    ['arctic_native: student + LM failed (exit code 1)', false],
    ['fsdd: student + LM did not run on it', false],
  ]);
});

test('no dev set at all is a check not met', () => {
  const checks = about(modelTargets(inputs({ sets: [] })), /beats|1\.5×|RTF/);
  assert.ok(checks.length >= 5);
  assert.ok(checks.every((c) => !c.met));
});

test('student within 1.5× of the teacher: exactly 1.5× is met, above is MISSED', () => {
  const ratio = (student: SetResult, teacher: SetResult): TargetCheck =>
    about(modelTargets(inputs({ sets: ['arctic_native'], studentLm: available(bySet(student)), teacherLm: available(bySet(teacher)) })), /1\.5× teacher/)[0];
  const exact = ratio(result('arctic_native', 15), result('arctic_native', 10));
  assert.deepEqual([exact.figure, exact.met], ['arctic_native: 15.0 % vs 10.0 % (1.50×)', true]);
  // 15 and 10 errors in 101 words: exactly 1.5×, but 9.90… % × 1.5 comes out a rounding error below 14.85… %.
  assert.equal(ratio(result('arctic_native', (100 * 15) / 101), result('arctic_native', (100 * 10) / 101)).met, true);
  const above = ratio(result('arctic_native', 15.1), result('arctic_native', 10));
  assert.deepEqual([above.figure, above.met], ['arctic_native: 15.1 % vs 10.0 % (1.51×)', false]);
  assert.equal(ratio(result('arctic_native', 0.5), result('arctic_native', 0)).met, false, 'a teacher with no error leaves the student no room');
});

test('RTF is pooled over the sets: Σ decoding wall / Σ audio, not a mean of per-set RTFs', () => {
  // 1 s for 100 s and 9 s for 300 s: pooled 10 / 400 = 0.025 (over 0.02); the mean of 0.01 and 0.03 is 0.02 (met).
  const studentLm = available(bySet(result('arctic_native', 14, 100, 1), result('fsdd', 5, 300, 9)));
  const [rtf] = about(modelTargets(inputs({ studentLm })), /^student RTF/);
  assert.equal(rtf.met, false);
  assert.match(rtf.figure, /^RTF 0\.0250 over 2 sets, 6\.7 min of audio$/);
  const [teacher] = about(modelTargets(inputs()), /^teacher RTF/);
  assert.equal(teacher.figure, 'RTF 0.0500 over 2 sets, 3.3 min of audio');
  assert.equal(teacher.met, true);
});

test('RTF leaves out a failed set and says so; none decoded is not met', () => {
  const [part] = about(modelTargets(inputs({ studentLm: available(bySet(result('arctic_native', 14, 100, 1), failed('fsdd', 'killed'))) })), /^student RTF/);
  assert.deepEqual([part.figure, part.met], ['RTF 0.0100 over 1 set, 100.0 s of audio; left out: fsdd (failed)', true]);
  const [none] = about(modelTargets(inputs({ studentLm: available(bySet()) })), /^student RTF/);
  assert.deepEqual([none.figure, none.met], ['no dev set decoded: arctic_native (not run), fsdd (not run)', false]);
});

test('student size: 4 MB is met, a byte more is MISSED', () => {
  const size = (bytes: number): TargetCheck => about(modelTargets(inputs({ studentOnnxBytes: available(bytes) })), /size on disk/)[0];
  assert.deepEqual([size(4_000_000).figure, size(4_000_000).met], ['4.00 MB (4000000 bytes)', true]);
  assert.equal(size(4_000_001).met, false);
});
