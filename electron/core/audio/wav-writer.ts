/** 16-bit PCM mono WAV in memory: test fixtures, exports of recordings, and the inverse of the 16-bit reader. */
const HEADER_BYTES = 44;

/**
 * Encodes float samples (clipped to [-1, 1]) as 16-bit PCM mono. Scaled by 32768 to mirror the
 * reader, so decoding gives back exactly the quantised input (+1.0 alone clips to 32767).
 */
export function encodeWav16(samples: Float32Array, sampleRate = 16_000): Buffer {
  if (!Number.isInteger(sampleRate) || sampleRate < 1) throw new RangeError(`sample rate must be a positive whole number, got ${sampleRate}`);
  const dataBytes = samples.length * 2;
  const buf = Buffer.alloc(HEADER_BYTES + dataBytes);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(HEADER_BYTES - 8 + dataBytes, 4);
  buf.write('WAVE', 8, 'ascii');
  buf.write('fmt ', 12, 'ascii');
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20); // PCM
  buf.writeUInt16LE(1, 22); // mono
  buf.writeUInt32LE(sampleRate, 24);
  buf.writeUInt32LE(sampleRate * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(dataBytes, 40);
  // A DataView, not Buffer.writeInt16LE per sample: recordings run to hours (hundreds of millions of samples).
  const view = new DataView(buf.buffer, buf.byteOffset + HEADER_BYTES, dataBytes);
  for (let i = 0; i < samples.length; i++) {
    const v = Math.round(samples[i] * 32768);
    // `|| 0` turns NaN into silence.
    view.setInt16(2 * i, v > 32767 ? 32767 : v < -32768 ? -32768 : v || 0, true);
  }
  return buf;
}
