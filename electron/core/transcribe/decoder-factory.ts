import { CtcBeamSearch } from '../decode/beam-search.js';
import { GreedyCtcDecoder } from '../decode/greedy.js';
import { loadDecoderParams, type DecoderParams } from '../decode/params.js';
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
  params?: Partial<DecoderParams>;
}

/** Greedy CTC without an LM; otherwise the prefix beam search with the compiled n-gram LM and the tuned params. */
export function createDecoder(choice: DecoderChoice): StreamDecoder {
  if (!choice.lm) return new GreedyCtcDecoder();
  const params = { ...loadDecoderParams(DECODER_PARAMS_PATH), ...choice.params };
  return new CtcBeamSearch(lmAt(choice.lmPath ?? LM_PATH), params);
}
