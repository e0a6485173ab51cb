import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { CaptureSession } from '../../../electron/core/recording/capture.js';
import { RecordingStore, newSessionId } from '../../../electron/core/recording/store.js';
import { WavWriter, readWavSamples, repairWav, wavSampleCount } from '../../../electron/core/recording/wav.js';
import { tempDir } from '../../helpers/temp-dir.js';

const tmp = tempDir('hush-rec-');

const tone = (n: number, seed = 1) => Int16Array.from({ length: n }, (_, i) => Math.round(8000 * Math.sin((i * seed) / 7)));

test('samples are on disk as soon as write returns, before any close (a SIGKILL loses nothing written)', () => {
  const file = path.join(tmp, 'live.wav');
  const w = WavWriter.create(file, { syncEveryMs: 60_000 });
  w.write(tone(16_000));
  w.write(tone(8_000, 2));
  // Another reader (or the next process after a kill) sees every sample.
  assert.equal(wavSampleCount(file), 24_000);
  assert.deepEqual(readWavSamples(file, 16_000, 10), tone(8_000, 2).subarray(0, 10));
  // The header is stale until a sync; repair fixes it from the real length.
  assert.equal(fs.readFileSync(file).readUInt32LE(40), 0);
  const info = repairWav(file);
  assert.equal(info.dataBytes, 48_000);
  assert.equal(info.repaired, true);
  const buf = fs.readFileSync(file);
  assert.equal(buf.readUInt32LE(40), 48_000);
  assert.equal(buf.readUInt32LE(4), 36 + 48_000);
  w.close();
});

test('the header is refreshed on every sync, so the file is a valid WAV at most a second old', () => {
  const file = path.join(tmp, 'sync.wav');
  const w = WavWriter.create(file, { syncEveryMs: 0 });
  w.write(tone(3200));
  assert.equal(fs.readFileSync(file).readUInt32LE(40), 6400);
  w.close();
});

test('repair drops a torn odd byte and rebuilds a header shorter than 44 bytes', () => {
  const torn = path.join(tmp, 'torn.wav');
  const w = WavWriter.create(torn);
  w.write(tone(100));
  w.close();
  fs.appendFileSync(torn, Buffer.from([7]));
  assert.equal(repairWav(torn).dataBytes, 200);
  assert.equal(fs.statSync(torn).size, 244);
  const stub = path.join(tmp, 'stub.wav');
  fs.writeFileSync(stub, Buffer.from('RIFF'));
  assert.equal(repairWav(stub).dataBytes, 0);
  assert.equal(fs.statSync(stub).size, 44);
});

test('a session left recording by a killed host is recovered with its audio and segments', () => {
  const store = new RecordingStore(path.join(tmp, 'store'));
  const id = newSessionId();
  const cap = new CaptureSession(store, { id, title: 't', createdAt: Date.now(), durationS: 0, state: 'recording', channels: [0, 1] });
  for (let seq = 0; seq < 150; seq++) cap.write({ channel: 0, seq, pcm: tone(320) });
  for (let seq = 0; seq < 100; seq++) cap.write({ channel: 1, seq, pcm: tone(320, 3) });
  store.appendSegments(id, [{ sessionId: id, channel: 0, start: 0.5, end: 1.2, text: 'one two', words: [] }]);
  fs.appendFileSync(path.join(store.dir(id), 'segments.jsonl'), '{"sessionId":"'); // torn by the kill
  // No stop(): the process "dies" here.
  const recovered = store.recoverInterrupted();
  assert.equal(recovered.length, 1);
  assert.equal(recovered[0].state, 'recovered');
  assert.equal(recovered[0].durationS, 3);
  assert.equal(store.readMeta(id).state, 'recovered');
  assert.deepEqual(store.readSegments(id).map((s) => s.text), ['one two']);
  assert.equal(fs.readFileSync(store.wavPath(id, 1)).readUInt32LE(40), 100 * 640);
});

test('capture fills lost frames with silence, drops paused audio, and closes a valid file on stop', () => {
  const store = new RecordingStore(path.join(tmp, 'store2'));
  const id = newSessionId();
  const cap = new CaptureSession(store, { id, title: 't', createdAt: Date.now(), durationS: 0, state: 'recording', channels: [0] });
  cap.write({ channel: 0, seq: 0, pcm: tone(320) });
  cap.write({ channel: 0, seq: 3, pcm: tone(320) }); // frames 1 and 2 were lost
  assert.equal(cap.durationS, (4 * 320) / 16_000);
  cap.pause();
  cap.write({ channel: 0, seq: 4, pcm: tone(320) });
  assert.equal(store.readMeta(id).state, 'paused');
  cap.resume();
  cap.write({ channel: 0, seq: 60, pcm: tone(320) }); // counter kept running while paused: no fill
  const meta = cap.stop();
  assert.equal(meta.state, 'done');
  assert.equal(meta.durationS, (5 * 320) / 16_000);
  assert.equal(fs.readFileSync(store.wavPath(id, 0)).readUInt32LE(40), 5 * 640);
  assert.deepEqual(store.recoverInterrupted(), []);
});

test('session ids are checked before they touch the file system', () => {
  const store = new RecordingStore(path.join(tmp, 'store3'));
  assert.throws(() => store.dir('../etc'), /not a session id/);
  assert.equal(store.exists('../../x'), false);
});
