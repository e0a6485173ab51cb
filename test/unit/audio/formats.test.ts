import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { decodeAudioFile, probeAudio, type AudioInfo } from '../../../electron/core/audio/index.js';
import {
  alignedCorrelation,
  ARCTIC,
  ensureAudioFixtures,
  fixture,
  maxAbsDiff,
  readManifest,
  REF_SAMPLES,
  rms,
} from './fixtures.js';

before(ensureAudioFixtures);

/** Decoding (resampling, mostly) is the cost of these tests: each file is decoded once. */
const decoded = new Map<string, Promise<Float32Array>>();
function decode(file: string): Promise<Float32Array> {
  if (!decoded.has(file)) decoded.set(file, decodeAudioFile(file));
  return decoded.get(file) as Promise<Float32Array>;
}

/** Each fixture: the same 7.5 s of real speech, stored another way. */
const VARIANTS: { name: string; info: Omit<AudioInfo, 'durationSeconds'>; minCorrelation: number }[] = [
  { name: 'pcm8.wav', info: { format: 'wav', sampleRate: 16000, channels: 1 }, minCorrelation: 0.999 },
  { name: 'pcm24-plain.wav', info: { format: 'wav', sampleRate: 16000, channels: 1 }, minCorrelation: 0.99999 },
  { name: 'pcm24-extensible.wav', info: { format: 'wav', sampleRate: 16000, channels: 1 }, minCorrelation: 0.99999 },
  { name: 'pcm32-extensible.wav', info: { format: 'wav', sampleRate: 16000, channels: 1 }, minCorrelation: 0.99999 },
  { name: 'float32.wav', info: { format: 'wav', sampleRate: 16000, channels: 1 }, minCorrelation: 0.99999 },
  { name: 'stereo-44k.wav', info: { format: 'wav', sampleRate: 44100, channels: 2 }, minCorrelation: 0.999 },
  { name: 'mono-8k.wav', info: { format: 'wav', sampleRate: 8000, channels: 1 }, minCorrelation: 0.99 },
  { name: 'ref.flac', info: { format: 'flac', sampleRate: 16000, channels: 1 }, minCorrelation: 0.99999 },
  { name: 'stereo-44k-24bit.flac', info: { format: 'flac', sampleRate: 44100, channels: 2 }, minCorrelation: 0.999 },
  { name: 'speech.opus', info: { format: 'opus', sampleRate: 48000, channels: 1 }, minCorrelation: 0.99 },
  { name: 'speech-16k.mp3', info: { format: 'mp3', sampleRate: 16000, channels: 1 }, minCorrelation: 0.99 },
  { name: 'id3-tagged.mp3', info: { format: 'mp3', sampleRate: 16000, channels: 1 }, minCorrelation: 0.99 },
  { name: 'speech-44k-stereo.mp3', info: { format: 'mp3', sampleRate: 44100, channels: 2 }, minCorrelation: 0.99 },
];

describe('every supported format decodes to the same speech at 16 kHz mono', () => {
  let reference: Float32Array;
  before(async () => {
    reference = await decode(fixture('ref16.wav'));
  });

  test('the 16-bit WAV reference reads as its samples / 32768', async () => {
    assert.equal(reference.length, REF_SAMPLES);
    assert.ok(rms(reference) > 0.05, 'reference holds speech, not silence');
    const flac = await decodeAudioFile(fixture('ref.flac'));
    assert.equal(maxAbsDiff(flac, reference), 0, 'lossless FLAC of the same samples is bit-identical');
    for (const v of reference) assert.equal(v * 32768, Math.round(v * 32768));
  });

  for (const { name, info, minCorrelation } of VARIANTS) {
    test(`${name}: probe reports ${info.format} ${info.sampleRate} Hz x${info.channels}, decode matches the reference`, async () => {
      const probed = await probeAudio(fixture(name));
      assert.deepEqual({ ...probed, durationSeconds: undefined }, { ...info, durationSeconds: undefined });
      assert.ok(Math.abs((probed.durationSeconds ?? NaN) - 7.5) < 1 / info.sampleRate + 1e-9, `probe duration ${probed.durationSeconds}`);

      const audio = await decode(fixture(name));
      assert.ok(Math.abs(audio.length - REF_SAMPLES) <= 1, `length ${audio.length}, want ${REF_SAMPLES} ± 1`);
      const { correlation, lag } = alignedCorrelation(reference, audio);
      assert.ok(Math.abs(lag) <= 1, `no delay added: best lag ${lag}`);
      assert.ok(correlation > minCorrelation, `correlation ${correlation.toFixed(5)} > ${minCorrelation}`);
      assert.ok(Math.abs(rms(audio) / rms(reference) - 1) < 0.1, 'level kept');
      for (const v of audio) assert.ok(v >= -1 && v <= 1);
    });
  }

  test('24/32-bit integer and 32-bit float WAV of 16-bit audio decode bit-identically to it', async () => {
    for (const name of ['pcm24-plain.wav', 'pcm24-extensible.wav', 'pcm32-extensible.wav', 'float32.wav']) {
      assert.equal(maxAbsDiff(await decode(fixture(name)), reference), 0, name);
    }
  });

  test('stereo is mixed down by averaging: a silent right channel halves the left', async () => {
    const audio = await decodeAudioFile(fixture('stereo-left-only.wav'));
    assert.equal(audio.length, REF_SAMPLES);
    for (let i = 0; i < audio.length; i++) assert.ok(Math.abs(audio[i] - reference[i] / 2) <= 1 / 32768, `sample ${i}`);
  });

  test('the format comes from the bytes, not the name: an MP3 called .wav loads as MP3', async () => {
    assert.equal((await probeAudio(fixture('mp3-named-as.wav'))).format, 'mp3');
    const audio = await decodeAudioFile(fixture('mp3-named-as.wav'));
    assert.ok(alignedCorrelation(reference, audio).correlation > 0.99);
  });
});

describe('decoders agree with other implementations on real corpus audio', () => {
  test('a training Ogg Opus file matches opusdec, sample for sample in time', async () => {
    const ours = await decodeAudioFile(path.join(ARCTIC, 'audio/arctic_cathy_a0035.opus'));
    const theirs = await decodeAudioFile(fixture('cathy-a0035.opusdec.wav'));
    assert.equal(ours.length, theirs.length);
    const { correlation, lag } = alignedCorrelation(theirs, ours);
    assert.equal(lag, 0);
    assert.ok(correlation > 0.999, `correlation ${correlation}`);
  });

  test('a stereo MP3 matches LAME’s own decoder', async () => {
    const ours = await decode(fixture('speech-44k-stereo.mp3'));
    const theirs = await decodeAudioFile(fixture('speech-44k-stereo.mp3.lame.wav'));
    assert.equal(ours.length, theirs.length);
    const { correlation, lag } = alignedCorrelation(theirs, ours);
    assert.equal(lag, 0);
    assert.ok(correlation > 0.999, `correlation ${correlation}`);
  });

  test('dev FLAC and training Opus files decode to their manifest durations (±1 sample)', async () => {
    const rows = [
      ...readManifest(path.join(ARCTIC, 'dev.tsv')).slice(0, 3),
      ...readManifest(path.join(ARCTIC, 'manifest.tsv')).slice(0, 3),
    ];
    assert.ok(rows.some((r) => r.audio.endsWith('.flac')) && rows.some((r) => r.audio.endsWith('.opus')));
    for (const row of rows) {
      const audio = await decodeAudioFile(row.audio);
      const seconds = audio.length / 16000;
      // Manifests round to milliseconds.
      assert.ok(Math.abs(seconds - row.durationS) <= 0.0005 + 1 / 16000, `${row.id}: ${seconds} s vs ${row.durationS} s`);
      const probed = await probeAudio(row.audio);
      assert.ok(Math.abs((probed.durationSeconds ?? NaN) - seconds) <= 1 / 16000, `${row.id}: probe ${probed.durationSeconds}`);
      assert.ok(rms(audio) > 0.01, `${row.id} holds speech`);
    }
  });
});
