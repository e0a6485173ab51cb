import { readFileSync } from 'node:fs';
import { fromRoot } from '../app-root.js';

/** The constants of models/FEATURES.md, read from the one JSON file that the Python twin reads too. */
export interface FeatureSpec {
  readonly version: number;
  readonly sampleRate: number;
  readonly frameLength: number;
  readonly frameShift: number;
  readonly fftSize: number;
  readonly numMel: number;
  readonly melLowHz: number;
  readonly melHighHz: number;
  readonly logFloor: number;
}

const specPath = fromRoot('models', 'features.json');

export const FEATURE_SPEC: FeatureSpec = Object.freeze(JSON.parse(readFileSync(specPath, 'utf8')) as FeatureSpec);

/** Number of complete frames in `samples` samples ("snip edges"). */
export function frameCount(samples: number, spec: FeatureSpec = FEATURE_SPEC): number {
  if (samples < spec.frameLength) return 0;
  return Math.floor((samples - spec.frameLength) / spec.frameShift) + 1;
}
