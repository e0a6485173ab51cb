/**
 * Whole-file acoustic passes through the runtime (onnxruntime), and the store that lets
 * adaptation reuse a teacher pass it (or the app) already made for the same audio.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createRunner, type LoadedModel } from '../inference/index.js';
import type { FeatureBlock } from '../features/logmel.js';
import { FEATURE_SPEC } from '../features/spec.js';
import { logger } from '../log.js';
import { NUM_CLASSES } from '../symbols.js';
import { readSafetensors, writeSafetensors } from './safetensors.js';

const log = logger('adapt');

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

/** Stored teacher passes, keyed by teacher model hash + audio hash + feature spec. */
export interface TeacherPassStore {
  get(key: string): Promise<Float32Array | null>;
  put(key: string, logprobs: Float32Array): Promise<void>;
}

export function teacherPassKey(teacherSha256: string, audioSha256: string): string {
  return `${teacherSha256.slice(0, 24)}-${audioSha256.slice(0, 24)}-f${FEATURE_SPEC.version}`;
}

export function defaultCacheDir(): string {
  return process.env.HUSHSCRIBE_CACHE || join(homedir(), '.hushscribe', 'cache');
}

/** Teacher passes as small safetensors files under `<cache>/teacher-pass/`. Failures only cost a recomputation. */
export function fileTeacherPassStore(dir = join(defaultCacheDir(), 'teacher-pass')): TeacherPassStore {
  const path = (key: string): string => join(dir, `${key}.safetensors`);
  return {
    async get(key) {
      try {
        const t = readSafetensors(await readFile(path(key))).tensors.get('logprobs');
        return t && t.shape[1] === NUM_CLASSES ? t.data : null;
      } catch {
        return null;
      }
    },
    async put(key, logprobs) {
      const tmp = `${path(key)}.${process.pid}.tmp`;
      try {
        await mkdir(dir, { recursive: true });
        await writeFile(tmp, writeSafetensors(new Map([['logprobs', { shape: [logprobs.length / NUM_CLASSES, NUM_CLASSES], data: logprobs }]])));
        await rename(tmp, path(key));
      } catch (err) {
        await rm(tmp, { force: true });
        log.warn(`could not store the teacher pass (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
      }
    },
  };
}
