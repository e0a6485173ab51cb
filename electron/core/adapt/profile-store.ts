/**
 * Adaptation profiles on disk: `<profiles dir>/<name>.profile.safetensors`, holding the
 * four gate tensors and nothing else of the model, with metadata (base model version and
 * SHA-256, sources, date, measured gain). The profiles dir is ~/.hushscribe/profiles, or
 * $HUSHSCRIBE_PROFILES. Saving writes a temp file in the same dir and renames it, so a
 * crash or cancel never leaves a partial profile under a profile's name.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { HushError } from '../errors.js';
import { logger } from '../log.js';
import { ProfileError } from './errors.js';
import { GATE_PARAMS, type GateParam, type GateValues } from './gates.js';
import { readSafetensors, writeSafetensors, type F32Tensor } from './safetensors.js';

const log = logger('profiles');

export const PROFILE_KIND = 'hushscribe-adaptation-profile';
export const PROFILE_FORMAT = '1';
export const PROFILE_SUFFIX = '.profile.safetensors';

export interface ProfileSource {
  id: string;
  audio: string;
  seconds: number;
}

/** What adaptation measured on the held-out audio (WER of the student against the teacher's transcript). */
export interface ProfileGain {
  werBefore: number;
  werAfter: number;
  holdoutWords: number;
  holdoutSeconds: number;
  trainSeconds: number;
  speechSeconds: number;
  /** Train/held-out splits the WERs are pooled over (absent or 1: one share held out). */
  splits?: number;
  /** The WERs on the teacher's words it is sure of (absent in profiles made before 2026-11-29). */
  sure?: WerCheck;
  /** Which check kept the profile: the sure words, or all words when too few were sure. */
  judgedOn?: KeepCheck;
}

/** Which held-out WER decides whether a profile is kept. */
export type KeepCheck = 'sure' | 'all';

/** A before/after WER pair over a counted number of reference words. */
export interface WerCheck {
  werBefore: number;
  werAfter: number;
  words: number;
}

export interface ProfileMeta {
  name: string;
  baseModelVersion: string;
  baseModelSha256: string;
  createdAt: string;
  sources: ProfileSource[];
  gain: ProfileGain;
}

export interface Profile {
  readonly meta: ProfileMeta;
  readonly gates: GateValues;
  readonly path: string;
}

export function profilesDir(): string {
  return process.env.HUSHSCRIBE_PROFILES || join(homedir(), '.hushscribe', 'profiles');
}

// People name profiles "Board room" or "Zoë": any letters, digits and inner spaces. The name is
// also the file-name stem, so no separators, and no trailing space or dot (Windows drops them).
const NAME = /^[\p{L}\p{N}](?:[\p{L}\p{N} ._-]{0,62}[\p{L}\p{N}_-])?$/u;

/** A profile name is a file-name stem: 1-64 letters, digits, spaces, '.', '_' and '-', starting with a letter or digit. */
export function checkProfileName(name: string): string {
  if (!NAME.test(name) || name.endsWith(PROFILE_SUFFIX)) {
    throw new HushError('usage', `profile name '${name}' must be 1-64 letters, digits, spaces, '.', '_' or '-', starting with a letter or digit and not ending in a space or '.'`);
  }
  return name;
}

/** A name resolves inside the profiles dir; anything with a slash or the profile suffix is taken as a path. */
export function profilePath(ref: string, dir = profilesDir()): string {
  if (ref.includes('/') || ref.includes('\\') || ref.endsWith(PROFILE_SUFFIX)) return ref;
  return join(dir, `${checkProfileName(ref)}${PROFILE_SUFFIX}`);
}

export function encodeProfile(meta: ProfileMeta, gates: GateValues): Uint8Array {
  const tensors = new Map<string, F32Tensor>();
  for (const name of GATE_PARAMS) {
    const t = gates.get(name);
    if (!t) throw new Error(`gate '${name}' missing`);
    tensors.set(name, t);
  }
  return writeSafetensors(tensors, {
    kind: PROFILE_KIND,
    format: PROFILE_FORMAT,
    name: meta.name,
    base_model_version: meta.baseModelVersion,
    base_model_sha256: meta.baseModelSha256,
    created_at: meta.createdAt,
    sources: JSON.stringify(meta.sources),
    gain: JSON.stringify(meta.gain),
  });
}

function parseJson<T>(text: string | undefined, what: string): T {
  if (text === undefined) throw new Error(`no '${what}' in its metadata`);
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`'${what}' in its metadata is not JSON`);
  }
}

/** The parts of the measured gain that reach the UI as they are must have their shape. */
function checkGain(gain: ProfileGain): ProfileGain {
  const { sure } = gain;
  const fine = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v >= 0;
  if (sure !== undefined && !(sure && fine(sure.werBefore) && fine(sure.werAfter) && fine(sure.words) && Number.isInteger(sure.words))) throw new Error("'gain.sure' in its metadata is malformed");
  return gain;
}

/** Parse and check a profile file's bytes; throws ProfileError naming `where` on anything wrong. */
export function decodeProfile(bytes: Uint8Array, where: string): Profile {
  try {
    const st = readSafetensors(bytes);
    const m = st.metadata;
    if (m.kind !== PROFILE_KIND) throw new Error('not a Hushscribe adaptation profile');
    if (m.format !== PROFILE_FORMAT) throw new Error(`profile format ${m.format ?? '?'} is not supported (this app reads ${PROFILE_FORMAT})`);
    if (!m.name || !m.base_model_version || !/^[0-9a-f]{64}$/.test(m.base_model_sha256 ?? '')) throw new Error('metadata lacks name, base model version or hash');
    const extra = [...st.tensors.keys()].filter((k) => !(GATE_PARAMS as readonly string[]).includes(k));
    if (extra.length) throw new Error(`holds more than the gates (${extra[0]})`);
    const gates = new Map<GateParam, F32Tensor>();
    for (const name of GATE_PARAMS) {
      const t = st.tensors.get(name);
      if (!t) throw new Error(`gate '${name}' is missing`);
      if (!t.data.every(Number.isFinite)) throw new Error(`gate '${name}' holds non-finite values`);
      gates.set(name, t);
    }
    const meta: ProfileMeta = {
      name: m.name,
      baseModelVersion: m.base_model_version,
      baseModelSha256: m.base_model_sha256,
      createdAt: m.created_at ?? '',
      sources: parseJson<ProfileSource[]>(m.sources, 'sources'),
      gain: checkGain(parseJson<ProfileGain>(m.gain, 'gain')),
    };
    return { meta, gates, path: where };
  } catch (err) {
    throw new ProfileError(where, `corrupt profile (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
}

/** Read a profile by name (in the profiles dir) or path. */
export async function readProfile(ref: string, dir = profilesDir()): Promise<Profile> {
  const path = profilePath(ref, dir);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ProfileError(path, code === 'ENOENT' ? 'no such profile' : `cannot read profile (${code ?? 'error'})`, { cause: err });
  }
  return decodeProfile(bytes, path);
}

/** Save atomically (temp file + rename in the same dir); returns the path. */
export async function saveProfile(meta: ProfileMeta, gates: GateValues, dir = profilesDir()): Promise<string> {
  checkProfileName(meta.name);
  await mkdir(dir, { recursive: true });
  const path = profilePath(meta.name, dir);
  const tmp = join(dir, `.${meta.name}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, encodeProfile(meta, gates), { flag: 'wx' });
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw new ProfileError(path, `cannot save profile (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { cause: err });
  }
  return path;
}

/** Every readable profile in the dir (for a UI list); unreadable files are logged and skipped. */
export async function listProfiles(dir = profilesDir()): Promise<ProfileMeta[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const out: ProfileMeta[] = [];
  for (const file of names.filter((n) => n.endsWith(PROFILE_SUFFIX) && !n.startsWith('.')).sort()) {
    try {
      out.push((await readProfile(join(dir, file), dir)).meta);
    } catch (err) {
      log.warn(`skipping ${basename(file)}: ${err instanceof HushError ? err.userMessage : String(err)}`);
    }
  }
  return out;
}

export async function deleteProfile(name: string, dir = profilesDir()): Promise<void> {
  await rm(profilePath(checkProfileName(name), dir), { force: true });
}
