/**
 * Stored teacher passes: adaptation reuses a teacher pass that it, or the app's high-accuracy
 * pass, already made for the same audio. Plain files; no runtime is loaded here, so the host can
 * forget a deleted recording's passes without loading onnxruntime.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { FEATURE_SPEC } from '../features/spec.js';
import { concatFloat32 } from '../float32-concat.js';
import type { LogProbBlock } from '../inference/acoustic-runner.js';
import { logger } from '../log.js';
import { NUM_CLASSES } from '../symbols.js';
import { readSafetensors, writeSafetensors } from './safetensors.js';

const log = logger('adapt');

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

export function teacherPassDir(): string {
  return join(defaultCacheDir(), 'teacher-pass');
}

/** Teacher passes as small safetensors files under `<cache>/teacher-pass/`. Failures only cost a recomputation. */
export function fileTeacherPassStore(dir = teacherPassDir()): TeacherPassStore {
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

async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export interface TeacherPassRecorder {
  /** Give it every log-prob block of one whole-file teacher pass, in order (PipelineOptions.onLogprobs). */
  readonly tap: (block: LogProbBlock) => void;
  /** Store the pass under the teacher's and the audio file's hashes, where adaptation looks first. Never throws. */
  save(): Promise<void>;
}

/**
 * Keeps the teacher's output of the after-stop high-accuracy pass, so that adapting on that
 * session later reuses it instead of running the teacher again.
 */
export function teacherPassRecorder(teacherPath: string, audioPath: string, store: TeacherPassStore = fileTeacherPassStore()): TeacherPassRecorder {
  const blocks: Float32Array[] = [];
  return {
    tap: (block) => {
      if (block.frames > 0) blocks.push(block.data.slice(0, block.frames * NUM_CLASSES));
    },
    async save() {
      try {
        const key = teacherPassKey(await fileSha256(teacherPath), await fileSha256(audioPath));
        await store.put(key, concatFloat32(blocks));
      } catch (err) {
        log.warn(`could not keep the teacher pass for adaptation (${err instanceof Error ? err.message : String(err)})`);
      }
    },
  };
}

/**
 * Removes every stored teacher pass of this audio file (any teacher): a transcript can be decoded
 * from one, so it must not outlive the recording it was made from. Call it before deleting the file.
 */
export async function forgetTeacherPasses(audioPath: string, dir = teacherPassDir()): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  let audioSha: string;
  try {
    audioSha = await fileSha256(audioPath);
  } catch {
    return 0;
  }
  const mine = names.filter((n) => n.includes(`-${audioSha.slice(0, 24)}-`));
  await Promise.all(mine.map((n) => rm(join(dir, n), { force: true })));
  return mine.length;
}
