/**
 * WAV: the RIFF header parsed here (it is a container, not a codec) and the PCM data streamed from
 * disk in chunks, converted to mono float as it goes. Takes 8-bit unsigned, 16/24/32-bit signed
 * integer and 32/64-bit float, plain or WAVE_FORMAT_EXTENSIBLE, any channel count, and RF64 for
 * files past 4 GiB.
 */
import { AudioError } from '../errors.js';
import type { AudioFile } from './audio-file.js';
import { ascii } from './bytes.js';
import { MAX_SAMPLE_RATE } from './types.js';

export interface WavLayout {
  sampleRate: number;
  channels: number;
  encoding: 'int' | 'float';
  /** Bits per sample as stored (8/16/24/32 integer, 32/64 float). */
  bitsPerSample: number;
  /** Bytes per frame (one sample of every channel). */
  blockAlign: number;
  dataOffset: number;
  /** Whole frames only: a trailing partial frame is dropped. */
  dataBytes: number;
}

const TAG_PCM = 0x0001;
const TAG_FLOAT = 0x0003;
const TAG_EXTENSIBLE = 0xfffe;
/** The 14 bytes every KSDATAFORMAT_SUBTYPE_* GUID shares after its 2-byte format tag. */
const EXTENSIBLE_GUID_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];
const TAG_NAMES: Record<number, string> = {
  0x0002: 'MS ADPCM',
  0x0006: 'A-law',
  0x0007: 'mu-law',
  0x0011: 'IMA ADPCM',
  0x0031: 'GSM 6.10',
  0x0055: 'MPEG Layer III',
};
/** A length field of all ones: "unknown" while streaming, or "see ds64" in RF64. */
const UNKNOWN_SIZE = 0xffffffff;

interface FmtChunk {
  tag: number;
  channels: number;
  sampleRate: number;
  blockAlign: number;
  bitsPerSample: number;
}

export async function readWavLayout(file: AudioFile): Promise<WavLayout> {
  const fail = (problem: string): never => {
    throw new AudioError(file.path, problem);
  };
  let fmt: FmtChunk | null = null;
  let data: { offset: number; declared: number } | null = null;
  let ds64DataBytes: number | null = null;

  // Walk chunk headers with positioned reads: 'LIST', 'bext' or 'JUNK' chunks can be large and
  // need not be read, and 'fmt ' may come after 'data' in files from sloppy writers.
  let pos = 12;
  while (pos + 8 <= file.size && !(fmt && data)) {
    const header = await file.readAt(pos, 8);
    const id = ascii(header, 0, 4);
    const size = new DataView(header.buffer, header.byteOffset, 8).getUint32(4, true);
    const body = pos + 8;
    if (id === 'data') {
      data = { offset: body, declared: size };
      const known = size === UNKNOWN_SIZE ? (ds64DataBytes ?? file.size - body) : size;
      pos = body + known + (known & 1);
      continue;
    }
    if (body + size > file.size) fail(`truncated WAV header ('${id.trim()}' chunk)`);
    if (id === 'fmt ') fmt = parseFmt(await file.readAt(body, Math.min(size, 64)), fail);
    if (id === 'ds64' && size >= 16) {
      const b = await file.readAt(body, 16);
      ds64DataBytes = Number(new DataView(b.buffer, b.byteOffset, 16).getBigUint64(8, true));
    }
    pos = body + size + (size & 1);
  }
  if (!fmt) return fail(pos < file.size || file.size <= 12 ? 'truncated WAV header' : 'WAV file has no fmt chunk');
  if (!data) return fail(pos < file.size ? 'truncated WAV header' : 'WAV file has no data chunk');

  const { encoding, bits } = sampleEncoding(fmt, fail);
  if (fmt.channels === 0) fail('corrupt WAV header (0 channels)');
  if (fmt.sampleRate === 0) fail('corrupt WAV header (sample rate 0)');
  if (fmt.sampleRate > MAX_SAMPLE_RATE) fail(`unsupported sample rate ${fmt.sampleRate} Hz (at most ${MAX_SAMPLE_RATE})`);
  const frameBytes = (fmt.channels * bits) / 8;
  if (fmt.blockAlign < frameBytes) fail(`corrupt WAV header (block align ${fmt.blockAlign} for ${fmt.channels} x ${bits}-bit)`);

  const available = file.size - data.offset;
  let dataBytes: number;
  if (data.declared === UNKNOWN_SIZE) dataBytes = Math.min(ds64DataBytes ?? available, available);
  else if (data.declared > available) {
    const seconds = (bytes: number): string => (bytes / fmt.blockAlign / fmt.sampleRate).toFixed(2);
    return fail(`truncated WAV data chunk (header says ${seconds(data.declared)} s, file holds ${seconds(available)} s)`);
  } else dataBytes = data.declared;
  dataBytes -= dataBytes % fmt.blockAlign;

  return {
    sampleRate: fmt.sampleRate,
    channels: fmt.channels,
    encoding,
    bitsPerSample: bits,
    blockAlign: fmt.blockAlign,
    dataOffset: data.offset,
    dataBytes,
  };
}

function parseFmt(b: Uint8Array, fail: (problem: string) => never): FmtChunk {
  if (b.length < 16) fail('corrupt WAV fmt chunk');
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let tag = v.getUint16(0, true);
  if (tag === TAG_EXTENSIBLE) {
    if (b.length < 40) fail('corrupt WAV fmt chunk (short WAVE_FORMAT_EXTENSIBLE)');
    const guidTail = b.subarray(26, 40);
    tag = EXTENSIBLE_GUID_TAIL.every((x, i) => guidTail[i] === x) ? v.getUint16(24, true) : -1;
  }
  return {
    tag,
    channels: v.getUint16(2, true),
    sampleRate: v.getUint32(4, true),
    blockAlign: v.getUint16(12, true),
    bitsPerSample: v.getUint16(14, true),
  };
}

function sampleEncoding(fmt: FmtChunk, fail: (problem: string) => never): { encoding: 'int' | 'float'; bits: number } {
  const bits = fmt.bitsPerSample;
  if (fmt.tag === TAG_PCM && (bits === 8 || bits === 16 || bits === 24 || bits === 32)) return { encoding: 'int', bits };
  if (fmt.tag === TAG_FLOAT && (bits === 32 || bits === 64)) return { encoding: 'float', bits };
  if (fmt.tag === TAG_PCM) return fail(`unsupported WAV encoding (${bits}-bit integer PCM)`);
  if (fmt.tag === TAG_FLOAT) return fail(`unsupported WAV encoding (${bits}-bit float)`);
  if (fmt.tag === -1) return fail('unsupported WAV encoding (unknown WAVE_FORMAT_EXTENSIBLE subformat)');
  const name = TAG_NAMES[fmt.tag] ?? `format tag 0x${fmt.tag.toString(16).padStart(4, '0')}`;
  return fail(`unsupported WAV encoding (${name})`);
}

/** The data chunk as mono float chunks (channels averaged), read `readBytes` at a time. */
export async function* readWavMono(file: AudioFile, layout: WavLayout, readBytes: number): AsyncGenerator<Float32Array> {
  const sample = sampleReader(layout);
  const { channels, blockAlign } = layout;
  const bytesPerSample = layout.bitsPerSample / 8;
  const end = layout.dataOffset + layout.dataBytes;
  for await (const bytes of file.chunks(layout.dataOffset, end, readBytes, blockAlign)) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const frames = Math.floor(bytes.length / blockAlign);
    const mono = new Float32Array(frames);
    if (channels === 1) {
      for (let i = 0; i < frames; i++) mono[i] = sample(view, i * blockAlign);
    } else {
      for (let i = 0; i < frames; i++) {
        let sum = 0;
        for (let c = 0, at = i * blockAlign; c < channels; c++, at += bytesPerSample) sum += sample(view, at);
        mono[i] = sum / channels;
      }
    }
    yield mono;
  }
}

type SampleReader = (view: DataView, at: number) => number;

function sampleReader({ encoding, bitsPerSample }: WavLayout): SampleReader {
  if (encoding === 'float') {
    // Float files can hold values past full scale, infinities and NaN; one NaN or infinity would
    // smear across the resampler's whole filter, so they become full scale and silence here.
    const clean = (x: number): number => (x > 1 ? 1 : x < -1 ? -1 : x === x ? x : 0);
    return bitsPerSample === 32 ? (v, at) => clean(v.getFloat32(at, true)) : (v, at) => clean(v.getFloat64(at, true));
  }
  switch (bitsPerSample) {
    case 8: // WAV's 8-bit samples alone are unsigned, centred on 128.
      return (v, at) => (v.getUint8(at) - 128) / 128;
    case 16:
      return (v, at) => v.getInt16(at, true) / 32768;
    case 24:
      return (v, at) => ((v.getInt8(at + 2) << 16) | v.getUint16(at, true)) / 8388608;
    default:
      return (v, at) => v.getInt32(at, true) / 2147483648;
  }
}
