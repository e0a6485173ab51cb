/**
 * Band-limited streaming sample-rate conversion with libsamplerate (wasm build), sinc "medium
 * quality": 121 dB SNR, flat to 90% of the output Nyquist (7.2 kHz at 16 kHz), so speech keeps
 * its top octave and nothing above 8 kHz folds back into it.
 *
 * libsamplerate-js only hands out converters through an async create(), yet a resampler wants a
 * plain constructor. So this module keeps spare converters made ahead of time (each a separate
 * small wasm instance, ~1 MB, made in ~15 ms; separate because the library keeps converter state
 * in module globals), tops them up in the background, and takes back a converter when its
 * resampler is flushed. Only making more than SPARES resamplers in one synchronous burst without
 * flushing them runs out; async code can `await resamplerReady()` first to be safe.
 */
import lsr from '@alexanderolsen/libsamplerate-js';
import { logger } from '../log.js';
import { MAX_SAMPLE_RATE, TARGET_RATE } from './types.js';

type Converter = Awaited<ReturnType<typeof lsr.create>>;

const QUALITY = lsr.ConverterType.SRC_SINC_MEDIUM_QUALITY;
const SPARES = 4;
/** The library's transfer buffers hold ~1M floats; staying well under avoids its re-chunking path. */
const MAX_PUSH = 1 << 18;

const log = logger('audio.resampler');
const spares: Converter[] = [];
let topping: Promise<void> | null = null;

function topUp(): Promise<void> {
  topping ??= (async () => {
    try {
      // Rates here are placeholders: each Resampler re-initialises the converter with its own.
      while (spares.length < SPARES) spares.push(await lsr.create(1, 48_000, TARGET_RATE, { converterType: QUALITY }));
    } finally {
      topping = null;
    }
  })();
  return topping;
}

// Top-level await, so `new Resampler()` works as soon as this module is imported. (It makes the
// module ESM-only: it cannot be require()d, which nothing in this ESM project does.)
await topUp();

/** Waits until a Resampler can be constructed; async callers that may make many at once await this first. */
export async function resamplerReady(): Promise<void> {
  while (spares.length === 0) await topUp();
}

function takeConverter(): Converter {
  const converter = spares.pop();
  if (spares.length < SPARES) {
    topUp().catch((err: unknown) => log.error('could not make a spare resampler', err));
  }
  if (!converter) {
    throw new Error(`more than ${SPARES} resamplers made at once without a pause; await resamplerReady() first`);
  }
  return converter;
}

/** Stateful streaming resampler (any rate to `toRate`, mono): push chunks in order, then flush; the next push starts a new stream. */
export class Resampler {
  readonly fromRate: number;
  readonly toRate: number;
  /** Null for equal rates, and between a flush and the next push. */
  private converter: Converter | null = null;
  private inputSamples = 0;
  private outputSamples = 0;

  constructor(fromRate: number, toRate: number = TARGET_RATE) {
    for (const rate of [fromRate, toRate]) {
      if (!Number.isInteger(rate) || rate < 1 || rate > MAX_SAMPLE_RATE) {
        throw new RangeError(`sample rate must be a whole number of Hz from 1 to ${MAX_SAMPLE_RATE}, got ${rate}`);
      }
    }
    this.fromRate = fromRate;
    this.toRate = toRate;
    this.attach();
  }

  /** Converts the next chunk. Output lags input by the filter's half-length until flush(). */
  push(x: Float32Array): Float32Array {
    if (!this.converter) this.attach();
    this.inputSamples += x.length;
    if (!this.converter) {
      this.outputSamples += x.length;
      return x.slice();
    }
    const out = this.convert(x);
    this.outputSamples += out.length;
    return out;
  }

  /**
   * The rest of the output, so that the total is round(input * toRate / fromRate) and sample n
   * lines up with input time n / toRate; then the resampler is ready for a new stream.
   */
  flush(): Float32Array {
    const total = Math.round((this.inputSamples * this.toRate) / this.fromRate);
    const parts: Float32Array[] = [];
    let produced = this.outputSamples;
    if (this.converter) {
      // The wasm build never sets libsamplerate's end_of_input, so push silence until the
      // filter's look-ahead has emitted every real sample (a few ms), then cut at `total`.
      const silence = new Float32Array(Math.ceil(this.fromRate / 20));
      for (let i = 0; produced < total && i < 40; i++) {
        const out = this.convert(silence);
        parts.push(out);
        produced += out.length;
      }
      if (produced < total) throw new Error(`resampler flush fell short by ${total - produced} samples`);
    }
    const tail = concat(parts, total - this.outputSamples);
    this.inputSamples = 0;
    this.outputSamples = 0;
    if (this.converter) {
      if (spares.length < 2 * SPARES) spares.push(this.converter);
      this.converter = null;
    }
    return tail;
  }

  private convert(x: Float32Array): Float32Array {
    const converter = this.converter as Converter;
    if (x.length === 0) return new Float32Array(0);
    if (x.length <= MAX_PUSH) return converter.full(x);
    const parts: Float32Array[] = [];
    for (let i = 0; i < x.length; i += MAX_PUSH) parts.push(converter.full(x.subarray(i, i + MAX_PUSH)));
    return concat(parts, Infinity);
  }

  /** Takes a converter with fresh state; equal rates need none, samples pass through untouched. */
  private attach(): void {
    if (this.fromRate === this.toRate) return;
    const converter = takeConverter();
    // Each setter re-creates libsamplerate's state, which also clears any history from a past stream.
    converter.inputSampleRate = this.fromRate;
    converter.outputSampleRate = this.toRate;
    this.converter = converter;
  }
}

/** The first `limit` samples of the parts, joined. */
function concat(parts: Float32Array[], limit: number): Float32Array {
  const length = Math.min(
    limit,
    parts.reduce((n, p) => n + p.length, 0),
  );
  const out = new Float32Array(Math.max(0, length));
  let at = 0;
  for (const p of parts) {
    if (at >= out.length) break;
    const take = Math.min(p.length, out.length - at);
    out.set(take === p.length ? p : p.subarray(0, take), at);
    at += take;
  }
  return out;
}
