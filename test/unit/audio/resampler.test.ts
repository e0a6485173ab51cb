import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Resampler } from '../../../electron/core/audio/index.js';
import { concat, maxAbsDiff, rms } from './fixtures.js';

function tone(hz: number, rate: number, seconds: number, amplitude = 0.5): Float32Array {
  const x = new Float32Array(Math.round(rate * seconds));
  for (let i = 0; i < x.length; i++) x[i] = amplitude * Math.sin((2 * Math.PI * hz * i) / rate);
  return x;
}

function resampleAll(x: Float32Array, from: number, to = 16000): Float32Array {
  const r = new Resampler(from, to);
  return concat([r.push(x), r.flush()]);
}

/** Output level relative to input level in dB, over the middle (no edge transients). */
function gainDb(input: Float32Array, output: Float32Array): number {
  const edge = Math.floor(output.length / 10);
  return 20 * Math.log10(rms(output, edge, output.length - edge) / rms(input));
}

function dbOf(ratio: number): number {
  return 20 * Math.log10(ratio);
}

describe('Resampler is a band-limited sinc converter', () => {
  for (const from of [44100, 48000, 22050]) {
    test(`${from} Hz -> 16 kHz keeps a 7 kHz tone (within 0.5 dB) and removes 9 and 12 kHz tones (> 40 dB down)`, () => {
      const kept = tone(7000, from, 1);
      assert.ok(Math.abs(gainDb(kept, resampleAll(kept, from))) < 0.5, `7 kHz gain ${gainDb(kept, resampleAll(kept, from))} dB`);
      for (const hz of [9000, 12000].filter((f) => f < from / 2)) {
        const x = tone(hz, from, 1);
        const gain = gainDb(x, resampleAll(x, from));
        assert.ok(gain < -40, `${hz} Hz would alias to ${16000 - hz} Hz: gain ${gain.toFixed(1)} dB`);
      }
    });
  }

  test('48 kHz -> 16 kHz adds no delay: a 1 kHz tone lands on the ideal 16 kHz samples', () => {
    const out = resampleAll(tone(1000, 48000, 1), 48000);
    const ideal = tone(1000, 16000, 1);
    assert.equal(out.length, ideal.length);
    const residual = out.map((v, i) => v - ideal[i]).subarray(800, -800);
    assert.ok(dbOf(rms(residual) / rms(ideal)) < -60, `residual ${dbOf(rms(residual) / rms(ideal)).toFixed(1)} dB`);
  });

  test('8 kHz -> 16 kHz upsampling leaves no image of a 1 kHz tone at 7 kHz', () => {
    const out = resampleAll(tone(1000, 8000, 1), 8000);
    const ideal = tone(1000, 16000, 1);
    assert.equal(out.length, 16000);
    const residual = out.map((v, i) => v - ideal[i]).subarray(800, -800);
    assert.ok(dbOf(rms(residual) / rms(ideal)) < -60, `residual ${dbOf(rms(residual) / rms(ideal)).toFixed(1)} dB`);
  });
});

describe('Resampler streams', () => {
  const input = (() => {
    // Noise plus a chirp: broadband, so any seam between chunks would show.
    const x = new Float32Array(44100 * 2);
    let seed = 1;
    for (let i = 0; i < x.length; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      x[i] = 0.3 * (seed / 0x7fffffff - 0.5) + 0.3 * Math.sin((2 * Math.PI * (200 + i / 20) * i) / 44100);
    }
    return x;
  })();

  test('pushing in uneven chunks gives the same output as one push', () => {
    const whole = resampleAll(input, 44100);
    const r = new Resampler(44100);
    const parts: Float32Array[] = [];
    for (let at = 0, size = 1; at < input.length; at += size, size = (size * 7 + 13) % 9000) {
      parts.push(r.push(input.subarray(at, at + size)));
    }
    parts.push(r.flush());
    const streamed = concat(parts);
    assert.equal(streamed.length, whole.length);
    assert.ok(maxAbsDiff(streamed, whole) < 1e-6, `max diff ${maxAbsDiff(streamed, whole)}`);
  });

  test('output length is round(input x 16000 / rate) for every rate', () => {
    for (const from of [8000, 11025, 22050, 44100, 48000, 96000]) {
      for (const n of [1, 999, 44101]) {
        const out = resampleAll(new Float32Array(n).fill(0.1), from);
        assert.equal(out.length, Math.round((n * 16000) / from), `${n} samples at ${from} Hz`);
      }
    }
  });

  test('flush ends a stream and the next one starts clean', () => {
    const r = new Resampler(44100);
    const first = concat([r.push(input), r.flush()]);
    const second = concat([r.push(input), r.flush()]);
    assert.equal(maxAbsDiff(first, second), 0);
  });

  test('16 kHz input passes through untouched, as a copy', () => {
    const x = new Float32Array([0.1, -0.2, 0.3]);
    const r = new Resampler(16000);
    const y = r.push(x);
    assert.deepEqual(Array.from(y), Array.from(x));
    assert.notEqual(y, x);
    assert.equal(r.flush().length, 0);
  });

  test('resamplers made and flushed one after another never run out of converters', () => {
    for (let i = 0; i < 100; i++) {
      const r = new Resampler(44100 + i);
      r.push(new Float32Array(100));
      r.flush();
    }
  });

  test('several resamplers can be open at once without interfering', () => {
    const rates = [8000, 22050, 44100, 48000];
    const resamplers = rates.map((rate) => new Resampler(rate));
    const x = rates.map((rate) => tone(1000, rate, 0.5));
    // Interleaved, as when several files are read at once.
    const firsts = resamplers.map((r, i) => r.push(x[i].subarray(0, 1000)));
    const seconds = resamplers.map((r, i) => r.push(x[i].subarray(1000)));
    const outs = resamplers.map((r, i) => concat([firsts[i], seconds[i], r.flush()]));
    outs.forEach((out, i) => assert.equal(maxAbsDiff(out, resampleAll(x[i], rates[i])), 0, `${rates[i]} Hz`));
  });

  test('bad rates are refused', () => {
    for (const rate of [0, -16000, 44100.5, NaN, 384000]) assert.throws(() => new Resampler(rate), RangeError, String(rate));
  });
});
