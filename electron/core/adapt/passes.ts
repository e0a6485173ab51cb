/** Whole-file acoustic passes through the runtime (onnxruntime). */
import { createRunner, type LoadedModel } from '../inference/index.js';
import type { FeatureBlock } from '../features/logmel.js';
import { NUM_CLASSES } from '../symbols.js';

/** Log-probs (ceil(frames/2) × 29) of a model over a whole feature sequence, as the live path would give them. */
export async function runWhole(model: LoadedModel, features: FeatureBlock): Promise<Float32Array> {
  const runner = createRunner(model);
  const parts = [await runner.push(features), await runner.finish()];
  const out = new Float32Array(parts.reduce((n, p) => n + p.frames * NUM_CLASSES, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p.data.subarray(0, p.frames * NUM_CLASSES), at);
    at += p.frames * NUM_CLASSES;
  }
  return out;
}
