/**
 * Applying a profile = an adapted model in memory: the base ONNX bytes with the gate
 * initializers overwritten by the profile's values, then opened as usual. A profile that
 * is missing, corrupt, or made for another model (version, SHA-256 or shapes differ) is
 * ignored with a warning, and the base model is used: transcription never fails because
 * of a profile.
 */
import { createHash } from 'node:crypto';
import { HushError } from '../errors.js';
import type { ModelPatch, ModelPatchResult } from '../inference/load-model.js';
import type { ModelInfo } from '../inference/model-info.js';
import { logger } from '../log.js';
import { GATE_PARAMS } from './gates.js';
import { elementCount, findInitializers, initializerFor, patchInitializers, type InitializerRef } from './onnx-initializers.js';
import { readProfile, type Profile } from './profile-store.js';

const log = logger('profiles');

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Where each gate lives in the model; throws an Error saying which is missing or mis-shaped. */
export function gateInitializers(modelBytes: Uint8Array, expected?: Profile): Map<string, InitializerRef> {
  const inits = findInitializers(modelBytes);
  const out = new Map<string, InitializerRef>();
  for (const name of GATE_PARAMS) {
    const ref = initializerFor(inits, name);
    if (!ref) throw new Error(`the model has no '${name}' initializer (not a gated HDNN student)`);
    const want = expected?.gates.get(name);
    if (want) {
      const same = want.data.length === elementCount(ref) && want.shape.filter((n) => n !== 1).join(',') === ref.dims.filter((n) => n !== 1).join(',');
      if (!same) throw new Error(`'${name}' is [${want.shape.join(', ')}] in the profile but [${ref.dims.join(', ')}] in the model`);
    }
    out.set(name, ref);
  }
  return out;
}

/** The model bytes with the profile's gates, or an Error saying why this profile does not fit this model. */
export function patchWithProfile(modelBytes: Uint8Array, info: Pick<ModelInfo, 'version'>, profile: Profile): Uint8Array {
  const { meta } = profile;
  if (meta.baseModelVersion !== info.version) throw new Error(`it was made for model ${meta.baseModelVersion}, this model is ${info.version}`);
  if (meta.baseModelSha256 !== sha256Hex(modelBytes)) throw new Error(`it was made for a different build of ${meta.baseModelVersion} (SHA-256 differs)`);
  const refs = gateInitializers(modelBytes, profile);
  const values = new Map<InitializerRef, Float32Array>();
  for (const [name, ref] of refs) values.set(ref, profile.gates.get(name as (typeof GATE_PARAMS)[number])!.data);
  return patchInitializers(modelBytes, values);
}

export interface ProfileApplication extends ModelPatchResult {
  /** The profile in use, or null when it was ignored. */
  readonly profile: Profile | null;
}

/** Apply profile `ref` (name or path) to model bytes; never throws for a bad profile, returns a warning instead. */
export async function applyProfile(modelBytes: Uint8Array, info: Pick<ModelInfo, 'version' | 'path'>, ref: string, dir?: string): Promise<ProfileApplication> {
  let profile: Profile;
  try {
    profile = await readProfile(ref, dir);
  } catch (err) {
    const why = err instanceof HushError ? err.userMessage : String(err);
    const warning = `profile '${ref}' ignored: ${why}; using the base model`;
    log.warn(warning);
    return { bytes: modelBytes, warnings: [warning], profile: null };
  }
  try {
    const bytes = patchWithProfile(modelBytes, info, profile);
    log.info(`profile '${profile.meta.name}' applied to ${info.path}`);
    return { bytes, warnings: [], label: `profile:${profile.meta.name}`, profile };
  } catch (err) {
    const warning = `profile '${ref}' ignored: ${err instanceof Error ? err.message : String(err)}; using the base model`;
    log.warn(warning);
    return { bytes: modelBytes, warnings: [warning], profile: null };
  }
}

/** The loadModel() hook that applies a profile by name or path. */
export function profilePatch(ref: string, dir?: string): ModelPatch {
  return (bytes, info) => applyProfile(bytes, info, ref, dir);
}
