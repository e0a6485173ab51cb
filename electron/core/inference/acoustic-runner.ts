import * as ort from 'onnxruntime-node';
import type { FeatureBlock } from '../features/logmel.js';
import { NUM_CLASSES } from '../symbols.js';
import { FrameBuffer } from './frame-buffer.js';
import type { LoadedModel } from './load-model.js';

/** Log-probabilities over the 29 classes, `frames × 29`, for consecutive 20 ms output frames. */
export interface LogProbBlock {
  readonly frames: number;
  readonly data: Float32Array;
}

/**
 * Features in, log-probs out, for any model the loader accepts. Output frames come in
 * order and without gaps; across push() and finish() they total ceil(inputFrames / 2).
 */
export interface AcousticRunner {
  push(block: FeatureBlock): Promise<LogProbBlock>;
  finish(): Promise<LogProbBlock>;
  reset(): void;
}

const EMPTY: LogProbBlock = { frames: 0, data: new Float32Array(0) };

function concat(blocks: LogProbBlock[]): LogProbBlock {
  const frames = blocks.reduce((n, b) => n + b.frames, 0);
  const data = new Float32Array(frames * NUM_CLASSES);
  let at = 0;
  for (const b of blocks) { data.set(b.data, at); at += b.data.length; }
  return { frames, data };
}

/**
 * Streaming models: chunks of features plus carried state tensors. Look-ahead is an
 * input delay (models/training/hush/nn.py): the first lookahead/2 outputs precede the
 * stream and are dropped, and finish() feeds `lookahead` copies of the last frame,
 * exactly as training padded each utterance.
 */
export class StreamingRunner implements AcousticRunner {
  private readonly pending: FrameBuffer;
  private states: ort.Tensor[] = [];
  private toSkip = 0;
  private fed = 0;
  private lastFed = new Float32Array(0);

  constructor(private readonly model: LoadedModel, private readonly minChunk = 4) {
    this.pending = new FrameBuffer(Number(model.info.metadata.feature_dim ?? 80));
    this.reset();
  }

  reset(): void {
    this.pending.clear();
    this.states = this.model.info.stateShapes.map((shape) => new ort.Tensor('float32', new Float32Array(shape.reduce((a, b) => a * b, 1)), shape));
    this.toSkip = this.model.info.lookaheadFrames / 2;
    this.fed = 0;
  }

  async push(block: FeatureBlock): Promise<LogProbBlock> {
    this.pending.append(block.data);
    const usable = this.pending.frames - (this.pending.frames % 2);
    if (usable < this.minChunk) return EMPTY;
    return this.run(this.pending.take(usable), usable);
  }

  async finish(): Promise<LogProbBlock> {
    if (this.fed === 0 && this.pending.frames === 0) return EMPTY;
    const last = this.pending.frames > 0 ? this.pending.last() : this.lastFed;
    const pad = this.model.info.lookaheadFrames + ((this.pending.frames + this.model.info.lookaheadFrames) % 2);
    for (let i = 0; i < pad; i++) this.pending.append(last);
    const n = this.pending.frames;
    const out = await this.run(this.pending.take(n), n);
    return out;
  }

  private async run(features: Float32Array, frames: number): Promise<LogProbBlock> {
    const dim = features.length / frames;
    this.lastFed = features.slice(features.length - dim);
    this.fed += frames;
    const feeds: Record<string, ort.Tensor> = { features: new ort.Tensor('float32', features, [1, frames, dim]) };
    this.states.forEach((s, i) => { feeds[`state_${i}`] = s; });
    const result = await this.model.session.run(feeds);
    this.states = this.states.map((_, i) => result[`next_state_${i}`]);
    const logp = result.logprobs;
    let data = logp.data as Float32Array;
    let outFrames = logp.dims[1];
    if (this.toSkip > 0) {
      const skip = Math.min(this.toSkip, outFrames);
      this.toSkip -= skip;
      data = data.subarray(skip * NUM_CLASSES);
      outFrames -= skip;
    }
    return { frames: outFrames, data: data.slice() };
  }
}

export interface WindowOptions {
  /** Frames per window (10 ms each); even. */
  window: number;
  /** Frames of context on each side of a window's kept middle; even. */
  overlap: number;
}

/**
 * Files and the high-accuracy pass: 30 s windows. The overlap covers the shipped teacher's
 * receptive field (a change to one frame moves outputs up to 235 frames away; the shipped-model
 * parity test measures it and fails when a new model sees further), so stitching is exact.
 */
export const FILE_WINDOW: Readonly<WindowOptions> = Object.freeze({ window: 3000, overlap: 240 });

/**
 * Live capture with a non-streaming model (the teacher while no student exists): new text every
 * 1.2 s instead of every 27.6 s, for 5x the acoustic compute (the teacher's RTF 0.003 becomes about
 * 0.015 on one thread). Text still lags speech by the 2.4 s of right context that exact stitching
 * needs; only a streaming model (the student) can meet the 0.5 s partial-latency target.
 */
export const LIVE_WINDOW: Readonly<WindowOptions> = Object.freeze({ window: 600, overlap: 240 });

/**
 * Non-streaming models over long audio: overlapping windows whose middles are kept.
 * Stitching happens on the 20 ms log-prob grid before decoding, so a word that
 * straddles a boundary is decoded once, from frames that each had `overlap` of context.
 */
export class WindowedRunner implements AcousticRunner {
  private readonly buffer: FrameBuffer;
  /** Feature frame index (in the stream) of buffer frame 0. */
  private bufferStart = 0;
  /** Feature frames already emitted as log-probs. */
  private emitted = 0;

  constructor(private readonly model: LoadedModel, private readonly opts: WindowOptions = FILE_WINDOW) {
    if (opts.window % 2 || opts.overlap % 2 || opts.window <= 2 * opts.overlap) throw new RangeError('window and overlap must be even, with window > 2·overlap');
    this.buffer = new FrameBuffer(Number(model.info.metadata.feature_dim ?? 80), opts.window * 2);
  }

  reset(): void {
    this.buffer.clear();
    this.bufferStart = 0;
    this.emitted = 0;
  }

  async push(block: FeatureBlock): Promise<LogProbBlock> {
    this.buffer.append(block.data);
    const out: LogProbBlock[] = [];
    while (this.buffer.frames >= this.opts.window) {
      const keepTo = this.bufferStart + this.opts.window - this.opts.overlap;
      out.push(await this.runWindow(this.opts.window, keepTo));
      const next = keepTo - this.opts.overlap;
      this.buffer.drop(next - this.bufferStart);
      this.bufferStart = next;
    }
    return out.length === 1 ? out[0] : concat(out);
  }

  async finish(): Promise<LogProbBlock> {
    const total = this.bufferStart + this.buffer.frames;
    if (total <= this.emitted) return EMPTY;
    // Non-streaming graphs take even lengths; replicate the last frame as training padding does.
    if (this.buffer.frames % 2) this.buffer.append(this.buffer.last());
    const out = await this.runWindow(this.buffer.frames, total);
    this.buffer.clear();
    return out;
  }

  /** Run on the first `frames` buffered frames; keep outputs for stream frames [emitted, keepTo). */
  private async runWindow(frames: number, keepTo: number): Promise<LogProbBlock> {
    const dim = this.buffer.dim;
    const features = this.buffer.peek(0, frames);
    const feeds: Record<string, ort.Tensor> = { features: new ort.Tensor('float32', features, [1, frames, dim]) };
    if (this.model.session.inputNames.includes('lengths')) feeds.lengths = new ort.Tensor('int64', BigInt64Array.from([BigInt(frames)]), [1]);
    const result = await this.model.session.run(feeds);
    const logp = result.logprobs.data as Float32Array;
    const from = (this.emitted - this.bufferStart) / 2;
    const to = Math.ceil((keepTo - this.bufferStart) / 2);
    this.emitted = keepTo;
    return { frames: to - from, data: logp.slice(from * NUM_CLASSES, to * NUM_CLASSES) };
  }
}

export function createRunner(model: LoadedModel, window?: WindowOptions): AcousticRunner {
  return model.info.streaming ? new StreamingRunner(model) : new WindowedRunner(model, window);
}
