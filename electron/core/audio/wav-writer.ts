/** 16-bit PCM WAV: the one header writer (recordings use it too) and in-memory encoding for fixtures and exports. */
export const WAV_HEADER_BYTES = 44;
const HEADER_BYTES = WAV_HEADER_BYTES;

/** The canonical 44-byte header of 16-bit PCM with `dataBytes` of samples. */
export function wavHeader(sampleRate: number, dataBytes: number, channels = 1): Buffer {
  const h = Buffer.alloc(HEADER_BYTES);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(HEADER_BYTES - 8 + dataBytes, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * channels * 2, 28);
  h.writeUInt16LE(channels * 2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(dataBytes, 40);
  return h;
}

/** Float samples to 16-bit PCM, scaled by 32768 like the reader; NaN becomes silence. */
export function toInt16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const v = Math.round(samples[i] * 32768);
    out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v || 0;
  }
  return out;
}

/**
 * Encodes float samples (clipped to [-1, 1]) as 16-bit PCM mono. Scaled by 32768 to mirror the
 * reader, so decoding gives back exactly the quantised input (+1.0 alone clips to 32767).
 */
export function encodeWav16(samples: Float32Array, sampleRate = 16_000): Buffer {
  if (!Number.isInteger(sampleRate) || sampleRate < 1) throw new RangeError(`sample rate must be a positive whole number, got ${sampleRate}`);
  const pcm = toInt16(samples);
  return Buffer.concat([wavHeader(sampleRate, pcm.byteLength), Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength)]);
}
