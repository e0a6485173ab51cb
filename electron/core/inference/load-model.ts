import { readFile } from 'node:fs/promises';
import { ModelError } from '../errors.js';
import type { ProviderChoice } from '../transcribe/types.js';
import { modelInfoFrom, type ModelInfo } from './model-info.js';
import { readOnnxMetadata } from './onnx-metadata.js';
import { openSession, type OpenedSession } from './providers.js';

export interface LoadedModel extends OpenedSession {
  readonly info: ModelInfo;
  /** Non-fatal problems met while loading (e.g. an adaptation profile that was ignored), for the UI/CLI to show. */
  readonly warnings?: readonly string[];
  /** Set when `patch` changed the model, e.g. 'profile:alice'. */
  readonly patchedAs?: string;
}

export interface ModelPatchResult {
  readonly bytes: Uint8Array;
  readonly warnings?: readonly string[];
  /** Names the change when the bytes were changed. */
  readonly label?: string;
}

/** Rewrites the checked model bytes before the session opens (an adaptation profile patches the gate initializers). */
export type ModelPatch = (bytes: Uint8Array, info: ModelInfo) => Promise<ModelPatchResult>;

export interface LoadOptions {
  provider?: ProviderChoice;
  threads?: number;
  patch?: ModelPatch;
}

/** The one model loader: reads the file, checks its declared contract, opens it on a provider. */
export async function loadModel(path: string, opts: LoadOptions = {}): Promise<LoadedModel> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ModelError(path, code === 'ENOENT' ? 'model file not found' : `cannot read model (${code ?? 'error'})`, { cause: err });
  }
  if (bytes.length === 0) throw new ModelError(path, 'model file is empty');
  let meta: Record<string, string>;
  try {
    meta = readOnnxMetadata(bytes);
  } catch (err) {
    throw new ModelError(path, `not a valid ONNX model (${(err as Error).message})`, { cause: err });
  }
  const info = modelInfoFrom(path, meta);
  const patched = opts.patch ? await opts.patch(bytes, info) : null;
  let opened: OpenedSession;
  try {
    opened = await openSession(patched?.bytes ?? bytes, opts.provider ?? 'auto', opts.threads ?? 1);
  } catch (err) {
    if (err instanceof ModelError) throw err;
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new ModelError(path, `onnxruntime cannot load it (${why})`, { cause: err });
  }
  checkIo(info, opened);
  return { ...opened, info, warnings: patched?.warnings ?? [], patchedAs: patched?.label };
}

function checkIo(info: ModelInfo, { session }: OpenedSession): void {
  const have = [...session.inputNames];
  // A non-streaming graph whose model ignores lengths has that input pruned by the exporter.
  const allowed = info.streaming ? [['features', ...info.stateShapes.map((_, i) => `state_${i}`)]] : [['features', 'lengths'], ['features']];
  if (!allowed.some((want) => want.join(',') === have.join(','))) {
    throw new ModelError(info.path, `inputs are [${have.join(', ')}], expected [${allowed[0].join(', ')}]`);
  }
  if (!session.outputNames.includes('logprobs')) throw new ModelError(info.path, "has no 'logprobs' output");
}
