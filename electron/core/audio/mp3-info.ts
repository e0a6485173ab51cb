/**
 * MPEG audio (Layer III) frame headers: enough to recognise an MP3 by its bytes and to tell its
 * rate, channels and length without decoding. Decoding itself is mpg123's job (decoders.ts).
 */
import { AudioError } from '../errors.js';
import type { AudioFile } from './audio-file.js';
import { ascii } from './bytes.js';

export interface MpegFrameHeader {
  sampleRate: number;
  channels: number;
  /** Bytes in this frame, header included. */
  frameBytes: number;
  samplesPerFrame: number;
  bitrateKbps: number;
  /** MPEG-1 and MPEG-2/2.5 put the Xing tag at different offsets. */
  mpeg1: boolean;
}

const BITRATES_V1 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const BITRATES_V2 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const RATES: Record<number, number[]> = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] };

/** The Layer III frame header at `at`, or null if those bytes are not one (free-format bitrates included). */
export function parseMpegFrameHeader(b: Uint8Array, at: number): MpegFrameHeader | null {
  if (at + 4 > b.length || b[at] !== 0xff || (b[at + 1] & 0xe0) !== 0xe0) return null;
  const version = (b[at + 1] >> 3) & 3; // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5, 1: reserved
  const layer = (b[at + 1] >> 1) & 3; // 1: Layer III
  const bitrateIndex = b[at + 2] >> 4;
  const rateIndex = (b[at + 2] >> 2) & 3;
  if (version === 1 || layer !== 1 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return null;
  const mpeg1 = version === 3;
  const sampleRate = RATES[version][rateIndex];
  const bitrateKbps = (mpeg1 ? BITRATES_V1 : BITRATES_V2)[bitrateIndex];
  const padding = (b[at + 2] >> 1) & 1;
  const samplesPerFrame = mpeg1 ? 1152 : 576;
  const frameBytes = Math.floor(((samplesPerFrame / 8) * bitrateKbps * 1000) / sampleRate) + padding;
  const channels = b[at + 3] >> 6 === 3 ? 1 : 2;
  return { sampleRate, channels, frameBytes, samplesPerFrame, bitrateKbps, mpeg1 };
}

/**
 * True when `at` starts an MP3 frame whose successor (if the bytes reach it) is a matching frame:
 * one valid-looking header alone is too easy to hit by chance in arbitrary binary data.
 */
export function looksLikeMp3At(b: Uint8Array, at: number): boolean {
  const first = parseMpegFrameHeader(b, at);
  if (!first) return false;
  const nextAt = at + first.frameBytes;
  if (nextAt + 4 > b.length) return true;
  const next = parseMpegFrameHeader(b, nextAt);
  return next !== null && next.sampleRate === first.sampleRate && next.mpeg1 === first.mpeg1;
}

export interface Mp3Info {
  sampleRate: number;
  channels: number;
  durationSeconds: number | null;
  /** Samples per channel that a gapless decode must produce, when a Xing/Info tag says so. */
  expectedSamples: number | null;
}

/** Reads the first frame (and its Xing/Info/VBRI tag) at `start`. */
export async function readMp3Info(file: AudioFile, start: number): Promise<Mp3Info> {
  const head = await file.readAt(start, 4096);
  const frame = parseMpegFrameHeader(head, 0);
  if (!frame) throw new AudioError(file.path, 'corrupt MP3 header');
  const { sampleRate, channels } = frame;
  const xing = readXing(head, frame);
  if (xing) {
    const samples = Math.max(0, xing.frames * frame.samplesPerFrame - xing.delay - xing.padding);
    return { sampleRate, channels, durationSeconds: samples / sampleRate, expectedSamples: samples };
  }
  const vbriFrames = readVbriFrames(head);
  if (vbriFrames !== null) {
    return { sampleRate, channels, durationSeconds: (vbriFrames * frame.samplesPerFrame) / sampleRate, expectedSamples: null };
  }
  // Constant bitrate without a tag: every frame has the first one's bitrate.
  const durationSeconds = ((file.size - start) * 8) / (frame.bitrateKbps * 1000);
  return { sampleRate, channels, durationSeconds, expectedSamples: null };
}

interface XingTag {
  frames: number;
  /** Encoder delay and end padding from a LAME tag, which mpg123's gapless mode removes. */
  delay: number;
  padding: number;
}

function readXing(b: Uint8Array, frame: MpegFrameHeader): XingTag | null {
  const sideInfo = frame.mpeg1 ? (frame.channels === 1 ? 17 : 32) : frame.channels === 1 ? 9 : 17;
  let at = 4 + sideInfo;
  const id = ascii(b, at, 4);
  if (id !== 'Xing' && id !== 'Info') return null;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (at + 8 > b.length) return null;
  const flags = view.getUint32(at + 4);
  at += 8;
  if (!(flags & 1) || at + 4 > b.length) return null;
  const frames = view.getUint32(at);
  at += 4;
  if (flags & 2) at += 4;
  if (flags & 4) at += 100;
  if (flags & 8) at += 4;
  let delay = 0;
  let padding = 0;
  const encoder = ascii(b, at, 4);
  if ((encoder === 'LAME' || encoder === 'Lavc' || encoder === 'Lavf') && at + 24 <= b.length) {
    delay = (b[at + 21] << 4) | (b[at + 22] >> 4);
    padding = ((b[at + 22] & 0x0f) << 8) | b[at + 23];
  }
  return { frames, delay, padding };
}

function readVbriFrames(b: Uint8Array): number | null {
  const at = 4 + 32;
  if (ascii(b, at, 4) !== 'VBRI' || at + 18 > b.length) return null;
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(at + 14);
}
