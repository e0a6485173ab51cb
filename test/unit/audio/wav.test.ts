import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { decodeAudioFile, encodeWav16, probeAudio } from '../../../electron/core/audio/index.js';
import { maxAbsDiff } from './fixtures.js';

let dir: string;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-wav-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, bytes: Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

/** A short 16-bit-exact ramp, so every decoded sample can be checked. */
const SAMPLES = Float32Array.from({ length: 4000 }, (_, i) => Math.round(((i % 200) - 100) * 300) / 32768);

function chunk(id: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.write(id, 0, 'ascii');
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body, body.length & 1 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}

describe('encodeWav16', () => {
  test('writes a 44-byte PCM mono header and samples that decode back exactly', async () => {
    const wav = encodeWav16(SAMPLES);
    assert.equal(wav.length, 44 + SAMPLES.length * 2);
    assert.equal(wav.toString('ascii', 0, 4), 'RIFF');
    assert.equal(wav.readUInt32LE(4), wav.length - 8);
    assert.equal(wav.readUInt16LE(20), 1);
    assert.equal(wav.readUInt16LE(22), 1);
    assert.equal(wav.readUInt32LE(24), 16000);
    assert.equal(wav.readUInt16LE(34), 16);
    assert.equal(wav.readUInt32LE(40), SAMPLES.length * 2);
    assert.equal(maxAbsDiff(await decodeAudioFile(write('ramp.wav', wav)), SAMPLES), 0);
  });

  test('clips out-of-range samples and maps NaN to silence', () => {
    const wav = encodeWav16(new Float32Array([2, -2, 1, -1, NaN]), 8000);
    assert.deepEqual([0, 1, 2, 3, 4].map((i) => wav.readInt16LE(44 + 2 * i)), [32767, -32768, 32767, -32768, 0]);
    assert.equal(wav.readUInt32LE(24), 8000);
  });
});

describe('WAV container variants', () => {
  const plain = encodeWav16(SAMPLES);
  const fmt = plain.subarray(20, 36);
  const data = plain.subarray(44);

  test('chunks before fmt (LIST with an odd size, padded) are skipped', async () => {
    const body = Buffer.concat([Buffer.from('WAVE'), chunk('LIST', Buffer.from('INFOabc')), chunk('fmt ', fmt), chunk('data', data)]);
    const riff = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), body]);
    riff.writeUInt32LE(body.length, 4);
    assert.equal(maxAbsDiff(await decodeAudioFile(write('list.wav', riff)), SAMPLES), 0);
  });

  test('a data size of 0xFFFFFFFF (written while streaming) reads to the end of the file', async () => {
    const streaming = Buffer.from(plain);
    streaming.writeUInt32LE(0xffffffff, 40);
    const file = write('streaming.wav', streaming);
    assert.equal((await probeAudio(file)).durationSeconds, SAMPLES.length / 16000);
    assert.equal(maxAbsDiff(await decodeAudioFile(file), SAMPLES), 0);
  });

  test('RF64 takes its data size from the ds64 chunk', async () => {
    const ds64 = Buffer.alloc(28);
    ds64.writeBigUInt64LE(BigInt(data.length), 8);
    ds64.writeBigUInt64LE(BigInt(SAMPLES.length), 16);
    const dataChunk = chunk('data', data);
    dataChunk.writeUInt32LE(0xffffffff, 4);
    const rf64 = Buffer.concat([Buffer.from('RF64'), Buffer.from([0xff, 0xff, 0xff, 0xff]), Buffer.from('WAVE'), chunk('ds64', ds64), chunk('fmt ', fmt), dataChunk]);
    // A trailing chunk proves the length came from ds64, not from the end of the file.
    const file = write('rf64.wav', Buffer.concat([rf64, chunk('LIST', Buffer.from('INFO'))]));
    assert.equal((await probeAudio(file)).format, 'wav');
    assert.equal(maxAbsDiff(await decodeAudioFile(file), SAMPLES), 0);
  });

  test('a trailing partial frame is dropped', async () => {
    const odd = Buffer.concat([plain, Buffer.from([0x12])]);
    odd.writeUInt32LE(data.length + 1, 40);
    assert.equal(maxAbsDiff(await decodeAudioFile(write('odd.wav', odd)), SAMPLES), 0);
  });

  test('float samples beyond full scale come out clipped to [-1, 1], NaN as silence', async () => {
    const f32 = Buffer.alloc(44 + 20);
    plain.copy(f32, 0, 0, 44);
    f32.writeUInt16LE(3, 20);
    f32.writeUInt32LE(16000 * 4, 28);
    f32.writeUInt16LE(4, 32);
    f32.writeUInt16LE(32, 34);
    f32.writeUInt32LE(20, 40);
    [1.5, -3, 0.5, NaN, -Infinity].forEach((v, i) => f32.writeFloatLE(v, 44 + 4 * i));
    assert.deepEqual(Array.from(await decodeAudioFile(write('hot.wav', f32))), [1, -1, 0.5, 0, -1]);
  });
});
