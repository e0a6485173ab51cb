/**
 * Crash-safe 16 kHz mono Int16 WAV files. Samples are written to the OS as they arrive (a SIGKILL
 * loses nothing written), the header sizes are refreshed and the file fsynced at least every second
 * (a power cut loses at most that), and `repairWav` fixes the header from the real length on recovery.
 */
import fs from 'node:fs';
import { WAV_HEADER_BYTES, wavHeader } from '../audio/wav-writer.js';

export { WAV_HEADER_BYTES, wavHeader };

/** Encodes Int16 PCM as a complete WAV buffer. */
export function encodeWav(pcm: Int16Array, sampleRate = 16_000): Buffer {
  const body = Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  return Buffer.concat([wavHeader(sampleRate, body.length), body]);
}

export interface WavWriterOptions {
  sampleRate?: number;
  /** Max ms between fsyncs (default 1000). */
  syncEveryMs?: number;
}

export class WavWriter {
  private readonly fd: number;
  private bytes = 0;
  private lastSync = Date.now();
  private dirty = false;
  private closed = false;
  readonly sampleRate: number;
  private readonly syncEveryMs: number;

  private constructor(
    readonly path: string,
    fd: number,
    existingBytes: number,
    opts: WavWriterOptions,
  ) {
    this.fd = fd;
    this.bytes = existingBytes;
    this.sampleRate = opts.sampleRate ?? 16_000;
    this.syncEveryMs = opts.syncEveryMs ?? 1000;
  }

  /** A new file with a valid (empty) header, fsynced together with its directory entry. */
  static create(path: string, opts: WavWriterOptions = {}): WavWriter {
    const fd = fs.openSync(path, 'wx+');
    fs.writeSync(fd, wavHeader(opts.sampleRate ?? 16_000, 0), 0, WAV_HEADER_BYTES, 0);
    fs.fsyncSync(fd);
    return new WavWriter(path, fd, 0, opts);
  }

  /** Reopen an existing (e.g. recovered) file to append more samples. */
  static append(path: string, opts: WavWriterOptions = {}): WavWriter {
    const { dataBytes } = repairWav(path);
    const fd = fs.openSync(path, 'r+');
    return new WavWriter(path, fd, dataBytes, opts);
  }

  get samples(): number {
    return this.bytes / 2;
  }

  get durationS(): number {
    return this.samples / this.sampleRate;
  }

  /** Writes through to the OS at once; fsyncs when the last sync is older than syncEveryMs. */
  write(pcm: Int16Array): void {
    if (this.closed) return;
    const buf = Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
    let off = 0;
    while (off < buf.length) off += fs.writeSync(this.fd, buf, off, buf.length - off, WAV_HEADER_BYTES + this.bytes + off);
    this.bytes += buf.length;
    this.dirty = true;
    if (Date.now() - this.lastSync >= this.syncEveryMs) this.sync();
  }

  /** Refresh the header sizes and fsync. Called by write() and by the owner's 1 s timer. */
  sync(): void {
    if (this.closed || !this.dirty) return;
    const h = wavHeader(this.sampleRate, this.bytes);
    fs.writeSync(this.fd, h, 0, WAV_HEADER_BYTES, 0);
    fs.fsyncSync(this.fd);
    this.dirty = false;
    this.lastSync = Date.now();
  }

  close(): void {
    if (this.closed) return;
    this.dirty = true;
    this.sync();
    this.closed = true;
    fs.closeSync(this.fd);
  }
}

export interface WavInfo {
  sampleRate: number;
  dataBytes: number;
  repaired: boolean;
}

/** Rewrites the header sizes from the file's real length (dropping a torn odd byte). */
export function repairWav(path: string): WavInfo {
  const fd = fs.openSync(path, 'r+');
  try {
    const size = fs.fstatSync(fd).size;
    if (size < WAV_HEADER_BYTES) {
      fs.ftruncateSync(fd, 0);
      fs.writeSync(fd, wavHeader(16_000, 0), 0, WAV_HEADER_BYTES, 0);
      fs.fsyncSync(fd);
      return { sampleRate: 16_000, dataBytes: 0, repaired: true };
    }
    const head = Buffer.alloc(WAV_HEADER_BYTES);
    fs.readSync(fd, head, 0, WAV_HEADER_BYTES, 0);
    const sampleRate = head.toString('ascii', 0, 4) === 'RIFF' ? head.readUInt32LE(24) || 16_000 : 16_000;
    let dataBytes = size - WAV_HEADER_BYTES;
    if (dataBytes % 2) {
      dataBytes -= 1;
      fs.ftruncateSync(fd, WAV_HEADER_BYTES + dataBytes);
    }
    const declared = head.readUInt32LE(40);
    const repaired = declared !== dataBytes || head.toString('ascii', 0, 4) !== 'RIFF';
    if (repaired) {
      fs.writeSync(fd, wavHeader(sampleRate, dataBytes), 0, WAV_HEADER_BYTES, 0);
      fs.fsyncSync(fd);
    }
    return { sampleRate, dataBytes, repaired };
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads up to `count` samples starting at sample `from` from a (possibly growing) WAV file. */
export function readWavSamples(path: string, from: number, count: number): Int16Array {
  const fd = fs.openSync(path, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const available = Math.max(0, Math.floor((size - WAV_HEADER_BYTES) / 2) - from);
    const n = Math.min(count, available);
    if (n <= 0) return new Int16Array(0);
    const buf = Buffer.alloc(n * 2);
    fs.readSync(fd, buf, 0, n * 2, WAV_HEADER_BYTES + from * 2);
    return new Int16Array(buf.buffer, buf.byteOffset, n);
  } finally {
    fs.closeSync(fd);
  }
}

/** Samples in a WAV file, from its length (not its possibly stale header). */
export function wavSampleCount(path: string): number {
  try {
    return Math.max(0, Math.floor((fs.statSync(path).size - WAV_HEADER_BYTES) / 2));
  } catch {
    return 0;
  }
}
