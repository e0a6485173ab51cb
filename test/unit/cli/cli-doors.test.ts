import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoPath, sharedPath } from '../../helpers/paths.js';
import { tempDir } from '../../helpers/temp-dir.js';

const CLI = repoPath('electron/cli/hushscribe.mjs');
const dir = tempDir('hush-cli-');

function cli(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, HUSHSCRIBE_LOG: 'warn' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function assertOneLineError(r: { code: number; stderr: string }, mustName: string): void {
  assert.notEqual(r.code, 0);
  const lines = r.stderr.trim().split('\n').filter((l) => l.startsWith('hushscribe'));
  assert.equal(lines.length, 1, r.stderr);
  assert.ok(lines[0].includes(mustName), lines[0]);
  assert.ok(!r.stderr.includes('    at '), `no stack trace:\n${r.stderr}`);
}

describe('the hushscribe CLI', () => {
  it('transcribes real spoken digits with the fixture model', () => {
    const r = cli('transcribe', sharedPath('data/corpora/fsdd/audio/dev/0_theo_0.flac'), '--model', 'fixture', '--no-lm');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'zero');
  });

  it('writes SRT with timestamps', () => {
    const r = cli('transcribe', sharedPath('data/corpora/fsdd/audio/dev/0_theo_0.flac'), '--model', 'fixture', '--format', 'srt');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^1\n\d\d:\d\d:\d\d,\d{3} --> \d\d:\d\d:\d\d,\d{3}\n/);
  });

  it('refuses a corrupt audio file in one line naming it', () => {
    const bad = join(dir, 'corrupt.wav');
    writeFileSync(bad, Buffer.concat([Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt '), Buffer.alloc(8)]));
    assertOneLineError(cli('transcribe', bad, '--model', 'fixture'), bad);
  });

  it('refuses a missing model file in one line naming it', () => {
    const missing = join(dir, 'missing.onnx');
    assertOneLineError(cli('transcribe', sharedPath('data/corpora/fsdd/audio/dev/0_theo_0.flac'), '--model', missing), missing);
  });

  for (const name of ['teacher', 'student']) {
    it(`says the ${name} model is not built yet while it is missing`, (t) => {
      if (existsSync(repoPath(`models/${name}/${name}.onnx`))) { t.skip(`models/${name}/${name}.onnx exists`); return; }
      const r = cli('transcribe', sharedPath('data/corpora/fsdd/audio/dev/0_theo_0.flac'), '--model', name);
      assertOneLineError(r, `${name}.onnx`);
      assert.match(r.stderr, /not built yet/);
    });
  }

  it('--help and help COMMAND print that command\'s usage and exit 0, before checking anything else', () => {
    for (const args of [['eval', '--help'], ['help', 'eval'], ['eval', 'no-such.tsv', '-h']]) {
      const r = cli(...args);
      assert.equal(r.code, 0, args.join(' '));
      assert.match(r.stdout, /^usage: hushscribe eval: score a manifest/, args.join(' '));
    }
    assert.match(cli('help').stdout, /transcribe[\s\S]*adapt/);
  });

  it('refuses an unknown provider and an unknown option', () => {
    assertOneLineError(cli('transcribe', 'x.wav', '--provider', 'tpu'), 'tpu');
    assertOneLineError(cli('transcribe', 'x.wav', '--colour'), '--colour');
    assertOneLineError(cli('transcribe', 'x.wav', '--threads', 'two'), '--threads');
  });

  it('eval ends with "WER <x> RTF <y>" and writes hypotheses and references', () => {
    const manifest = join(dir, 'digits.tsv');
    writeFileSync(manifest, ['id\taudio\tduration_s\tspeaker\ttext',
      `a\t${sharedPath('data/corpora/fsdd/audio/dev/0_theo_0.flac')}\t0.5\ttheo\tzero`,
      `b\t${sharedPath('data/corpora/fsdd/audio/dev/0_theo_1.flac')}\t0.5\ttheo\tzero`].join('\n'));
    const out = join(dir, 'results.json');
    const r = cli('eval', manifest, '--model', 'fixture', '--no-lm', '--out', out, '--quiet');
    assert.equal(r.code, 0, r.stderr);
    const last = r.stdout.trim().split('\n').at(-1) ?? '';
    assert.match(last, /^WER \d+\.\d+ RTF \d+\.\d+$/);
    assert.match(r.stdout, /substitutions \d+, deletions \d+, insertions \d+/);
  });

  it('refuses a manifest row with symbols outside the alphabet, naming the line', () => {
    const manifest = join(dir, 'bad.tsv');
    writeFileSync(manifest, 'id\taudio\tduration_s\tspeaker\ttext\na\tx.flac\t1.0\ts\tHello World!\n');
    assertOneLineError(cli('eval', manifest, '--model', 'fixture'), `${manifest}:2`);
  });
});
