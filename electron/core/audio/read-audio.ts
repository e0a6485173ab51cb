/**
 * The one way audio comes into the app: any supported file, streamed from disk, decoded, mixed to
 * mono and resampled to 16 kHz a chunk at a time, so a two-hour meeting uses no more memory than
 * a two-minute one.
 */
import { AudioError, HushError } from '../errors.js';
import { concatFloat32 } from '../float32-concat.js';
import { AudioFile, DEFAULT_READ_BYTES } from './audio-file.js';
import { openDecoder, type PcmBlock } from './decoders.js';
import { inspectAudio, type InspectedAudio } from './probe.js';
import { Resampler, resamplerReady } from './resampler.js';
import { FORMAT_NAMES, TARGET_RATE } from './types.js';
import { readWavMono } from './wav-reader.js';

export interface ReadAudioOptions {
  /** Length of each yielded chunk in seconds (the last may be shorter). Default 30. */
  chunkSeconds?: number;
}

/** Knobs for tests: how many bytes each file read takes. */
export interface ReadAudioInternals extends ReadAudioOptions {
  readBytes?: number;
}

const DEFAULT_CHUNK_SECONDS = 30;

/** 16 kHz mono float chunks in [-1, 1], in order; memory stays bounded however long the file is. */
export function readAudio(path: string, opts: ReadAudioOptions = {}): AsyncGenerator<Float32Array> {
  return readAudioWith(path, opts);
}

export async function* readAudioWith(path: string, opts: ReadAudioInternals = {}): AsyncGenerator<Float32Array> {
  const chunkSeconds = opts.chunkSeconds ?? DEFAULT_CHUNK_SECONDS;
  if (!(chunkSeconds > 0) || !Number.isFinite(chunkSeconds)) throw new RangeError(`chunkSeconds must be a positive number, got ${chunkSeconds}`);
  const chunkSamples = Math.max(1, Math.round(chunkSeconds * TARGET_RATE));
  const readBytes = opts.readBytes ?? DEFAULT_READ_BYTES;

  const file = await AudioFile.open(path);
  try {
    const inspected = await inspectAudio(file);
    const out = new ChunkAssembler(chunkSamples);
    let resampler: Resampler | null = null;
    let nativeSamples = 0;
    for await (const block of decodeBlocks(file, inspected, readBytes)) {
      if (block.mono.length === 0) continue;
      if (!resampler) resampler = await openResampler(block.sampleRate);
      else if (block.sampleRate !== resampler.fromRate) {
        throw new AudioError(path, `sample rate changes mid-stream (${resampler.fromRate} Hz to ${block.sampleRate} Hz)`);
      }
      nativeSamples += block.mono.length;
      yield* out.add(resampler.push(block.mono));
    }
    if (!resampler) throw new AudioError(path, 'contains no audio samples');
    const { expectedSamples, expectedSlack, info } = inspected;
    if (expectedSamples !== null && nativeSamples < expectedSamples - expectedSlack) {
      const rate = resampler.fromRate;
      throw new AudioError(
        path,
        `${FORMAT_NAMES[info.format]} stream ends early (decoded ${(nativeSamples / rate).toFixed(2)} s of ${(expectedSamples / rate).toFixed(2)} s): truncated or corrupt`,
      );
    }
    yield* out.add(resampler.flush());
    yield* out.end();
  } catch (err) {
    // Anything else (a library failing in a way it does not report as damage) still names the file.
    if (err instanceof HushError) throw err;
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new AudioError(path, `cannot decode (${message})`, { cause: err });
  } finally {
    await file.close();
  }
}

/** The whole file at 16 kHz mono, for short files and tests: long files should stream with readAudio. */
export async function decodeAudioFile(path: string): Promise<Float32Array> {
  const chunks: Float32Array[] = [];
  for await (const chunk of readAudio(path)) chunks.push(chunk);
  return concatFloat32(chunks);
}

async function* decodeBlocks(file: AudioFile, inspected: InspectedAudio, readBytes: number): AsyncGenerator<PcmBlock> {
  const { info, wav } = inspected;
  if (info.format === 'wav') {
    if (!wav) throw new Error('inspectAudio gave a WAV without its layout');
    for await (const mono of readWavMono(file, wav, readBytes)) yield { mono, sampleRate: wav.sampleRate };
    return;
  }
  const decoder = await openDecoder(info.format, file.path);
  try {
    for await (const bytes of file.chunks(inspected.start, file.size, readBytes)) yield await decoder.decode(bytes);
    yield await decoder.flush();
  } finally {
    decoder.free();
  }
}

async function openResampler(fromRate: number): Promise<Resampler> {
  await resamplerReady();
  // No await between the check above and the constructor, so no other reader can take the spare.
  return new Resampler(fromRate, TARGET_RATE);
}

/** Cuts a stream of arbitrary-length pieces into chunks of exactly `size`, clamped to [-1, 1]. */
class ChunkAssembler {
  private buffer: Float32Array;
  private filled = 0;

  constructor(private readonly size: number) {
    this.buffer = new Float32Array(size);
  }

  *add(x: Float32Array): Generator<Float32Array> {
    let at = 0;
    while (at < x.length) {
      const take = Math.min(x.length - at, this.size - this.filled);
      const dst = this.buffer;
      // Float sources may exceed full scale and the sinc filter rings slightly past it.
      for (let i = 0; i < take; i++) {
        const v = x[at + i];
        dst[this.filled + i] = v > 1 ? 1 : v < -1 ? -1 : v;
      }
      this.filled += take;
      at += take;
      if (this.filled === this.size) {
        yield this.buffer;
        this.buffer = new Float32Array(this.size);
        this.filled = 0;
      }
    }
  }

  *end(): Generator<Float32Array> {
    if (this.filled > 0) yield this.buffer.slice(0, this.filled);
    this.filled = 0;
  }
}
