/**
 * The adaptation section's pure parts (adapt-results.ts): `hushscribe adapt`'s report as printed,
 * relative change, the issue 5 target checks and the timing extrapolation.
 * Run with `node test/run.mjs bench`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adaptSecondsFor, adaptTimeCheck, fmtRelative, parseAdaptOutput, parseClock, relativeChange, werReductionCheck } from './adapt-results.js';
import { available, unavailable } from './model-targets.js';

// Printed by `hushscribe adapt … --quiet` (electron/cli/commands/adapt.ts) with the test fixture student.
const KEPT = [
  "adapted 'sample' (base adapt-fixture-student-64x4-s0) on 93.4 s of audio, 35.2 s of speech: 74.6 s trained, 18.9 s held out (6 words)",
  'held-out WER against the teacher: before 100.00%, after 66.67% (-33.33 points)',
  'held-out errors (substitutions/deletions/insertions): before 4/2/0, after 3/1/0',
  'held-out WER on the 2 words the teacher is sure of (confidence ≥ 0.9): before 50.00%, after 0.00% (too few: the keep check used all 6 words)',
  'training: 8 epoch(s), 24 steps, KL 0.0294 → 0.0251 → 0.0217 → 0.0191 → 0.0173 → 0.0162 → 0.0154 → 0.0150',
  'spike timing: the student fires 120 ms before the teacher here; the targets were moved onto its timing',
  'saved profile /tmp/hush-cli-sample/p/sample.profile.safetensors',
  'time 5s (reading 3s, training 2s, measuring 0s)',
].join('\n');

const NOT_KEPT = [
  "adapted 'Board room' (base student-3) on 612.0 s of audio, 540.5 s of speech: 489.6 s trained, 122.4 s held out (310 words)",
  'held-out WER against the teacher: before 21.00%, after 21.30% (+0.30 points)',
  'held-out WER on the 41 words the teacher is sure of (confidence ≥ 0.9): before 9.76%, after 12.20% (the keep check)',
  "held-out WER against the manifest's transcripts (295 words; not used to decide): before 30.17%, after 28.14%",
  'training: 3 epoch(s), 180 steps (stopped by the time budget), KL 0.2100 → 0.1900 → 0.1850',
  'spike timing: the student fires 0 ms after the teacher here',
  'nothing saved: the held-out WER did not improve (21.00% → 21.30%)',
  'time 4m07s (reading 1m02s, training 3m01s, measuring 4s)',
].join('\n');

test('parseAdaptOutput reads a kept profile', () => {
  assert.deepEqual(parseAdaptOutput(`${KEPT}\n`), {
    name: 'sample',
    baseModelVersion: 'adapt-fixture-student-64x4-s0',
    audioS: 93.4,
    speechS: 35.2,
    trainS: 74.6,
    holdoutS: 18.9,
    holdoutWords: 6,
    werBefore: 100,
    werAfter: 66.67,
    sure: { words: 2, werBefore: 50, werAfter: 0, decided: false },
    truth: null,
    epochs: 8,
    steps: 24,
    stoppedByBudget: false,
    profilePath: '/tmp/hush-cli-sample/p/sample.profile.safetensors',
    notSavedReason: null,
    keptOnlyForBench: null,
    spike: { lagMs: -120, aligned: true },
    seconds: { total: 5, reading: 3, training: 2, measuring: 0 },
  });
});

test('parseAdaptOutput reads a job that kept nothing, stopped by its budget, with minutes on its clock', () => {
  const r = parseAdaptOutput(NOT_KEPT);
  assert.ok(r);
  assert.equal(r.name, 'Board room');
  assert.equal(r.profilePath, null);
  assert.equal(r.notSavedReason, 'the held-out WER did not improve (21.00% → 21.30%)');
  assert.equal(r.stoppedByBudget, true);
  assert.deepEqual(r.sure, { words: 41, werBefore: 9.76, werAfter: 12.2, decided: true });
  assert.deepEqual(r.truth, { words: 295, werBefore: 30.17, werAfter: 28.14 });
  assert.deepEqual(r.spike, { lagMs: 0, aligned: false });
  assert.deepEqual(r.seconds, { total: 247, reading: 62, training: 181, measuring: 4 });
});

test('parseAdaptOutput reads a profile kept only because of --keep, with the reason the app would not keep it', () => {
  const keep = KEPT.replace(
    'saved profile /tmp/hush-cli-sample/p/sample.profile.safetensors',
    'saved profile /tmp/p/Dana.profile.safetensors (kept because of --keep: the held-out WER did not improve (66.87% → 73.49%))',
  );
  const r = parseAdaptOutput(keep);
  assert.ok(r);
  assert.equal(r.profilePath, '/tmp/p/Dana.profile.safetensors');
  assert.equal(r.keptOnlyForBench, 'the held-out WER did not improve (66.87% → 73.49%)');
});

test('parseAdaptOutput gives null when a line is missing', () => {
  assert.equal(parseAdaptOutput(KEPT.split('\n').slice(0, 3).join('\n')), null);
  assert.equal(parseAdaptOutput(''), null);
});

test('parseClock reads the CLI clock and refuses anything else', () => {
  assert.equal(parseClock('0s'), 0);
  assert.equal(parseClock('59s'), 59);
  assert.equal(parseClock('12m05s'), 725);
  assert.throws(() => parseClock('5 s'));
});

test('relativeChange and its format', () => {
  assert.equal(relativeChange(40, 30), -0.25);
  assert.equal(relativeChange(0, 10), null);
  assert.equal(relativeChange(NaN, 10), null);
  assert.equal(fmtRelative(-0.125), '−12.5 %');
  assert.equal(fmtRelative(0.05), '+5.0 %');
  assert.equal(fmtRelative(0), '±0.0 %');
  assert.equal(fmtRelative(null), 'n/a');
});

test('werReductionCheck: met at the line, missed short of it, and says why when nothing was measured', () => {
  const room = (before: number, after: number, notKept: string | null = null, scoredAnyway: number | null = null) =>
    werReductionCheck('the reverberant room', 0.1, available({ before, after, notKept, scoredAnyway }));
  assert.equal(room(50, 45).met, true); // exactly −10 %
  assert.equal(room(50, 45.5).met, false);
  assert.equal(room(50, 45.5).figure, 'WER 50.0 % → 45.5 % (−9.0 % relative)');
  const kept = room(30, 30, 'the held-out WER did not improve (30.00% → 31.00%)');
  assert.equal(kept.met, false);
  assert.match(kept.figure, /^WER 30\.0 % → 30\.0 % \(±0\.0 % relative\); no profile kept \(the held-out WER did not improve/);
  const anyway = room(30, 30, 'the held-out WER did not improve (30.00% → 31.00%)', 26);
  assert.equal(anyway.met, false, 'a profile the app would not keep helps no user');
  assert.match(anyway.figure, /the base model stays; the profile scored anyway \(`--keep`\): 26\.0 % \(−13\.3 %\)$/);
  assert.equal(room(0, 0).met, false);
  const missing = werReductionCheck('a single speaker', 0.05, unavailable('models/student/student.onnx: the student model is not built yet'));
  assert.deepEqual(missing, {
    target: 'adaptation: ≥ 5 % relative WER reduction for a single speaker (student + LM, ground truth, test audio not adapted on)',
    figure: 'not measured: models/student/student.onnx: the student model is not built yet',
    met: false,
  });
});

test('adaptSecondsFor: measured at 10 minutes, extrapolated below with training capped by the budget', () => {
  assert.deepEqual(adaptSecondsFor({ scenario: 'room', audioS: 600, wallS: 250, trainingS: 180 }, 10, 180), { seconds: 250, extrapolated: false });
  // 2 min of audio: 20 s of reading/measuring → 100 s; 30 s of training → 150 s, under the budget.
  assert.deepEqual(adaptSecondsFor({ scenario: 'speaker', audioS: 120, wallS: 50, trainingS: 30 }, 10, 180), { seconds: 250, extrapolated: true });
  // 60 s of training would be 300 s: the budget stops it at 180 s.
  assert.deepEqual(adaptSecondsFor({ scenario: 'speaker', audioS: 120, wallS: 80, trainingS: 60 }, 10, 180), { seconds: 280, extrapolated: true });
});

test('adaptTimeCheck says when its figure is extrapolated', () => {
  const met = adaptTimeCheck(available({ scenario: 'speaker', audioS: 120, wallS: 50, trainingS: 30 }), 180);
  assert.equal(met.met, true);
  assert.match(met.figure, /^4\.2 min, \*\*extrapolated\*\* from 50\.0 s on 2\.0 min of audio \(scenario speaker;/);
  const missed = adaptTimeCheck(available({ scenario: 'room', audioS: 601, wallS: 320, trainingS: 181 }), 180);
  assert.deepEqual([missed.met, missed.figure], [false, '5.3 min measured on 10.0 min of audio (scenario room)']);
  assert.match(adaptTimeCheck(unavailable('no job ran'), 180).figure, /^not measured: no job ran$/);
});
