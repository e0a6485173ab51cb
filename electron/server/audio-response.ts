/**
 * A session's audio as one WAV for playback: the single channel file, or both channels mixed, served
 * by byte range. Only the requested range is read from disk, so seeking in a two-hour meeting
 * (230 MB per channel) costs a few hundred kilobytes, not copies of the whole recording per request.
 * Both doors use it: the browser-mode server and Electron's app:// protocol.
 */
import fs from 'node:fs';
import { TARGET_RATE } from '../core/audio/types.js';
import { WAV_HEADER_BYTES, wavHeader } from '../core/recording/wav.js';

/** Bytes per chunk when a range is streamed. */
export const CHUNK_BYTES = 1 << 20;

export interface SessionAudio {
  /** Bytes of the whole WAV: header + the longest channel's samples. */
  readonly size: number;
  /** Bytes start..end (inclusive) of the WAV. */
  read(start: number, end: number): Uint8Array;
}

interface Track {
  path: string;
  samples: number;
}

/**
 * Null when there is no file to serve. Sizes come from the files' lengths, not their headers: a
 * recording still open, or cut off by a crash, has a header that is not yet fixed up.
 */
export function openSessionAudio(files: readonly string[]): SessionAudio | null {
  // A file deleted since the caller listed it (the session was just removed) is not served.
  const tracks: Track[] = files.flatMap((path) => {
    const st = fs.statSync(path, { throwIfNoEntry: false });
    return st ? [{ path, samples: Math.max(0, Math.floor((st.size - WAV_HEADER_BYTES) / 2)) }] : [];
  });
  if (tracks.length === 0) return null;
  const samples = Math.max(...tracks.map((t) => t.samples));
  const header = wavHeader(TARGET_RATE, samples * 2);
  const size = WAV_HEADER_BYTES + samples * 2;
  return {
    size,
    read(start, end) {
      if (!(start >= 0 && end < size && start <= end)) throw new RangeError(`bytes ${start}-${end} outside 0-${size - 1}`);
      const out = new Uint8Array(end - start + 1);
      if (start < WAV_HEADER_BYTES) out.set(header.subarray(start, Math.min(WAV_HEADER_BYTES, end + 1)), 0);
      const b0 = Math.max(start, WAV_HEADER_BYTES) - WAV_HEADER_BYTES;
      const b1 = end - WAV_HEADER_BYTES;
      if (b1 < b0) return out;
      const s0 = b0 >> 1;
      const pcm = mixedSamples(tracks, s0, (b1 >> 1) - s0 + 1);
      const bytes = new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength);
      out.set(bytes.subarray(b0 - 2 * s0, b1 - 2 * s0 + 1), WAV_HEADER_BYTES + b0 - start);
      return out;
    },
  };
}

/** Samples from..from+count of each track (zeros past its end), summed and clipped. */
function mixedSamples(tracks: readonly Track[], from: number, count: number): Int16Array {
  const read = tracks.map((t) => readSamples(t, from, count));
  if (read.length === 1) return read[0];
  const mix = new Int16Array(count);
  for (let i = 0; i < count; i++) {
    let sum = 0;
    for (const r of read) sum += r[i];
    mix[i] = Math.max(-32768, Math.min(32767, sum));
  }
  return mix;
}

function readSamples(t: Track, from: number, count: number): Int16Array {
  const out = new Int16Array(count);
  const n = Math.max(0, Math.min(count, t.samples - from));
  if (n === 0) return out;
  const fd = fs.openSync(t.path, 'r');
  try {
    fs.readSync(fd, new Uint8Array(out.buffer, 0, n * 2), 0, n * 2, WAV_HEADER_BYTES + from * 2);
  } finally {
    fs.closeSync(fd);
  }
  return out;
}

/** What a Range header asks of `size` bytes: the whole body (null), one range, or none it can serve. */
export type RangeRequest = null | { start: number; end: number } | 'unsatisfiable';

/** One `bytes=` range (the only kind media elements send); anything else serves the whole body. */
export function parseRange(header: string | null | undefined, size: number): RangeRequest {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header ?? '');
  if (!m || (!m[1] && !m[2])) return null;
  let start: number;
  let end: number;
  if (m[1]) {
    start = Number(m[1]);
    end = m[2] ? Math.min(size - 1, Number(m[2])) : size - 1;
  } else {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  }
  return start <= end && start < size ? { start, end } : 'unsatisfiable';
}

/** The range in chunks of CHUNK_BYTES, read as they are pulled. */
export function* chunksOf(audio: SessionAudio, start: number, end: number): Generator<Uint8Array> {
  for (let at = start; at <= end; at += CHUNK_BYTES) yield audio.read(at, Math.min(end, at + CHUNK_BYTES - 1));
}
