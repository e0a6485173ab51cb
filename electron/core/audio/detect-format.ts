/**
 * Tells the format from the file's first bytes, never from its name: a recording renamed to .wav
 * must still load, and a text file named .wav must get a clear error rather than noise.
 */
import { AudioError } from '../errors.js';
import type { AudioFile } from './audio-file.js';
import { ascii } from './bytes.js';
import { looksLikeMp3At } from './mp3-info.js';
import type { AudioFormat } from './types.js';

export interface DetectedFormat {
  format: AudioFormat;
  /** Where the audio stream starts (past any ID3v2 tag). */
  start: number;
}

export const UNSUPPORTED = 'unsupported audio format (not WAV, FLAC, Ogg Opus or MP3)';

/** How far past an ID3v2 tag to look for the first MP3 frame; taggers sometimes leave junk there. */
const ID3_SLACK_BYTES = 4096;

export async function detectFormat(file: AudioFile): Promise<DetectedFormat> {
  const head = await file.readAt(0, 4096);
  const tag = id3v2TagBytes(head);
  if (tag > 0) {
    const after = await file.readAt(tag, ID3_SLACK_BYTES + 4096);
    if (ascii(after, 0, 4) === 'fLaC') return { format: 'flac', start: tag };
    for (let at = 0; at < Math.min(ID3_SLACK_BYTES, after.length); at++) {
      if (looksLikeMp3At(after, at)) return { format: 'mp3', start: tag + at };
    }
    throw new AudioError(file.path, UNSUPPORTED);
  }
  const format = formatOfHeader(head);
  if (typeof format === 'string') return { format, start: 0 };
  throw new AudioError(file.path, format.problem);
}

/** The format these leading bytes start, or why it is not one we take. */
export function formatOfHeader(head: Uint8Array): AudioFormat | { problem: string } {
  const magic = ascii(head, 0, 4);
  if (magic === 'RIFF' || magic === 'RF64' || magic === 'BW64') {
    if (head.length < 12) return { problem: 'truncated WAV header' };
    if (ascii(head, 8, 4) === 'WAVE') return 'wav';
    return { problem: `unsupported audio format (RIFF ${ascii(head, 8, 4).trim() || 'file'}, not WAVE)` };
  }
  if (magic === 'fLaC') return 'flac';
  if (magic === 'OggS') {
    const codec = oggFirstPacketCodec(head);
    if (codec === 'Opus') return 'opus';
    if (codec === null) return { problem: 'truncated Ogg header' };
    return { problem: `unsupported audio format (Ogg ${codec}, not Opus)` };
  }
  if (looksLikeMp3At(head, 0)) return 'mp3';
  return { problem: UNSUPPORTED };
}

/** Size of a leading ID3v2 tag (header, body and footer), or 0. */
export function id3v2TagBytes(b: Uint8Array): number {
  if (ascii(b, 0, 3) !== 'ID3' || b.length < 10) return 0;
  // Sizes are "syncsafe": 7 bits per byte so the tag can never contain an MPEG frame sync.
  if ((b[6] | b[7] | b[8] | b[9]) & 0x80) return 0;
  const body = (b[6] << 21) | (b[7] << 14) | (b[8] << 7) | b[9];
  const footer = b[5] & 0x10 ? 10 : 0;
  return 10 + body + footer;
}

function oggFirstPacketCodec(b: Uint8Array): string | null {
  if (b.length < 27) return null;
  const segments = b[26];
  const at = 27 + segments;
  if (at + 8 > b.length) return null;
  const id = ascii(b, at, 8);
  if (id === 'OpusHead') return 'Opus';
  if (id.slice(1, 7) === 'vorbis') return 'Vorbis';
  if (id.slice(1, 5) === 'FLAC') return 'FLAC';
  if (id.startsWith('Speex')) return 'Speex';
  return 'with an unknown codec';
}
