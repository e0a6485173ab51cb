import { LogMelExtractor } from '../features/logmel.js';
import { profilePatch } from '../adapt/apply.js';
import { createRunner, loadModel, type AcousticRunner, type LoadedModel, type LogProbBlock, type WindowOptions } from '../inference/index.js';
import type { DecoderParams } from '../decode/params.js';
import { NUM_CLASSES } from '../symbols.js';
import { createDecoder, type StreamDecoder } from './decoder-factory.js';
import { Endpointer } from './endpointer.js';
import { defaultModel, resolveModelPath } from './model-paths.js';
import type { Segment, StreamingTranscriber, TranscriberOptions, TranscriptUpdate, Word } from './types.js';

export interface PipelineOptions extends TranscriberOptions {
  /** Window for non-streaming models (tests use small ones to cross many boundaries). */
  window?: WindowOptions;
  /** Pause that ends a segment, in 20 ms frames (default 30 = 0.6 s). */
  pauseFrames?: number;
  /** Overrides of the tuned decoder params (LM weight sweeps). */
  decoder?: Partial<DecoderParams>;
  /** Sees each block of acoustic log-probs, in order: the high-accuracy pass keeps the teacher's for adaptation to reuse. */
  onLogprobs?: (block: LogProbBlock) => void;
}

function segmentOf(words: Word[]): Segment | null {
  if (words.length === 0) return null;
  return { start: words[0].start, end: words[words.length - 1].end, text: words.map((w) => w.text).join(' '), words };
}

/**
 * Features → acoustic model → decoder, segmented at pauses. Each segment restarts the
 * decoder (LM context and beam) at the stream frame where it begins, so word times
 * stay absolute.
 */
export class Pipeline implements StreamingTranscriber {
  private readonly extractor = new LogMelExtractor();
  private readonly endpointer: Endpointer;
  private framesSeen = 0;

  private constructor(
    private readonly model: LoadedModel,
    private readonly runner: AcousticRunner,
    private readonly decoder: StreamDecoder,
    readonly modelName: string,
    pauseFrames: number,
    private readonly tap?: (block: LogProbBlock) => void,
  ) {
    this.endpointer = new Endpointer(pauseFrames);
  }

  static async create(opts: PipelineOptions = {}): Promise<Pipeline> {
    const choice = opts.model ?? defaultModel();
    const patch = opts.profile ? profilePatch(opts.profile) : undefined;
    const modelPath = resolveModelPath(choice);
    const model = await loadModel(modelPath, { provider: opts.provider ?? 'auto', threads: opts.threads ?? 1, patch });
    const decoder = createDecoder({ lm: opts.lm ?? true, modelPath, params: opts.decoder });
    const name = `${choice}:${model.info.version}${model.patchedAs ? `+${model.patchedAs}` : ''}`;
    return new Pipeline(model, createRunner(model, opts.window), decoder, name, opts.pauseFrames ?? 30, opts.onLogprobs);
  }

  get provider(): string {
    return this.model.provider;
  }

  /** Non-fatal load problems to show (e.g. an adaptation profile that was ignored). */
  get warnings(): readonly string[] {
    return this.model.warnings ?? [];
  }

  async push(samples: Float32Array): Promise<TranscriptUpdate> {
    const logprobs = await this.runner.push(this.extractor.push(samples));
    this.tap?.(logprobs);
    return this.consume(logprobs, false);
  }

  async finish(): Promise<TranscriptUpdate> {
    const logprobs = await this.runner.finish();
    this.tap?.(logprobs);
    const update = this.consume(logprobs, true);
    this.extractor.reset();
    this.runner.reset();
    this.endpointer.reset();
    this.framesSeen = 0;
    this.decoder.reset(0);
    return update;
  }

  async dispose(): Promise<void> {
    await this.model.session.release();
  }

  private consume(block: LogProbBlock, final: boolean): TranscriptUpdate {
    const finals: Segment[] = [];
    let data = block.data;
    let frames = block.frames;
    while (frames > 0) {
      const cut = this.endpointer.feed(data, frames);
      const take = cut < 0 ? frames : cut + 1;
      this.decoder.push(data.subarray(0, take * NUM_CLASSES), take);
      this.framesSeen += take;
      data = data.subarray(take * NUM_CLASSES);
      frames -= take;
      if (cut >= 0) this.closeSegment(finals);
    }
    if (final) this.closeSegment(finals);
    const partial = final ? null : segmentOf(this.decoder.partial());
    return { finals, partial };
  }

  private closeSegment(into: Segment[]): void {
    const seg = segmentOf(this.decoder.finalize());
    if (seg) into.push(seg);
    this.decoder.reset(this.framesSeen);
  }
}

export function createTranscriber(opts: PipelineOptions = {}): Promise<StreamingTranscriber> {
  return Pipeline.create(opts);
}
