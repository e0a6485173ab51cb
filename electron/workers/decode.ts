/** Shapes decoded audio into 16 kHz mono float, and a minimal WAV reader used until the core decoder exists. */
import { AudioError } from '../core/errors.js';

/** Accepts a Float32Array or an object carrying `samples`/`audio` (16 kHz mono) from the core decoder. */
export function toMonoFloat(decoded: unknown, file: string): Float32Array {
  if (decoded instanceof Float32Array) return decoded;
  if (typeof decoded === 'object' && decoded !== null) {
    const o = decoded as { samples?: unknown; audio?: unknown; sampleRate?: unknown };
    const arr = o.samples ?? o.audio;
    if (arr instanceof Float32Array) {
      if (typeof o.sampleRate === 'number' && o.sampleRate !== 16_000) return resampleLinear(arr, o.sampleRate, 16_000);
      return arr;
    }
  }
  throw new AudioError(file, 'decoder returned no samples');
}

export function toInt16(f: Float32Array): Int16Array {
  const out = new Int16Array(f.length);
  for (let i = 0; i < f.length; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round(f[i] * 32768)));
  return out;
}

export function resampleLinear(x: Float32Array, from: number, to: number): Float32Array {
  if (from === to) return x;
  const n = Math.floor((x.length * to) / from);
  const out = new Float32Array(n);
  const step = from / to;
  // A box pre-filter when downsampling keeps the worst aliasing out.
  const width = Math.max(1, Math.floor(step));
  for (let i = 0; i < n; i++) {
    const pos = i * step;
    const j = Math.floor(pos);
    if (width > 1) {
      let sum = 0;
      let c = 0;
      for (let k = j; k < Math.min(x.length, j + width); k++, c++) sum += x[k];
      out[i] = c ? sum / c : 0;
    } else {
      const frac = pos - j;
      out[i] = x[j] * (1 - frac) + (j + 1 < x.length ? x[j + 1] : 0) * frac;
    }
  }
  return out;
}

/** 16-bit PCM WAV of any rate and channel count → 16 kHz mono float. */
export function decodeWavFallback(buf: Buffer, file: string): Float32Array {
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') throw new AudioError(file, 'not a WAV file');
  let off = 12;
  let channels = 1;
  let rate = 16_000;
  let bits = 16;
  while (off + 8 <= buf.length) {
    const id = buf.toString('ascii', off, off + 4);
    let size = buf.readUInt32LE(off + 4);
    if (id === 'fmt ') {
      channels = buf.readUInt16LE(off + 10);
      rate = buf.readUInt32LE(off + 12);
      bits = buf.readUInt16LE(off + 22);
    } else if (id === 'data') {
      if (bits !== 16) throw new AudioError(file, `${bits}-bit WAV needs the audio decoder`);
      if (size === 0 || off + 8 + size > buf.length) size = buf.length - off - 8;
      const frames = Math.floor(size / (2 * channels));
      const mono = new Float32Array(frames);
      for (let i = 0; i < frames; i++) {
        let sum = 0;
        for (let c = 0; c < channels; c++) sum += buf.readInt16LE(off + 8 + 2 * (i * channels + c));
        mono[i] = sum / channels / 32768;
      }
      return resampleLinear(mono, rate, 16_000);
    }
    off += 8 + size + (size % 2);
  }
  throw new AudioError(file, 'WAV has no data chunk');
}

export function concat(chunks: Float32Array[]): Float32Array {
  const out = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}
