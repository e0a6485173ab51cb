import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { encodeWav } from '../../../electron/core/recording/wav.js';
import { CHUNK_BYTES, chunksOf, openSessionAudio, parseRange } from '../../../electron/server/audio-response.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-audio-response-'));
const wavFile = (name: string, pcm: Int16Array, cutHeader = false): string => {
  const p = path.join(dir, name);
  const buf = encodeWav(pcm);
  if (cutHeader) buf.writeUInt32LE(0, 40); // a recording still open: the header says 0 bytes
  fs.writeFileSync(p, buf);
  return p;
};
const ramp = (n: number, k: number): Int16Array => Int16Array.from({ length: n }, (_, i) => ((i * k) % 60000) - 30000);

/** The whole WAV the old code built in memory: the one file, or the channels summed and clipped. */
function expected(tracks: Int16Array[]): Uint8Array {
  const n = Math.max(...tracks.map((t) => t.length));
  const mix = new Int16Array(n);
  for (let i = 0; i < n; i++) mix[i] = Math.max(-32768, Math.min(32767, tracks.reduce((s, t) => s + (i < t.length ? t[i] : 0), 0)));
  return new Uint8Array(encodeWav(mix));
}

test('a range of a session WAV is exactly those bytes of the whole WAV: header, odd offsets, two channels mixed and clipped', () => {
  const a = ramp(5001, 7);
  const b = ramp(4000, 13); // shorter: the mix runs on with the first channel alone
  const whole = expected([a, b]);
  const audio = openSessionAudio([wavFile('a.wav', a), wavFile('b.wav', b, true)]);
  assert.ok(audio);
  assert.equal(audio.size, whole.length);
  for (const [s, e] of [[0, whole.length - 1], [0, 0], [3, 50], [43, 44], [44, 44], [45, 46], [101, 8999], [whole.length - 3, whole.length - 1]]) {
    assert.deepEqual(audio.read(s, e), whole.subarray(s, e + 1), `bytes ${s}-${e}`);
  }
  assert.throws(() => audio.read(10, whole.length), /outside/);
});

test('one channel is served from its file by the file length, not by a header a crash left unfixed', () => {
  const a = ramp(777, 3);
  const audio = openSessionAudio([wavFile('c.wav', a, true)]);
  assert.ok(audio);
  assert.deepEqual(audio.read(0, audio.size - 1), expected([a]));
  assert.equal(openSessionAudio([]), null);
  assert.equal(openSessionAudio([path.join(dir, 'deleted.wav')]), null, 'a session deleted meanwhile is a 404, not a crash');
});

test('a long range streams in chunks, each read only as it is pulled', () => {
  const a = ramp(CHUNK_BYTES, 5); // 2 MiB of samples: three chunks from byte 10
  const audio = openSessionAudio([wavFile('d.wav', a)]);
  assert.ok(audio);
  const parts = [...chunksOf(audio, 10, audio.size - 1)];
  assert.deepEqual(parts.map((p) => p.length), [CHUNK_BYTES, CHUNK_BYTES, audio.size - 10 - 2 * CHUNK_BYTES]);
  assert.deepEqual(Buffer.concat(parts), Buffer.from(expected([a]).subarray(10)));
});

test('parseRange: open, closed, suffix and past-the-end ranges; anything else is the whole body', () => {
  assert.deepEqual(parseRange('bytes=0-', 1000), { start: 0, end: 999 });
  assert.deepEqual(parseRange('bytes=100-199', 1000), { start: 100, end: 199 });
  assert.deepEqual(parseRange('bytes=900-5000', 1000), { start: 900, end: 999 });
  assert.deepEqual(parseRange('bytes=-100', 1000), { start: 900, end: 999 });
  assert.deepEqual(parseRange('bytes=-5000', 1000), { start: 0, end: 999 });
  assert.equal(parseRange('bytes=1000-', 1000), 'unsatisfiable');
  assert.equal(parseRange('bytes=200-100', 1000), 'unsatisfiable');
  assert.equal(parseRange(undefined, 1000), null);
  assert.equal(parseRange('bytes=0-1,5-9', 1000), null);
  assert.equal(parseRange('items=0-1', 1000), null);
  assert.equal(parseRange('bytes=-', 1000), null);
});
