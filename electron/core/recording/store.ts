/**
 * The recordings folder: one directory per session holding meta.json, ch0.wav (You), ch1.wav
 * (Others), segments.jsonl (final segments appended as they come) and, after edits, segments.json.
 * On disk is the source of truth; the renderer's library mirrors it.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { HushError } from '../errors.js';
import { logger } from '../log.js';
import { SessionMetaSchema, StoredSegmentSchema, type AudioChannel, type SessionMeta, type StoredSegment } from '../contract/channels.js';
import { repairWav, wavSampleCount } from './wav.js';

const log = logger('recording');
const ID_RE = /^[A-Za-z0-9_-]{1,100}$/;

export class StoreError extends HushError {
  constructor(problem: string, options?: { cause?: unknown }) {
    super('storage', problem, options);
  }
}

export function newSessionId(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  return `${stamp}-${crypto.randomBytes(3).toString('hex')}`;
}

function fsyncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Some platforms cannot fsync a directory; the file fsyncs still hold.
  }
}

/** Write-then-rename, fsynced: a crash leaves the old or the new file, never half of one. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  fsyncDir(path.dirname(file));
}

export class RecordingStore {
  readonly root: string;

  constructor(storageDir: string) {
    this.root = path.join(storageDir, 'recordings');
    fs.mkdirSync(this.root, { recursive: true });
  }

  dir(id: string): string {
    if (!ID_RE.test(id)) throw new StoreError(`not a session id: ${JSON.stringify(id)}`);
    return path.join(this.root, id);
  }

  wavPath(id: string, channel: AudioChannel): string {
    return path.join(this.dir(id), `ch${channel}.wav`);
  }

  createSession(meta: SessionMeta): void {
    const dir = this.dir(meta.id);
    fs.mkdirSync(dir, { recursive: false });
    this.writeMeta(meta);
    fsyncDir(this.root);
  }

  writeMeta(meta: SessionMeta): void {
    writeFileAtomic(path.join(this.dir(meta.id), 'meta.json'), `${JSON.stringify(SessionMetaSchema.parse(meta), null, 1)}\n`);
  }

  readMeta(id: string): SessionMeta {
    const file = path.join(this.dir(id), 'meta.json');
    try {
      return SessionMetaSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')), file);
    } catch (err) {
      throw new StoreError(`session ${id} is unreadable`, { cause: err });
    }
  }

  exists(id: string): boolean {
    return ID_RE.test(id) && fs.existsSync(path.join(this.root, id, 'meta.json'));
  }

  list(): SessionMeta[] {
    const out: SessionMeta[] = [];
    for (const name of fs.readdirSync(this.root)) {
      if (!ID_RE.test(name) || !fs.existsSync(path.join(this.root, name, 'meta.json'))) continue;
      try {
        out.push(this.readMeta(name));
      } catch (err) {
        log.warn(`skipping unreadable session ${name}`, err);
      }
    }
    return out.sort((a, b) => b.createdAt - a.createdAt);
  }

  /** Appends final segments, one JSON line each, fsynced: they survive a kill like the audio does. */
  appendSegments(id: string, segments: StoredSegment[]): void {
    if (segments.length === 0) return;
    const file = path.join(this.dir(id), 'segments.jsonl');
    const fd = fs.openSync(file, 'a');
    try {
      fs.writeSync(fd, segments.map((s) => JSON.stringify(s)).join('\n') + '\n');
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }

  /** The edited set when the user saved one, otherwise the appended finals (a torn last line is dropped). */
  readSegments(id: string): StoredSegment[] {
    const dir = this.dir(id);
    const edited = path.join(dir, 'segments.json');
    if (fs.existsSync(edited)) {
      const raw: unknown = JSON.parse(fs.readFileSync(edited, 'utf8'));
      return (Array.isArray(raw) ? raw : []).map((x: unknown) => StoredSegmentSchema.parse(x, edited));
    }
    const file = path.join(dir, 'segments.jsonl');
    if (!fs.existsSync(file)) return [];
    const out: StoredSegment[] = [];
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        out.push(StoredSegmentSchema.parse(JSON.parse(line), file));
      } catch {
        log.warn(`dropping a torn segment line in ${file}`);
      }
    }
    return out.sort((a, b) => a.start - b.start || a.channel - b.channel);
  }

  saveSegments(id: string, segments: StoredSegment[]): void {
    writeFileAtomic(path.join(this.dir(id), 'segments.json'), JSON.stringify(segments));
  }

  delete(id: string): boolean {
    const dir = this.dir(id);
    if (!fs.existsSync(dir)) return false;
    fs.rmSync(dir, { recursive: true, force: true });
    return true;
  }

  durationOf(id: string, channels: AudioChannel[]): number {
    return Math.max(0, ...channels.map((c) => wavSampleCount(this.wavPath(id, c)) / 16_000));
  }

  /**
   * Sessions left 'recording' or 'paused' by a killed host: fix their WAV headers from the real
   * lengths and mark them recovered. Returns the recovered sessions.
   */
  recoverInterrupted(activeId: string | null = null): SessionMeta[] {
    const recovered: SessionMeta[] = [];
    for (const meta of this.list()) {
      if ((meta.state !== 'recording' && meta.state !== 'paused') || meta.id === activeId) continue;
      for (const ch of meta.channels) {
        const wav = this.wavPath(meta.id, ch);
        if (fs.existsSync(wav)) repairWav(wav);
      }
      const next: SessionMeta = { ...meta, state: 'recovered', durationS: this.durationOf(meta.id, meta.channels) };
      this.writeMeta(next);
      log.info(`recovered session ${meta.id} (${next.durationS.toFixed(1)} s)`);
      recovered.push(next);
    }
    return recovered;
  }
}
