/**
 * Ogg Opus headers: channels from OpusHead, length from the last page's granule position (read
 * from the file's tail, so long files are not scanned), and whether the stream was cut short.
 */
import { AudioError } from '../errors.js';
import type { AudioFile } from './audio-file.js';
import { ascii } from './bytes.js';

/** Opus always decodes at 48 kHz, whatever rate the encoder was given. */
export const OPUS_RATE = 48_000;

/** The largest Ogg page: a 27-byte header, 255 lacing values and 255 x 255 bytes of body. */
const MAX_PAGE_BYTES = 27 + 255 + 255 * 255;
const FLAG_END_OF_STREAM = 0x04;

export interface OpusInfo {
  channels: number;
  durationSeconds: number | null;
}

interface OggPage {
  flags: number;
  granule: bigint;
  serial: number;
  bytes: number;
  crc: number;
}

export async function readOpusInfo(file: AudioFile, start: number): Promise<OpusInfo> {
  const head = await file.readAt(start, 512);
  const first = parsePage(head, 0);
  if (!first || first.bytes > head.length) throw new AudioError(file.path, 'truncated Ogg Opus header');
  const packet = 27 + head[26];
  if (ascii(head, packet, 8) !== 'OpusHead') throw new AudioError(file.path, 'corrupt Ogg Opus header');
  const channels = head[packet + 9];
  const preSkip = new DataView(head.buffer, head.byteOffset + packet + 10, 2).getUint16(0, true);
  if (channels === 0) throw new AudioError(file.path, 'corrupt Ogg Opus header (0 channels)');

  const last = await lastPage(file, start);
  // A file whose writer stopped mid-way ends without its end-of-stream page (or mid-page).
  if (!last || !(last.flags & FLAG_END_OF_STREAM)) throw new AudioError(file.path, 'truncated Ogg Opus stream');
  const durationSeconds =
    last.serial === first.serial && last.granule >= 0n ? Math.max(0, Number(last.granule) - preSkip) / OPUS_RATE : null;
  return { channels, durationSeconds };
}

/** The last page, if a whole one with a valid checksum ends exactly at the end of the file. */
async function lastPage(file: AudioFile, start: number): Promise<OggPage | null> {
  const from = Math.max(start, file.size - MAX_PAGE_BYTES);
  const tail = await file.readAt(from, file.size - from);
  for (let at = tail.length - 27; at >= 0; at--) {
    if (tail[at] !== 0x4f || ascii(tail, at, 4) !== 'OggS') continue;
    // 'OggS' can occur by chance inside a page's body, so a candidate must also check out.
    const page = parsePage(tail, at);
    if (page && at + page.bytes === tail.length && oggCrc(tail.subarray(at, at + page.bytes)) === page.crc) {
      return page;
    }
  }
  return null;
}

function parsePage(b: Uint8Array, at: number): OggPage | null {
  if (ascii(b, at, 4) !== 'OggS' || at + 27 > b.length || b[at + 4] !== 0) return null;
  const segments = b[at + 26];
  if (at + 27 + segments > b.length) return null;
  let body = 0;
  for (let i = 0; i < segments; i++) body += b[at + 27 + i];
  const v = new DataView(b.buffer, b.byteOffset + at, 27);
  return {
    flags: b[at + 5],
    granule: v.getBigInt64(6, true),
    serial: v.getUint32(14, true),
    crc: v.getUint32(22, true),
    bytes: 27 + segments + body,
  };
}

let crcTable: Uint32Array | null = null;

/** Ogg's CRC-32 (polynomial 0x04c11db7, not reflected, initial 0) over a page with its CRC field as zeros. */
function oggCrc(page: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let i = 0; i < 256; i++) {
      let r = i << 24;
      for (let k = 0; k < 8; k++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
      crcTable[i] = r >>> 0;
    }
  }
  let crc = 0;
  for (let i = 0; i < page.length; i++) {
    const byte = i >= 22 && i < 26 ? 0 : page[i];
    crc = ((crc << 8) ^ crcTable[((crc >>> 24) ^ byte) & 0xff]) >>> 0;
  }
  return crc;
}
