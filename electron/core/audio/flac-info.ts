/** FLAC's STREAMINFO block: rate, channels and length without decoding. */
import { AudioError } from '../errors.js';
import type { AudioFile } from './audio-file.js';
import { ascii } from './bytes.js';

export interface FlacInfo {
  sampleRate: number;
  channels: number;
  /** Samples per channel; null when the encoder did not know (a stream written live). */
  totalSamples: number | null;
}

export async function readFlacInfo(file: AudioFile, start: number): Promise<FlacInfo> {
  // "fLaC", then the 4-byte header of the first metadata block, which must be the 34-byte STREAMINFO.
  const b = await file.readAt(start, 4 + 4 + 34);
  if (ascii(b, 0, 4) !== 'fLaC') throw new AudioError(file.path, 'corrupt FLAC header');
  if (b.length < 42) throw new AudioError(file.path, 'truncated FLAC header');
  if ((b[4] & 0x7f) !== 0 || ((b[5] << 16) | (b[6] << 8) | b[7]) !== 34) {
    throw new AudioError(file.path, 'corrupt FLAC header (no STREAMINFO)');
  }
  const s = 8; // STREAMINFO body
  // Bits: 20 sample rate, 3 channels-1, 5 bits-per-sample-1, 36 total samples.
  const sampleRate = (b[s + 10] << 12) | (b[s + 11] << 4) | (b[s + 12] >> 4);
  const channels = ((b[s + 12] >> 1) & 0x07) + 1;
  const totalSamples = (b[s + 13] & 0x0f) * 2 ** 32 + new DataView(b.buffer, b.byteOffset + s + 14, 4).getUint32(0);
  if (sampleRate === 0) throw new AudioError(file.path, 'corrupt FLAC header (sample rate 0)');
  return { sampleRate, channels, totalSamples: totalSamples > 0 ? totalSamples : null };
}
