/** What every door (CLI, app, server) gets back from transcription. Times are seconds from the start of the audio. */
export interface Word {
  text: string;
  start: number;
  end: number;
  /** 0..1, from the acoustic posteriors along the word's frames. */
  confidence: number;
}

export interface Segment {
  start: number;
  end: number;
  text: string;
  words: Word[];
}

export interface TranscriptUpdate {
  /** Segments that just became final (ended at a pause); they never change again in this pass. */
  finals: Segment[];
  /** The current unfinished segment, or null when nothing is pending. */
  partial: Segment | null;
}

export type ModelChoice = 'student' | 'teacher' | 'fixture' | (string & {});
export type ProviderChoice = 'auto' | 'cpu' | 'cuda' | 'dml' | 'coreml' | 'webgpu';

export interface TranscriberOptions {
  model?: ModelChoice;
  /** Use the compiled n-gram LM in a prefix beam search (default true); false gives greedy CTC. */
  lm?: boolean;
  provider?: ProviderChoice;
  /** Threads for onnxruntime's intra-op pool (default 1: live transcription must leave cores for capture and UI). */
  threads?: number;
  /** Adaptation profile name or path applied at load (issue 5). */
  profile?: string;
}

/**
 * A live transcriber over 16 kHz mono float samples pushed in any chunk sizes.
 * It keeps features, model state and decoder state between calls.
 */
export interface StreamingTranscriber {
  /** The execution provider actually in use, e.g. "cpu" or "cuda". */
  readonly provider: string;
  readonly modelName: string;
  /** Non-fatal problems met while loading, e.g. an adaptation profile that was ignored (the base model runs). */
  readonly warnings?: readonly string[];
  push(samples: Float32Array): Promise<TranscriptUpdate>;
  /** End of stream: finalise whatever is pending. */
  finish(): Promise<TranscriptUpdate>;
  dispose(): Promise<void>;
}
