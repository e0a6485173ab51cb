import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { decodeAudioFile } from '../../../electron/core/audio/index.js';
import { extractLogMel, LogMelExtractor } from '../../../electron/core/features/logmel.js';
import { FEATURE_SPEC, frameCount } from '../../../electron/core/features/spec.js';
import { SPEECH_FLAC } from '../../helpers/paths.js';

describe('streaming log-mel extractor', () => {
  let speech: Float32Array;
  before(async () => {
    speech = await decodeAudioFile(SPEECH_FLAC);
  });

  it('emits floor((N - 400) / 160) + 1 frames of 80 bins for real speech', () => {
    const whole = extractLogMel(speech);
    assert.equal(whole.frames, Math.floor((speech.length - 400) / 160) + 1);
    assert.equal(whole.frames, frameCount(speech.length));
    assert.equal(whole.dim, FEATURE_SPEC.numMel);
    assert.ok(whole.data.every(Number.isFinite));
  });

  for (const chunk of [1, 7, 159, 160, 161, 399, 400, 401, 1000, 3333, 16000]) {
    it(`gives exactly the whole-file features when fed ${chunk}-sample chunks`, () => {
      const whole = extractLogMel(speech);
      const ex = new LogMelExtractor();
      const parts: Float32Array[] = [];
      for (let i = 0; i < speech.length; i += chunk) parts.push(ex.push(speech.subarray(i, i + chunk)).data);
      const joined = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) { joined.set(p, at); at += p.length; }
      assert.equal(joined.length, whole.data.length);
      assert.deepEqual(joined, whole.data);
    });
  }

  it('gives the same features for random chunk sizes', () => {
    const whole = extractLogMel(speech);
    const ex = new LogMelExtractor();
    let seed = 7;
    const rand = (): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };
    const out: number[] = [];
    for (let i = 0; i < speech.length;) {
      const n = 1 + Math.floor(rand() * 2000);
      out.push(...ex.push(speech.subarray(i, i + n)).data);
      i += n;
    }
    assert.deepEqual(Float32Array.from(out), whole.data);
  });

  it('emits nothing for fewer than 400 samples and reset() starts a new stream', () => {
    const ex = new LogMelExtractor();
    assert.equal(ex.push(speech.subarray(0, 399)).frames, 0);
    ex.reset();
    assert.deepEqual(ex.push(speech.subarray(0, 800)).data, extractLogMel(speech.subarray(0, 800)).data);
  });

  it('separates speech from silence: loud frames have more energy than digital near-silence', () => {
    const quiet = extractLogMel(new Float32Array(16000).fill(1e-4));
    const loud = extractLogMel(speech);
    const mean = (a: Float32Array): number => a.reduce((s, v) => s + v, 0) / a.length;
    assert.ok(mean(loud.data) > mean(quiet.data) + 5);
  });
});
