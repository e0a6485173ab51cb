/**
 * The wire format shared by every transport: JSON envelopes for requests, responses and events
 * (bytes carried as base64), and a compact binary form for 20 ms audio frames.
 */
import { ContractError } from './schema.js';
import type { AudioChannel } from './channels.js';

export interface WireError {
  code: string;
  message: string;
}

export type WireMessage =
  | { t: 'req'; id: number; ch: string; p: unknown }
  | { t: 'res'; id: number; ok: true; v: unknown }
  | { t: 'res'; id: number; ok: false; err: WireError }
  | { t: 'evt'; ch: string; p: unknown };

/** Validates the envelope only; the payload is validated against its channel by the receiver. */
export function parseWireMessage(v: unknown): WireMessage {
  if (typeof v !== 'object' || v === null) throw new ContractError('message', 'expected an object');
  const m = v as Record<string, unknown>;
  const isId = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;
  const isCh = (x: unknown): x is string => typeof x === 'string' && x.length > 0 && x.length <= 100;
  switch (m.t) {
    case 'req':
      if (!isId(m.id) || !isCh(m.ch)) break;
      return { t: 'req', id: m.id, ch: m.ch, p: m.p };
    case 'evt':
      if (!isCh(m.ch)) break;
      return { t: 'evt', ch: m.ch, p: m.p };
    case 'res':
      if (!isId(m.id)) break;
      if (m.ok === true) return { t: 'res', id: m.id, ok: true, v: m.v };
      if (m.ok === false && typeof m.err === 'object' && m.err !== null) {
        const e = m.err as Record<string, unknown>;
        return { t: 'res', id: m.id, ok: false, err: { code: String(e.code ?? 'error'), message: String(e.message ?? 'failed') } };
      }
      break;
  }
  throw new ContractError('message', 'malformed envelope');
}

// ---------- base64 for bytes inside JSON (pure, no Buffer/btoa dependency) ----------
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

export function toBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  const CHUNK = 3 * 4096;
  for (let off = 0; off < bytes.length; off += CHUNK) {
    const end = Math.min(off + CHUNK, bytes.length);
    let out = '';
    for (let i = off; i < end; i += 3) {
      const a = bytes[i];
      const b = i + 1 < end ? bytes[i + 1] : 0;
      const c = i + 2 < end ? bytes[i + 2] : 0;
      const n = (a << 16) | (b << 8) | c;
      out += ALPHABET[(n >> 18) & 63] + ALPHABET[(n >> 12) & 63];
      out += i + 1 < end ? ALPHABET[(n >> 6) & 63] : '=';
      out += i + 2 < end ? ALPHABET[n & 63] : '=';
    }
    parts.push(out);
  }
  return parts.join('');
}

export function fromBase64(text: string): Uint8Array {
  const clean = text.replace(/=+$/, '');
  if (clean.length % 4 === 1) throw new ContractError('bytes', 'bad base64 length');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let o = 0;
  for (let i = 0; i < clean.length; i += 4) {
    let n = 0;
    let k = 0;
    for (; k < 4 && i + k < clean.length; k++) {
      const code = clean.charCodeAt(i + k);
      const v = code < 128 ? LOOKUP[code] : -1;
      if (v < 0) throw new ContractError('bytes', 'bad base64 character');
      n |= v << (18 - 6 * k);
    }
    out[o++] = (n >> 16) & 255;
    if (k > 2) out[o++] = (n >> 8) & 255;
    if (k > 3) out[o++] = n & 255;
  }
  return out;
}

const BYTES_KEY = '$bytes';

/**
 * JSON with Uint8Array values carried as {"$bytes": base64}. The replacer looks at the holder's own
 * value: a Node Buffer (a Uint8Array) has already been turned into {type, data} by its toJSON.
 */
export function encodeJson(msg: WireMessage): string {
  return JSON.stringify(msg, function (this: Record<string, unknown>, k: string, v: unknown) {
    const raw = this[k];
    return raw instanceof Uint8Array ? { [BYTES_KEY]: toBase64(raw) } : v;
  });
}

export function decodeJson(text: string): WireMessage {
  const raw: unknown = JSON.parse(text, (_k, v: unknown) => {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o);
      if (keys.length === 1 && keys[0] === BYTES_KEY && typeof o[BYTES_KEY] === 'string') return fromBase64(o[BYTES_KEY]);
    }
    return v;
  });
  return parseWireMessage(raw);
}

// ---------- audio frames ----------
export const SAMPLE_RATE = 16_000;
/** 20 ms at 16 kHz. */
export const FRAME_SAMPLES = 320;
const FRAME_MAGIC = 0x48; // 'H'
const HEADER_BYTES = 8;
/** Frames larger than 1 s are refused: the worklet sends 20 ms. */
const MAX_FRAME_SAMPLES = SAMPLE_RATE;

export interface AudioFrame {
  channel: AudioChannel;
  /** Per-channel frame counter from the renderer, to spot gaps. */
  seq: number;
  /** 16 kHz mono Int16 samples. */
  pcm: Int16Array;
}

/** [magic u8][channel u8][reserved u16][seq u32 LE][pcm Int16 LE…] */
export function encodeFrame(frame: AudioFrame): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES + frame.pcm.length * 2);
  const view = new DataView(out.buffer);
  view.setUint8(0, FRAME_MAGIC);
  view.setUint8(1, frame.channel);
  view.setUint32(4, frame.seq >>> 0, true);
  for (let i = 0; i < frame.pcm.length; i++) view.setInt16(HEADER_BYTES + 2 * i, frame.pcm[i], true);
  return out;
}

export function decodeFrame(bytes: Uint8Array): AudioFrame {
  if (bytes.byteLength < HEADER_BYTES || (bytes.byteLength - HEADER_BYTES) % 2 !== 0) throw new ContractError('frame', 'bad length');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint8(0) !== FRAME_MAGIC) throw new ContractError('frame', 'bad magic');
  const channel = view.getUint8(1);
  if (channel !== 0 && channel !== 1) throw new ContractError('frame', 'bad channel');
  const n = (bytes.byteLength - HEADER_BYTES) / 2;
  if (n > MAX_FRAME_SAMPLES) throw new ContractError('frame', 'too long');
  const pcm = new Int16Array(n);
  for (let i = 0; i < n; i++) pcm[i] = view.getInt16(HEADER_BYTES + 2 * i, true);
  return { channel, seq: view.getUint32(4, true), pcm };
}

/**
 * A process-boundary listener: validates each raw message and hands on only well-formed ones;
 * a malformed one is reported, never thrown into the transport. Both worker doors use it.
 */
export function validatedListener(handler: (m: WireMessage) => void, report: (problem: string, err: unknown) => void): (raw: unknown) => void {
  return (raw) => {
    let message: WireMessage;
    try {
      message = parseWireMessage(raw);
    } catch (err) {
      report('bad message from worker', err);
      return;
    }
    handler(message);
  };
}
