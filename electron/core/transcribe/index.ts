export { createTranscriber, Pipeline, type PipelineOptions } from './transcriber.js';
export { transcribeFile, type FileTranscript } from './file.js';
export { defaultModel, resolveModelPath, NAMED_MODELS } from './model-paths.js';
export type { Segment, Word, TranscriptUpdate, StreamingTranscriber, TranscriberOptions, ModelChoice, ProviderChoice } from './types.js';
