import { FEATURE_SPEC, type FeatureSpec } from './spec.js';
import { Fft } from './fft.js';

/** Features of a run of frames: `frames × dim`, row-major. */
export interface FeatureBlock {
  readonly frames: number;
  readonly dim: number;
  readonly data: Float32Array;
}

/** Sparse triangular mel filters: for filter m, weights over bins [start[m], start[m] + weights[m].length). */
interface MelBank {
  readonly start: Int32Array;
  readonly weights: Float64Array[];
}

function melBank(spec: FeatureSpec): MelBank {
  const mel = (f: number): number => 2595 * Math.log10(1 + f / 700);
  const hz = (m: number): number => 700 * (10 ** (m / 2595) - 1);
  const lo = mel(spec.melLowHz);
  const hi = mel(spec.melHighHz);
  const points: number[] = [];
  for (let i = 0; i < spec.numMel + 2; i++) points.push(hz(lo + ((hi - lo) * i) / (spec.numMel + 1)));
  const bins = spec.fftSize / 2 + 1;
  const start = new Int32Array(spec.numMel);
  const weights: Float64Array[] = [];
  for (let m = 0; m < spec.numMel; m++) {
    const [l, c, r] = [points[m], points[m + 1], points[m + 2]];
    const row: number[] = [];
    let first = -1;
    for (let k = 0; k < bins; k++) {
      const f = (k * spec.sampleRate) / spec.fftSize;
      const w = Math.max(0, Math.min((f - l) / (c - l), (r - f) / (r - c)));
      if (w > 0) {
        if (first < 0) first = k;
        row.length = k - first;
        row.push(w);
      }
    }
    start[m] = Math.max(first, 0);
    weights.push(Float64Array.from(row, (v) => v ?? 0));
  }
  return { start, weights };
}

/**
 * The one streaming log-mel extractor (models/FEATURES.md). Push samples in any chunk
 * sizes; it returns every frame that became complete. Chunked output equals whole-file
 * output exactly, because frames never look past their own 400 samples.
 */
export class LogMelExtractor {
  private readonly fft: Fft;
  private readonly window: Float64Array;
  private readonly bank: MelBank;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  private readonly power: Float64Array;
  private pending: Float32Array = new Float32Array(0);
  private emitted = 0;

  constructor(readonly spec: FeatureSpec = FEATURE_SPEC) {
    this.fft = new Fft(spec.fftSize);
    this.window = new Float64Array(spec.frameLength);
    for (let n = 0; n < spec.frameLength; n++) this.window[n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / spec.frameLength);
    this.bank = melBank(spec);
    this.re = new Float64Array(spec.fftSize);
    this.im = new Float64Array(spec.fftSize);
    this.power = new Float64Array(spec.fftSize / 2 + 1);
  }

  get dim(): number {
    return this.spec.numMel;
  }

  /** Frames emitted so far: frame i starts at sample i·frameShift of the stream. */
  get framesEmitted(): number {
    return this.emitted;
  }

  push(samples: Float32Array): FeatureBlock {
    const { frameLength, frameShift, numMel } = this.spec;
    const buf = new Float32Array(this.pending.length + samples.length);
    buf.set(this.pending, 0);
    buf.set(samples, this.pending.length);
    const frames = buf.length < frameLength ? 0 : Math.floor((buf.length - frameLength) / frameShift) + 1;
    const out = new Float32Array(frames * numMel);
    for (let f = 0; f < frames; f++) this.frame(buf, f * frameShift, out, f * numMel);
    this.pending = buf.slice(frames * frameShift);
    this.emitted += frames;
    return { frames, dim: numMel, data: out };
  }

  /** Forget buffered samples, as at the start of a new stream. */
  reset(): void {
    this.pending = new Float32Array(0);
    this.emitted = 0;
  }

  private frame(buf: Float32Array, offset: number, out: Float32Array, outOffset: number): void {
    const { frameLength, numMel, logFloor } = this.spec;
    const { re, im, power, window } = this;
    re.fill(0);
    im.fill(0);
    for (let n = 0; n < frameLength; n++) re[n] = buf[offset + n] * window[n];
    this.fft.transform(re, im);
    for (let k = 0; k < power.length; k++) power[k] = re[k] * re[k] + im[k] * im[k];
    for (let m = 0; m < numMel; m++) {
      const w = this.bank.weights[m];
      const s = this.bank.start[m];
      let e = 0;
      for (let j = 0; j < w.length; j++) e += w[j] * power[s + j];
      out[outOffset + m] = Math.log(Math.max(e, logFloor));
    }
  }
}

/** Whole-signal extraction: a convenience over the streaming extractor, not a second implementation. */
export function extractLogMel(samples: Float32Array, spec: FeatureSpec = FEATURE_SPEC): FeatureBlock {
  return new LogMelExtractor(spec).push(samples);
}
