import { CtcBeamSearch } from '../decode/beam-search.js';
import { GreedyCtcDecoder } from '../decode/greedy.js';
import { existsSync } from 'node:fs';
import { decoderParamsPathFor, loadDecoderParams, type DecoderParams } from '../decode/params.js';
import type { StreamingCtcDecoder } from '../decode/streaming.js';
import { loadLm } from '../lm/load.js';
import type { NgramLm } from '../lm/ngram-lm.js';
import { DECODER_PARAMS_PATH, LM_PATH } from './model-paths.js';

export type StreamDecoder = StreamingCtcDecoder;

// One LM in memory per process however many transcribers run (live channels, batch imports).
const lms = new Map<string, NgramLm>();

function lmAt(path: string): NgramLm {
  let lm = lms.get(path);
  if (!lm) {
    lm = loadLm(path);
    lms.set(path, lm);
  }
  return lm;
}

export interface DecoderChoice {
  lm: boolean;
  lmPath?: string;
  /** The acoustic model's file: its `<name>.decoder.json`, where there is one, holds its own tuning. */
  modelPath?: string;
  params?: Partial<DecoderParams>;
}

/** Where a model's decoder settings come from: its own tuning file, else the global defaults. */
export function decoderParamsSource(modelPath?: string): string {
  const own = modelPath ? decoderParamsPathFor(modelPath) : undefined;
  return own && existsSync(own) ? own : DECODER_PARAMS_PATH;
}

/**
 * Greedy CTC without an LM; otherwise the prefix beam search with the compiled n-gram LM and the
 * params tuned for this model (its sidecar over the global file), then any explicit overrides.
 */
export function createDecoder(choice: DecoderChoice): StreamDecoder {
  if (!choice.lm) return new GreedyCtcDecoder();
  const params = { ...loadDecoderParams(decoderParamsSource(choice.modelPath)), ...choice.params };
  return new CtcBeamSearch(lmAt(choice.lmPath ?? LM_PATH), params);
}
