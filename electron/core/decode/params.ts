import { readFileSync } from 'node:fs';
import { ModelError } from '../errors.js';
import defaults from '../../../models/lm/decoder-params.json' with { type: 'json' };

/** Beam-search settings. Log-probabilities and scores are natural logs. */
export interface DecoderParams {
  /** Hypotheses kept after each frame. */
  beam: number;
  /** α: weight of ln P_LM(word | history), added when a word ends (shallow fusion). */
  lmWeight: number;
  /** β: added per word; balances the LM's pull towards fewer, longer words. */
  wordBonus: number;
  /** ln P used (times α) for a word outside the LM vocabulary; null takes the LM's own estimate. */
  unkLogProb: number | null;
  /** A symbol is tried at a frame only if its log-prob is within this of the frame's best. */
  tokenPrune: number;
  /** …and at least this (absolute floor), so near-flat frames do not fan out. */
  tokenMinLogProb: number;
  /** At most this many symbols (the likeliest) are tried per frame: bounds the cost of flat, noisy frames. */
  tokensPerFrame: number;
  /** Frames whose blank log-prob is at least this (blank ≈ 1) extend no hypothesis. */
  blankSkipLogProb: number;
  /** Hypotheses scoring below the best minus this are dropped even when the beam has room. */
  beamPrune: number;
}

const KEYS: (keyof DecoderParams)[] = ['beam', 'lmWeight', 'wordBonus', 'unkLogProb', 'tokenPrune', 'tokenMinLogProb', 'tokensPerFrame', 'blankSkipLogProb', 'beamPrune'];

/**
 * Checks a parsed JSON object and returns complete params, missing fields taken from `base`.
 * Throws ModelError naming `where` for a wrong type or range, so a bad tuning file is caught
 * at load rather than as odd transcripts.
 */
export function parseDecoderParams(raw: unknown, where: string, base?: DecoderParams): DecoderParams {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ModelError(where, 'decoder parameters must be a JSON object');
  const obj = raw as Record<string, unknown>;
  const out = { ...(base ?? {}) } as Record<string, number | null>;
  for (const key of KEYS) {
    const value = obj[key];
    if (value === undefined) {
      if (!base) throw new ModelError(where, `decoder parameter "${key}" is missing`);
      continue;
    }
    if (key === 'unkLogProb' && value === null) {
      out[key] = null;
      continue;
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new ModelError(where, `decoder parameter "${key}" must be a number`);
    out[key] = value;
  }
  const p = out as unknown as DecoderParams;
  for (const key of ['beam', 'tokensPerFrame'] as const) {
    if (!Number.isInteger(p[key]) || p[key] < 1) throw new ModelError(where, `decoder parameter "${key}" must be a whole number ≥ 1`);
  }
  if (p.tokenPrune < 0 || p.beamPrune < 0) throw new ModelError(where, 'decoder parameters "tokenPrune" and "beamPrune" must be ≥ 0');
  if (p.blankSkipLogProb > 0) throw new ModelError(where, 'decoder parameter "blankSkipLogProb" must be ≤ 0');
  return p;
}

/** The defaults, from models/lm/decoder-params.json (checked once, at import). */
export const DEFAULT_DECODER_PARAMS: Readonly<DecoderParams> = Object.freeze(parseDecoderParams(defaults, 'models/lm/decoder-params.json'));

/**
 * A model's own tuning sits beside it: `teacher.onnx` → `teacher.decoder.json`. α and β depend on
 * how peaked and how accurate the acoustic model is, so a setting tuned for one model is only a
 * guess for the next (the student will not be as sure of itself as the teacher).
 */
export function decoderParamsPathFor(modelPath: string): string {
  return `${modelPath.replace(/\.onnx$/i, '')}.decoder.json`;
}

/** Params from a tuning file (e.g. written after a dev-set sweep); fields it lacks keep the defaults. */
export function loadDecoderParams(path: string): DecoderParams {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ModelError(path, 'decoder parameters cannot be read as JSON', { cause: err });
  }
  return parseDecoderParams(raw, path, DEFAULT_DECODER_PARAMS);
}
