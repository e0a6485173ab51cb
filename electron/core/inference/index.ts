export { loadModel, type LoadedModel, type LoadOptions, type ModelPatch, type ModelPatchResult } from './load-model.js';
export { createRunner, FILE_WINDOW, LIVE_WINDOW, StreamingRunner, WindowedRunner, type AcousticRunner, type LogProbBlock, type WindowOptions } from './acoustic-runner.js';
export { type ModelInfo } from './model-info.js';
export { PROVIDER_CHOICES, parseProvider, gpuCandidates } from './providers.js';
