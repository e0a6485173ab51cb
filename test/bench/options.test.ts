/**
 * `npm run bench` options: defaults, the app memory run's pace, and refusals that name the option.
 * Part of `npm run test:unit`; alone: `node test/run.mjs bench options`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseOptions, UsageError } from './options.js';

test('the app memory run defaults to 2 hours of audio at up to 60x real time within 8 minutes', () => {
  const opts = parseOptions([]);
  assert.deepEqual([opts.appAudioMinutes, opts.appWallMinutes, opts.appSpeed], [120, 8, 60]);
});

test('--app-speed 1 paces the memory run like a live meeting', () => {
  const opts = parseOptions(['--sections', 'app', '--app-speed', '1', '--app-audio-minutes=100', '--app-wall-minutes', '101']);
  assert.deepEqual(opts.sections, ['app']);
  assert.deepEqual([opts.appAudioMinutes, opts.appWallMinutes, opts.appSpeed], [100, 101, 1]);
});

test('a pace that is not a positive whole number is refused, naming the option', () => {
  assert.throws(() => parseOptions(['--app-speed', '0']), (e: unknown) => e instanceof UsageError && /--app-speed/.test(e.message) && /'0'/.test(e.message));
  assert.throws(() => parseOptions(['--app-speed', '1.5']), UsageError);
  assert.throws(() => parseOptions(['--app-speed']), /--app-speed needs a value/);
});
