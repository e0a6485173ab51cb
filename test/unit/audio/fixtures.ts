/** Shared by the audio tests: the generated fixtures, the speech corpora, and signal comparisons. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const SHARED = process.env.HUSHSCRIBE_SHARED ?? path.resolve(root, '../shared');
export const FIXTURES = path.join(root, 'test/fixtures/generated/audio');
export const ARCTIC = path.join(SHARED, 'data/corpora/arctic_native');

/** Builds the fixtures from real speech if they are missing (fast no-op once built). */
export function ensureAudioFixtures(): void {
  execFileSync('bash', [path.join(root, 'test/fixtures/make-audio-fixtures.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
}

export function fixture(name: string): string {
  return path.join(FIXTURES, name);
}

/** The reference fixtures are 7.5 s of speech: 120 000 samples at 16 kHz. */
export const REF_SAMPLES = 120_000;

export interface ManifestRow {
  id: string;
  audio: string;
  durationS: number;
}

export function readManifest(tsv: string): ManifestRow[] {
  const [header, ...lines] = fs.readFileSync(tsv, 'utf8').trim().split('\n');
  const cols = header.split('\t');
  const [id, audio, dur] = ['id', 'audio', 'duration_s'].map((c) => cols.indexOf(c));
  return lines.map((line) => {
    const f = line.split('\t');
    return { id: f[id], audio: path.resolve(path.dirname(tsv), f[audio]), durationS: Number(f[dur]) };
  });
}

/**
 * Normalised correlation of `b` against `a` at the lag (|lag| <= maxLag) where it peaks, over the
 * samples both cover: 1 means the same waveform up to gain.
 */
export function alignedCorrelation(a: Float32Array, b: Float32Array, maxLag = 32): { correlation: number; lag: number } {
  let best = { correlation: -Infinity, lag: 0 };
  const n = Math.min(a.length, b.length);
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    let ab = 0;
    let aa = 0;
    let bb = 0;
    for (let i = Math.max(0, -lag); i < n && i + lag < n; i++) {
      const x = a[i];
      const y = b[i + lag];
      ab += x * y;
      aa += x * x;
      bb += y * y;
    }
    const correlation = ab / Math.sqrt(aa * bb);
    if (correlation > best.correlation) best = { correlation, lag };
  }
  return best;
}

export function rms(x: Float32Array, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i] * x[i];
  return Math.sqrt(s / Math.max(1, to - from));
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = a.length === b.length ? 0 : Infinity;
  for (let i = 0; i < Math.min(a.length, b.length); i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

export { concatFloat32 as concat } from '../../../electron/core/float32-concat.js';

export async function collect(chunks: AsyncIterable<Float32Array>): Promise<Float32Array[]> {
  const all: Float32Array[] = [];
  for await (const c of chunks) all.push(c);
  return all;
}
