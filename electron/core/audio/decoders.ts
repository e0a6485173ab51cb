/**
 * The compressed formats, each decoded by a maintained wasm build of its reference library
 * (libFLAC, libopus, mpg123), fed the file a chunk at a time and giving back mono float blocks.
 */
import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { MPEGDecoder } from 'mpg123-decoder';
import { OggOpusDecoder } from 'ogg-opus-decoder';
import { AudioError } from '../errors.js';
import { FORMAT_NAMES, type AudioFormat } from './types.js';

/** Decoded audio at its own rate, channels averaged to mono. */
export interface PcmBlock {
  mono: Float32Array;
  sampleRate: number;
}

export interface StreamDecoder {
  /** Audio decoded from the next bytes of the stream; empty while a frame is still incomplete. */
  decode(bytes: Uint8Array): Promise<PcmBlock>;
  /** Whatever the decoder still holds at the end of the stream. */
  flush(): Promise<PcmBlock>;
  free(): void;
}

/** The shape all three libraries return from decode(). */
interface DecodedAudio {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
  errors: { message: string }[];
}

type CompressedFormat = Exclude<AudioFormat, 'wav'>;

export async function openDecoder(format: CompressedFormat, path: string): Promise<StreamDecoder> {
  const name = FORMAT_NAMES[format];
  const check = (audio: DecodedAudio): PcmBlock => {
    // The libraries report damage but carry on past it; a transcript of damaged audio would be
    // quietly wrong, so the first damage ends the read.
    if (audio.errors.length > 0) {
      throw new AudioError(path, `corrupt ${name} data (${firstLine(audio.errors[0].message)})`);
    }
    return { mono: downmix(audio.channelData, audio.samplesDecoded), sampleRate: audio.sampleRate };
  };
  const guard = async (work: () => DecodedAudio | Promise<DecodedAudio>): Promise<PcmBlock> => {
    try {
      return check(await work());
    } catch (err) {
      if (err instanceof AudioError) throw err;
      throw new AudioError(path, `corrupt ${name} data (${firstLine(err instanceof Error ? err.message : String(err))})`, {
        cause: err,
      });
    }
  };
  const empty = async (): Promise<PcmBlock> => ({ mono: new Float32Array(0), sampleRate: 0 });

  switch (format) {
    case 'flac': {
      const decoder = new FLACDecoder();
      await decoder.ready;
      return {
        decode: (bytes) => guard(async () => toWavScale(await decoder.decode(bytes))),
        flush: () => guard(async () => toWavScale(await decoder.flush())),
        free: () => decoder.free(),
      };
    }
    case 'opus': {
      // forceStereo off: mono stays one channel instead of being duplicated.
      const decoder = new OggOpusDecoder({ forceStereo: false });
      await decoder.ready;
      return {
        decode: (bytes) => guard(() => decoder.decode(bytes)),
        flush: () => guard(() => decoder.flush()),
        free: () => decoder.free(),
      };
    }
    case 'mp3': {
      // Gapless (the default) trims the encoder's delay and padding, so lengths match the source.
      const decoder = new MPEGDecoder({ enableGapless: true });
      await decoder.ready;
      return {
        decode: (bytes) => guard(() => decoder.decode(bytes)),
        // mpg123 emits every complete frame as it is fed; there is nothing left to flush.
        flush: empty,
        free: () => decoder.free(),
      };
    }
  }
}

/** Mean of the channels: keeps a voice on either side of a stereo meeting recording. */
export function downmix(channels: Float32Array[], samples: number): Float32Array {
  if (channels.length === 0 || samples === 0) return new Float32Array(0);
  if (channels.length === 1) return channels[0].length === samples ? channels[0] : channels[0].slice(0, samples);
  const out = new Float32Array(samples);
  for (const channel of channels) for (let i = 0; i < samples; i++) out[i] += channel[i];
  const scale = 1 / channels.length;
  for (let i = 0; i < samples; i++) out[i] *= scale;
  return out;
}

/**
 * The FLAC wrapper divides b-bit integers by 2^(b-1) - 1, the WAV reader (like libsndfile and
 * sox) by 2^(b-1). Rescaling makes a FLAC decode bit-identical to a WAV of the same samples, so
 * features never depend on the container a file came in.
 */
function toWavScale<T extends DecodedAudio & { bitDepth: number }>(audio: T): T {
  const max = 2 ** (audio.bitDepth - 1) - 1;
  if (!(max > 0)) return audio;
  // Up to 20 bits, float32 holds sample / max closely enough to recover the integer exactly.
  const exact = audio.bitDepth <= 20;
  const scale = max / (max + 1);
  for (const channel of audio.channelData) {
    for (let i = 0; i < audio.samplesDecoded; i++) {
      channel[i] = exact ? Math.round(channel[i] * max) / (max + 1) : channel[i] * scale;
    }
  }
  return audio;
}

function firstLine(text: string): string {
  return text.split('\n')[0].trim();
}
