/**
 * Positioned, chunked reads from one audio file through a file handle, so nothing ever needs the
 * whole file in memory. Every failure becomes an AudioError that names the file.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { AudioError } from '../errors.js';

/** 256 KiB: a few seconds of 16-bit audio per read, small enough to keep memory flat. */
export const DEFAULT_READ_BYTES = 256 * 1024;

export class AudioFile {
  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}

  static async open(path: string): Promise<AudioFile> {
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (err) {
      throw new AudioError(path, describeIoError(err), { cause: err });
    }
    try {
      const stat = await handle.stat();
      if (stat.isDirectory()) throw new AudioError(path, 'is a directory, not an audio file');
      if (!stat.isFile()) throw new AudioError(path, 'is not a regular file');
      if (stat.size === 0) throw new AudioError(path, 'empty file');
      return new AudioFile(path, handle, stat.size);
    } catch (err) {
      await handle.close();
      throw err instanceof AudioError ? err : new AudioError(path, describeIoError(err), { cause: err });
    }
  }

  /** Up to `length` bytes at `offset`; shorter only at the end of the file. */
  async readAt(offset: number, length: number): Promise<Uint8Array> {
    const want = Math.max(0, Math.min(length, this.size - offset));
    // A fresh Uint8Array (not a pooled Buffer) so typed-array views over it start at offset 0.
    const bytes = new Uint8Array(want);
    let filled = 0;
    try {
      while (filled < want) {
        const { bytesRead } = await this.handle.read(bytes, filled, want - filled, offset + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
    } catch (err) {
      throw new AudioError(this.path, describeIoError(err), { cause: err });
    }
    return filled === want ? bytes : bytes.subarray(0, filled);
  }

  /** The bytes in [start, end) as consecutive chunks of at most `chunkBytes` (a multiple of `align`). */
  async *chunks(start: number, end: number, chunkBytes: number, align = 1): AsyncGenerator<Uint8Array> {
    const step = Math.max(align, chunkBytes - (chunkBytes % align));
    for (let offset = start; offset < end; offset += step) {
      const bytes = await this.readAt(offset, Math.min(step, end - offset));
      if (bytes.length === 0) return;
      yield bytes;
    }
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

function describeIoError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'file not found';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory, not an audio file';
    default:
      return `cannot read file (${code ?? (err instanceof Error ? err.message.split('\n')[0] : String(err))})`;
  }
}
