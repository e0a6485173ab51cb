/**
 * Reading and rendering models/<model>/training.json. Not part of `npm run test:unit`: run with
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
    '| model | hours seen | wall time | training data (hours per source) |',
    '| --- | ---: | ---: | --- |',
    '| teacher | 93.1 h | 80 min | train_real 5.9 h |',
    '',
    'From models/teacher/training.json, written by the training recipe: quoted, not measured by this run.',
    '- student: models/student/training.json does not exist yet',
  ].join('\n'));
});
