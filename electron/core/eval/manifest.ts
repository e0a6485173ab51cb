import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { InputError } from '../errors.js';

/** One row of the corpus manifest format of ../shared/data/corpora (`id audio duration_s speaker text`). */
export interface ManifestRow {
  id: string;
  /** Absolute path: manifests store audio relative to themselves. */
  audio: string;
  durationSeconds: number;
  speaker: string;
  text: string;
}

const HEADER = ['id', 'audio', 'duration_s', 'speaker', 'text'];

/** Parse a manifest; refuses a bad header or row with an error naming the file and line. */
export function parseManifest(path: string, content: string): ManifestRow[] {
  const lines = content.split(/\r?\n/);
  const header = lines[0]?.split('\t') ?? [];
  if (HEADER.some((h, i) => header[i] !== h)) throw new InputError(path, `header must start with ${HEADER.join('<TAB>')}, found '${lines[0] ?? ''}'`);
  const rows: ManifestRow[] = [];
  const seen = new Set<string>();
  for (let i = 1; i < lines.length; i++) {
    if (lines[i] === '') continue;
    const cells = lines[i].split('\t');
    const where = `${path}:${i + 1}`;
    if (cells.length < 5) throw new InputError(where, `expected 5 tab-separated columns, found ${cells.length}`);
    const [id, audio, duration, speaker, text] = cells;
    if (!id) throw new InputError(where, 'empty id');
    if (seen.has(id)) throw new InputError(where, `duplicate id '${id}'`);
    seen.add(id);
    const durationSeconds = Number(duration);
    if (!Number.isFinite(durationSeconds) || durationSeconds < 0) throw new InputError(where, `bad duration_s '${duration}'`);
    if (/[^a-z' ]/.test(text)) throw new InputError(where, `text of '${id}' has symbols outside a–z, apostrophe and space`);
    rows.push({ id, audio: isAbsolute(audio) ? audio : resolve(dirname(path), audio), durationSeconds, speaker, text });
  }
  return rows;
}

export async function readManifest(path: string): Promise<ManifestRow[]> {
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(path, code === 'ENOENT' ? 'manifest not found' : `cannot read manifest (${code ?? 'error'})`);
  }
  return parseManifest(path, content);
}
