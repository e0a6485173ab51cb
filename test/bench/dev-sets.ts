/**
 * The dev sets: every `dev.tsv` under ../shared/data/corpora, plus the 5 LibriVox clips of
 * Debian's pocketsphinx-testdata as one more native set. Each set is turned into a temporary
 * manifest with absolute audio paths (the form `hushscribe eval` reads), after dropping
 * untranscribed rows and applying --limit, so every system sees exactly the same utterances.
 */
import { existsSync, readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { probeAudio } from '../../electron/core/audio/index.js';
import { readManifest, type ManifestRow } from '../../electron/core/eval/manifest.js';
import { CORPORA, LIBRIVOX_DIR, LIBRIVOX_SET } from './paths.js';
import { normaliseText } from './text-norm.js';

export interface DevSet {
  name: string;
  /** Where it came from, for the report. */
  source: string;
  rows: ManifestRow[];
  /** Rows in the source before --limit (transcribed ones only). */
  available: number;
  /** Temporary manifest of `rows` with absolute paths. */
  manifest: string;
}

/** Names of the sets that exist on this machine, in report order. */
export function availableSets(): string[] {
  const corpora = existsSync(CORPORA) ? readdirSync(CORPORA).filter((d) => existsSync(join(CORPORA, d, 'dev.tsv'))).sort() : [];
  return existsSync(join(LIBRIVOX_DIR, 'transcription')) ? [...corpora, LIBRIVOX_SET] : corpora;
}

/**
 * LibriVox references: `<s> text </s> (id)` per line, normalised like the corpora
 * (lowercase a–z, apostrophe, spaces, numbers spelled out). The audio is `id.wav` beside it.
 */
export async function readLibrivox(): Promise<ManifestRow[]> {
  const lines = (await readFile(join(LIBRIVOX_DIR, 'transcription'), 'utf8')).split('\n').filter((l) => l.trim());
  const rows: ManifestRow[] = [];
  for (const line of lines) {
    const m = /^(.*)\(([^()\s]+)\)\s*$/.exec(line);
    if (!m) throw new Error(`${LIBRIVOX_DIR}/transcription: cannot read line '${line}'`);
    const audio = join(LIBRIVOX_DIR, `${m[2]}.wav`);
    const info = await probeAudio(audio);
    rows.push({ id: m[2], audio, durationSeconds: info.durationSeconds ?? 0, speaker: 'librivox', text: normaliseText(m[1]) });
  }
  return rows;
}

export async function writeManifest(path: string, rows: ManifestRow[]): Promise<void> {
  const lines = rows.map((r) => [r.id, r.audio, r.durationSeconds.toFixed(3), r.speaker, r.text].join('\t'));
  await writeFile(path, `${['id', 'audio', 'duration_s', 'speaker', 'text'].join('\t')}\n${lines.join('\n')}\n`);
}

export async function loadDevSet(name: string, limit: number | null, tmp: string): Promise<DevSet> {
  const source = name === LIBRIVOX_SET ? `${LIBRIVOX_DIR}/transcription` : join(CORPORA, name, 'dev.tsv');
  const all = (name === LIBRIVOX_SET ? await readLibrivox() : await readManifest(source)).filter((r) => r.text !== '');
  const rows = limit === null ? all : all.slice(0, limit);
  const manifest = join(tmp, `${name}.tsv`);
  await writeManifest(manifest, rows);
  return { name, source, rows, available: all.length, manifest };
}
