import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoPath, sharedPath } from '../../helpers/paths.js';
import { adaptFixture } from './fixture.js';

const fx = adaptFixture();
const CLI = repoPath('electron/cli/hushscribe.mjs');
const ARCTIC = sharedPath('data/corpora/arctic_native');

function manifest(n: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'hush-cli-'));
  const lines = readFileSync(join(ARCTIC, 'dev.tsv'), 'utf8').trim().split('\n');
  const rows = lines.slice(1, n + 1).map((l) => { const c = l.split('\t'); c[1] = join(ARCTIC, c[1]); c[4] = ''; return c.join('\t'); });
  writeFileSync(join(dir, 'm.tsv'), `${[lines[0], ...rows].join('\n')}\n`);
  return join(dir, 'm.tsv');
}

function env(profiles: string): NodeJS.ProcessEnv {
  return { ...process.env, HUSHSCRIBE_PROFILES: profiles, HUSHSCRIBE_CACHE: mkdtempSync(join(tmpdir(), 'hush-cache-')), HUSHSCRIBE_LOG: 'error' };
}

const models = ['--student', fx.student, '--teacher', fx.teacher, '--no-lm'];

describe('hushscribe adapt', () => {
  it('prints the held-out WER before and after and the time taken; transcribe --profile then uses the profile', () => {
    const profiles = mkdtempSync(join(tmpdir(), 'hush-prof-'));
    const r = spawnSync(process.execPath, [CLI, 'adapt', manifest(30), '--name', 'desk', '--holdout', '0.2', ...models], { env: env(profiles), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /held-out WER against the teacher: before [\d.]+%, after [\d.]+%/);
    assert.match(r.stdout, /saved profile .*desk\.profile\.safetensors/);
    assert.match(r.stdout, /^time \d+s \(reading/m);
    assert.match(r.stderr, /\[ *\d+%\] training: epoch/);
    const t = spawnSync(process.execPath, [CLI, 'transcribe', join(ARCTIC, 'audio/arctic_clb_a0005.flac'), '--model', fx.student, '--no-lm', '--profile', 'desk'], { env: env(profiles), encoding: 'utf8' });
    assert.equal(t.status, 0, t.stderr);
    assert.match(t.stderr, /\+profile:desk on cpu/);
    const bad = spawnSync(process.execPath, [CLI, 'transcribe', join(ARCTIC, 'audio/arctic_clb_a0005.flac'), '--model', fx.student, '--no-lm', '--profile', 'nobody'], { env: env(profiles), encoding: 'utf8' });
    assert.equal(bad.status, 0);
    assert.match(bad.stderr, /warning: profile 'nobody' ignored: .*using the base model/);
  });

  it('says what it needs in one line', () => {
    const r = spawnSync(process.execPath, [CLI, 'adapt', manifest(2)], { env: env(mkdtempSync(join(tmpdir(), 'p-'))), encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^hushscribe adapt: usage: hushscribe adapt MANIFEST.tsv --name NAME/);
    const short = spawnSync(process.execPath, [CLI, 'adapt', manifest(3), '--name', 'x', ...models], { env: env(mkdtempSync(join(tmpdir(), 'p-'))), encoding: 'utf8' });
    assert.equal(short.status, 1);
    assert.match(short.stderr, /^hushscribe adapt: only [\d.]+ s of audio; adaptation needs at least 30 s of speech\n$/);
  });

  it('Ctrl-C cancels and saves nothing', async () => {
    const profiles = mkdtempSync(join(tmpdir(), 'hush-prof-'));
    const child = spawn(process.execPath, [CLI, 'adapt', manifest(30), '--name', 'int', '--epochs', '500', ...models], { env: env(profiles) });
    let err = '';
    const code = await new Promise<number | null>((resolve) => {
      child.stderr.on('data', (b: Buffer) => {
        err += b.toString();
        if (/training: epoch/.test(err) && !child.killed) child.kill('SIGINT');
      });
      child.on('exit', (c) => resolve(c));
    });
    assert.equal(code, 130, err);
    assert.match(err, /adaptation cancelled; no profile was saved/);
    assert.deepEqual(readdirSync(profiles), []);
  });
});
