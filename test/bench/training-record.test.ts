/**
 * Reading and rendering models/<model>/training.json. Part of `npm run test:unit`; alone:
 * `node test/run.mjs bench training-record`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { repoPath } from './paths.js';
import { parseTrainingRecord, renderTraining } from './training-record.js';

const TEACHER = repoPath('models/teacher/training.json');
const STUDENT = repoPath('models/student/training.json');

test('parseTrainingRecord reads the recipe format and names fields of another type', () => {
  const r = parseTrainingRecord({ sources_hours: { train_real: 5.9, train_synth: 20 }, hours_seen: 93.1, steps: 5031, epochs: '1.8', hardware: 'H100' });
  assert.deepEqual(r, { sourcesHours: { train_real: 5.9, train_synth: 20 }, hoursSeen: 93.1, steps: 5031, hardware: 'H100', unreadable: ['epochs'] });
  assert.throws(() => parseTrainingRecord([1, 2]), /not a JSON object/);
});

test('renderTraining: one line when neither file exists', () => {
  const md = renderTraining([{ model: 'teacher', read: { state: 'absent', path: TEACHER } }, { model: 'student', read: { state: 'absent', path: STUDENT } }]);
  assert.equal(md, '_Not recorded: models/teacher/training.json and models/student/training.json do not exist yet (the training recipe writes them)._');
});

test('renderTraining shows only the columns some record fills, and says which file is missing', () => {
  const md = renderTraining([
    { model: 'teacher', read: { state: 'read', path: TEACHER, record: { hoursSeen: 93.1, wallMinutes: 80, sourcesHours: { train_real: 5.9 }, unreadable: [] } } },
    { model: 'student', read: { state: 'absent', path: STUDENT } },
  ]);
  assert.equal(md, [
    '| model | hours seen | wall time | training data of the last run (hours per source) |',
    '| --- | ---: | ---: | --- |',
    '| teacher | 93.1 h | 80 min | train_real 5.9 h |',
    '',
    'From models/teacher/training.json, written by the training recipe: quoted, not measured by this run.',
    '- student: models/student/training.json does not exist yet',
  ].join('\n'));
});

test('a warm-started chain is listed run by run; a malformed chain is named, not guessed at', () => {
  const r = parseTrainingRecord({ hours_seen: 703.1, runs: [{ exp: 'teacher_e', hours_seen: 256.4, wall_minutes: 105.1 }, { exp: 'teacher_gpu1', hours_seen: 446.7, wall_minutes: 4.5 }] });
  assert.deepEqual(r.runs, [{ exp: 'teacher_e', hoursSeen: 256.4, wallMinutes: 105.1 }, { exp: 'teacher_gpu1', hoursSeen: 446.7, wallMinutes: 4.5 }]);
  const md = renderTraining([{ model: 'teacher', read: { state: 'read', path: TEACHER, record: r } }]);
  assert.match(md, /\| teacher \| 703\.1 h \| teacher_e 256\.4 h, 105 min; teacher_gpu1 446\.7 h, 5 min \|/);
  assert.deepEqual(parseTrainingRecord({ runs: [{ exp: 'x' }] }).unreadable, ['runs']);
});
