import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { decodeAudioFile, encodeWav16, probeAudio } from '../../../electron/core/audio/index.js';
import { AudioError } from '../../../electron/core/errors.js';
import { ensureAudioFixtures, fixture, FIXTURES } from './fixtures.js';

before(ensureAudioFixtures);

/** Asserts an AudioError whose single-line message is "<the path>: <problem>". */
async function rejectsNaming(work: Promise<unknown>, file: string, problem: RegExp): Promise<void> {
  await assert.rejects(work, (err: unknown) => {
    assert.ok(err instanceof AudioError, `AudioError, got ${String(err)}`);
    assert.ok(err.userMessage.startsWith(`${file}: `), `names the file: ${err.userMessage}`);
    assert.ok(!err.userMessage.includes('\n'), `one line: ${JSON.stringify(err.userMessage)}`);
    assert.match(err.userMessage.slice(file.length + 2), problem);
    return true;
  });
}

/** Problems visible in the headers: probeAudio and decoding both report them. */
const HEADER_PROBLEMS: [string, RegExp][] = [
  ['empty.wav', /^empty file$/],
  ['truncated.wav', /^truncated WAV data chunk \(header says 7\.50 s, file holds 1\.87 s\)$/],
  ['header-only.wav', /^truncated WAV data chunk/],
  ['mulaw.wav', /^unsupported WAV encoding \(mu-law\)$/],
  ['notaudio.wav', /^unsupported audio format \(not WAV, FLAC, Ogg Opus or MP3\)$/],
  ['garbage.bin', /^unsupported audio format \(not WAV, FLAC, Ogg Opus or MP3\)$/],
  ['riff-avi.wav', /^unsupported audio format \(RIFF AVI, not WAVE\)$/],
  ['vorbis.ogg', /^unsupported audio format \(Ogg Vorbis, not Opus\)$/],
  ['truncated.opus', /^truncated Ogg Opus stream$/],
];

/** Problems only decoding finds: the header is fine, the audio after it is not. */
const STREAM_PROBLEMS: [string, RegExp][] = [
  // How much decodes before the cut depends on the encoder's frame sizes.
  ['truncated.flac', /^FLAC stream ends early \(decoded [1-6]\.\d\d s of 7\.50 s\): truncated or corrupt$/],
  ['corrupt.flac', /^FLAC stream ends early .*: truncated or corrupt$/],
  ['truncated.mp3', /^MP3 stream ends early \(decoded [1-6]\.\d\d s of 7\.50 s\): truncated or corrupt$/],
  // The wasm decoders also print these to stderr themselves.
  ['corrupt.mp3', /^corrupt MP3 data \(.*MPG123_ERR\)$/],
  ['corrupt.opus', /^corrupt Ogg Opus data \(.*OPUS_INVALID_PACKET.*\)$/],
];

describe('bad input gives a one-line AudioError naming the file', () => {
  for (const [name, problem] of HEADER_PROBLEMS) {
    test(`${name}: ${problem.source.replace(/\\/g, '').replace(/^\^|\$$/g, '')}`, async () => {
      await rejectsNaming(probeAudio(fixture(name)), fixture(name), problem);
      await rejectsNaming(decodeAudioFile(fixture(name)), fixture(name), problem);
    });
  }

  for (const [name, problem] of STREAM_PROBLEMS) {
    test(`${name}: probe passes (the header is intact), decoding fails`, async () => {
      assert.equal((await probeAudio(fixture(name))).durationSeconds, 7.5);
      await rejectsNaming(decodeAudioFile(fixture(name)), fixture(name), problem);
    });
  }

  test('a missing file: "file not found", with the path as given', async () => {
    await rejectsNaming(probeAudio('missing.wav'), 'missing.wav', /^file not found$/);
    await rejectsNaming(decodeAudioFile('missing.wav'), 'missing.wav', /^file not found$/);
  });

  test('a directory is not an audio file', async () => {
    await rejectsNaming(decodeAudioFile(FIXTURES), FIXTURES, /^is a directory/);
  });

  describe('WAV headers that lie', () => {
    let dir: string;
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-audio-'));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    /** A valid 16 kHz mono WAV with `edit` applied to its bytes. */
    function wavWith(name: string, edit: (b: Buffer) => Buffer | void): string {
      const good = encodeWav16(new Float32Array(1600).fill(0.25));
      const file = path.join(dir, name);
      fs.writeFileSync(file, edit(good) ?? good);
      return file;
    }

    const cases: [string, (b: Buffer) => Buffer | void, RegExp][] = [
      ['zero channels', (b) => void b.writeUInt16LE(0, 22), /^corrupt WAV header \(0 channels\)$/],
      ['sample rate 0', (b) => void b.writeUInt32LE(0, 24), /^corrupt WAV header \(sample rate 0\)$/],
      ['sample rate above 192 kHz', (b) => void b.writeUInt32LE(384_000, 24), /^unsupported sample rate 384000 Hz/],
      ['12-bit samples', (b) => void b.writeUInt16LE(12, 34), /^unsupported WAV encoding \(12-bit integer PCM\)$/],
      ['a block align too small for its samples', (b) => void b.writeUInt16LE(1, 32), /^corrupt WAV header \(block align 1/],
      ['no fmt chunk', (b) => void b.write('junk', 12, 'ascii'), /^WAV file has no fmt chunk$/],
      ['a fmt chunk that runs off the end', (b) => b.subarray(0, 30), /^truncated WAV header/],
      ['no data chunk', (b) => b.subarray(0, 36), /^WAV file has no data chunk$/],
      ['an empty data chunk', (b) => {
        b.writeUInt32LE(0, 40);
        return b.subarray(0, 44);
      }, /^contains no audio samples$/],
    ];
    for (const [what, edit, problem] of cases) {
      test(what, async () => {
        const file = wavWith(`${what.replace(/\W+/g, '-')}.wav`, edit);
        await rejectsNaming(decodeAudioFile(file), file, problem);
      });
    }
  });
});
