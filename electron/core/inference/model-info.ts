import { ModelError } from '../errors.js';
import { FEATURE_SPEC } from '../features/spec.js';
import { SYMBOLS } from '../symbols.js';

/** What a model declares about itself, checked against the runtime's contract. */
export interface ModelInfo {
  readonly path: string;
  readonly version: string;
  readonly streaming: boolean;
  /** Output frames per input feature frame is 1/subsampling. */
  readonly subsampling: number;
  /** Input delay in feature frames (10 ms each) that gives a streaming model its look-ahead. */
  readonly lookaheadFrames: number;
  readonly stateShapes: readonly (readonly number[])[];
  readonly metadata: Readonly<Record<string, string>>;
}

function require(meta: Record<string, string>, key: string, path: string): string {
  const v = meta[key];
  if (v === undefined) throw new ModelError(path, `missing metadata '${key}': not a Hushscribe model`);
  return v;
}

/** Validate declared metadata; refuses anything the runtime cannot feed or decode, naming the file. */
export function modelInfoFrom(path: string, meta: Record<string, string>): ModelInfo {
  const symbols = require(meta, 'symbols', path);
  if (symbols !== SYMBOLS) throw new ModelError(path, `declares symbols ${JSON.stringify(symbols)}, expected ${JSON.stringify(SYMBOLS)}`);
  const spec = Number(require(meta, 'feature_spec_version', path));
  if (spec !== FEATURE_SPEC.version) throw new ModelError(path, `needs feature spec version ${spec}, this runtime has ${FEATURE_SPEC.version}`);
  const shift = Number(require(meta, 'frame_shift_ms', path));
  if (shift !== (1000 * FEATURE_SPEC.frameShift) / FEATURE_SPEC.sampleRate) throw new ModelError(path, `declares a ${shift} ms frame shift, features are 10 ms`);
  const subsampling = Number(require(meta, 'subsampling', path));
  if (subsampling !== 2) throw new ModelError(path, `declares subsampling ${subsampling}; models must emit every 20 ms (subsampling 2)`);
  const lookaheadMs = Number(meta.lookahead_ms ?? '0');
  const lookaheadFrames = Math.round(lookaheadMs / shift);
  if (!Number.isInteger(lookaheadMs) || lookaheadFrames % subsampling !== 0) throw new ModelError(path, `bad lookahead_ms ${meta.lookahead_ms}`);
  const streaming = require(meta, 'streaming', path) === 'true';
  let stateShapes: number[][] = [];
  if (streaming) {
    try {
      stateShapes = JSON.parse(require(meta, 'state_shapes', path)) as number[][];
    } catch (err) {
      if (err instanceof ModelError) throw err;
      throw new ModelError(path, 'state_shapes metadata is not JSON');
    }
  }
  return { path, version: require(meta, 'model_version', path), streaming, subsampling, lookaheadFrames, stateShapes, metadata: meta };
}
