/** A session's audio as one WAV for playback: the single channel file, or both channels mixed. */
import fs from 'node:fs';
import { WAV_HEADER_BYTES, encodeWav } from '../core/recording/wav.js';

export function sessionWav(files: string[]): Buffer | null {
  if (files.length === 0) return null;
  const tracks = files.map((f) => {
    const buf = fs.readFileSync(f);
    const body = buf.subarray(WAV_HEADER_BYTES, WAV_HEADER_BYTES + ((buf.length - WAV_HEADER_BYTES) & ~1));
    return new Int16Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
  });
  if (tracks.length === 1) return encodeWav(tracks[0]);
  const n = Math.max(...tracks.map((t) => t.length));
  const mix = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (const t of tracks) sum += i < t.length ? t[i] : 0;
    mix[i] = Math.max(-32768, Math.min(32767, sum));
  }
  return encodeWav(mix);
}
