import assert from 'node:assert/strict';
import fs from 'node:fs';
import { before, describe, test } from 'node:test';
import { decodeAudioFile, readAudio } from '../../../electron/core/audio/index.js';
import { readAudioWith } from '../../../electron/core/audio/read-audio.js';
import { collect, concat, ensureAudioFixtures, fixture, maxAbsDiff } from './fixtures.js';

before(ensureAudioFixtures);

/** 2 s of speech, one file per decode path, each resampled (the costly part: each is decoded whole once). */
const ONE_PER_PATH = ['short-44k-stereo.wav', 'short-44k-stereo.flac', 'short.opus', 'short-44k-stereo.mp3'];
const SHORT_SAMPLES = 32_000;
const wholes = new Map<string, Float32Array>();

describe('readAudio streams in chunks', () => {
  before(async () => {
    for (const name of ONE_PER_PATH) wholes.set(name, await decodeAudioFile(fixture(name)));
  });

  for (const name of ONE_PER_PATH) {
    test(`${name}: chunks of exactly chunkSeconds, joined, equal the whole decode`, async () => {
      const whole = wholes.get(name) as Float32Array;
      const chunks = await collect(readAudio(fixture(name), { chunkSeconds: 0.13 }));
      const size = Math.round(0.13 * 16000);
      assert.ok(chunks.length > 10);
      assert.equal(whole.length, SHORT_SAMPLES);
      chunks.slice(0, -1).forEach((c, i) => assert.equal(c.length, size, `chunk ${i}`));
      assert.ok(chunks[chunks.length - 1].length <= size);
      assert.equal(maxAbsDiff(concat(chunks), whole), 0);
    });

    test(`${name}: the output does not depend on how the file is split into reads`, async () => {
      const big = wholes.get(name) as Float32Array;
      const small = concat(await collect(readAudioWith(fixture(name), { readBytes: 4093 })));
      assert.equal(small.length, SHORT_SAMPLES);
      assert.ok(maxAbsDiff(small, big) < 1e-6, `max diff ${maxAbsDiff(small, big)}`);
    });
  }

  test('stopping early closes the file', { skip: !fs.existsSync('/proc/self/fd') && 'needs /proc' }, async () => {
    const openFds = (): number => fs.readdirSync('/proc/self/fd').length;
    const before = openFds();
    for (const name of ['ref16.wav', 'ref.flac', 'speech.opus']) {
      for await (const chunk of readAudio(fixture(name), { chunkSeconds: 1 })) {
        assert.equal(chunk.length, 16000);
        break;
      }
    }
    assert.equal(openFds(), before);
  });

  test('many files read at once each get their own decoder and resampler', async () => {
    // More at once than the resampler keeps spare converters for.
    const names = [...ONE_PER_PATH, ...ONE_PER_PATH, ...ONE_PER_PATH];
    const together = await Promise.all(names.map((n) => decodeAudioFile(fixture(n))));
    together.forEach((audio, i) => assert.equal(maxAbsDiff(audio, wholes.get(names[i]) as Float32Array), 0, names[i]));
  });

  test('a non-positive chunk length is refused', async () => {
    for (const chunkSeconds of [0, -1, NaN, Infinity]) {
      await assert.rejects(collect(readAudio(fixture('ref16.wav'), { chunkSeconds })), RangeError);
    }
  });
});
