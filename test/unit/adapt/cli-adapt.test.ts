import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sha256Hex } from '../../../electron/core/adapt/apply.js';
import { GATE_PARAMS } from '../../../electron/core/adapt/gates.js';
import { studentWeightsFrom } from '../../../electron/core/adapt/hdnn.js';
import { saveProfile } from '../../../electron/core/adapt/profile-store.js';
import { readSafetensors } from '../../../electron/core/adapt/safetensors.js';
import { repoPath, sharedPath } from '../../helpers/paths.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { adaptFixture } from './fixture.js';

const fx = adaptFixture();
const CLI = repoPath('electron/cli/hushscribe.mjs');
const ARCTIC = sharedPath('data/corpora/arctic_native');

function manifest(n: number): string {
  const dir = tempDir('hush-cli-');
  const lines = readFileSync(join(ARCTIC, 'dev.tsv'), 'utf8').trim().split('\n');
  const rows = lines.slice(1, n + 1).map((l) => { const c = l.split('\t'); c[1] = join(ARCTIC, c[1]); c[4] = ''; return c.join('\t'); });
  writeFileSync(join(dir, 'm.tsv'), `${[lines[0], ...rows].join('\n')}\n`);
  return join(dir, 'm.tsv');
}

function env(profiles: string): NodeJS.ProcessEnv {
  return { ...process.env, HUSHSCRIBE_PROFILES: profiles, HUSHSCRIBE_CACHE: tempDir('hush-cache-'), HUSHSCRIBE_LOG: 'error' };
}

const models = ['--student', fx.student, '--teacher', fx.teacher, '--no-lm'];

/** A transcribed manifest of `n` dev utterances, with absolute audio paths. */
function scoredManifest(n: number): string {
  const dir = tempDir('hush-cli-');
  const lines = readFileSync(join(ARCTIC, 'dev.tsv'), 'utf8').trim().split('\n');
  const rows = lines.slice(1, n + 1).map((l) => { const c = l.split('\t'); c[1] = join(ARCTIC, c[1]); return c.join('\t'); });
  writeFileSync(join(dir, 'm.tsv'), `${[lines[0], ...rows].join('\n')}\n`);
  return join(dir, 'm.tsv');
}

/** A profile for the fixture student with its gates nudged, saved under `name` without running an adaptation. */
async function nudgedProfile(dir: string, name: string, version?: string): Promise<void> {
  const weights = studentWeightsFrom(readSafetensors(readFileSync(fx.safetensors)));
  const gates = new Map(GATE_PARAMS.map((n) => {
    const t = weights.tensors.get(n)!;
    return [n, { shape: t.shape, data: t.data.map((v, i) => v + 0.3 * Math.sin(i + 1)) }] as const;
  }));
  await saveProfile({
    name, baseModelVersion: version ?? weights.version, baseModelSha256: sha256Hex(readFileSync(fx.student)), createdAt: '2026-01-01T00:00:00.000Z',
    sources: [], gain: { werBefore: 10, werAfter: 9, holdoutWords: 10, holdoutSeconds: 5, trainSeconds: 20, speechSeconds: 25 },
  }, gates, dir);
}

describe('hushscribe eval --profile', () => {
  it('scores with the named profile applied, and with the base model and a warning when the profile does not fit', async () => {
    const profiles = tempDir('hush-prof-');
    await nudgedProfile(profiles, 'Board room');
    await nudgedProfile(profiles, 'old', 'student-hdnn-0');
    const evalWith = (...extra: string[]) => spawnSync(process.execPath, [CLI, 'eval', scoredManifest(3), '--model', fx.student, '--no-lm', '--quiet', ...extra], { env: env(profiles), encoding: 'utf8' });
    const base = evalWith();
    assert.equal(base.status, 0, base.stderr);
    const adapted = evalWith('--profile', 'Board room');
    assert.equal(adapted.status, 0, adapted.stderr);
    assert.match(adapted.stdout, /^model .*\+profile:Board room on cpu/m);
    assert.doesNotMatch(adapted.stderr, /warning/);
    const wer = (out: string) => out.match(/^WER ([\d.]+) RTF/m)?.[1];
    assert.ok(wer(base.stdout) && wer(adapted.stdout));
    const stale = evalWith('--profile', 'old');
    assert.equal(stale.status, 0, stale.stderr);
    assert.match(stale.stderr, /^hushscribe eval: warning: profile 'old' ignored: it was made for model student-hdnn-0, .*using the base model$/m);
    assert.doesNotMatch(stale.stdout, /profile/);
    assert.equal(wer(stale.stdout), wer(base.stdout), 'the base model scored');
  });
});

describe('hushscribe adapt', () => {
  it('prints the held-out WER before and after and the time taken; transcribe --profile then uses the profile', () => {
    const profiles = tempDir('hush-prof-');
    // The frame-level term: the fixture's teacher differs from its student only in the gates (see adapt-job.test.ts).
    // --keep: saved whatever the check says (the bench's way to score it), and then says so.
    const r = spawnSync(process.execPath, [CLI, 'adapt', manifest(30), '--name', 'desk', '--holdout', '0.2', '--frame-weight', '1', '--seq-weight', '0', '--keep', ...models], { env: env(profiles), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const wer = /held-out WER against the teacher: before ([\d.]+)%, after ([\d.]+)%/.exec(r.stdout);
    assert.ok(wer, r.stdout);
    const sure = /held-out WER on the (\d+) words the teacher is sure of \(confidence ≥ 0\.9\): before ([\d.]+)%, after ([\d.]+)% \((the keep check|too few: the keep check used all \d+ words)\)/.exec(r.stdout);
    assert.ok(sure, r.stdout);
    const [before, after] = sure[4] === 'the keep check' ? [sure[2], sure[3]] : [wer[1], wer[2]];
    const saved = /saved profile .*desk\.profile\.safetensors( \(kept because of --keep: the held-out WER (on the \d+ words the teacher is sure of )?did not improve)?/.exec(r.stdout);
    assert.ok(saved, r.stdout);
    assert.equal(saved[1] !== undefined, !(Number(after) < Number(before)), 'says when only --keep kept it');
    assert.match(r.stdout, /^time (\d+m)?\d+s \(reading/m);
    assert.match(r.stderr, /\[ *\d+%\] training: (split \d\/5: )?epoch/);
    assert.match(r.stdout, /pooled over 5 splits/);
    const t = spawnSync(process.execPath, [CLI, 'transcribe', join(ARCTIC, 'audio/arctic_clb_a0005.flac'), '--model', fx.student, '--no-lm', '--profile', 'desk'], { env: env(profiles), encoding: 'utf8' });
    assert.equal(t.status, 0, t.stderr);
    assert.match(t.stderr, /\+profile:desk on cpu/);
    const bad = spawnSync(process.execPath, [CLI, 'transcribe', join(ARCTIC, 'audio/arctic_clb_a0005.flac'), '--model', fx.student, '--no-lm', '--profile', 'nobody'], { env: env(profiles), encoding: 'utf8' });
    assert.equal(bad.status, 0);
    assert.match(bad.stderr, /warning: profile 'nobody' ignored: .*using the base model/);
  });

  it('says what it needs in one line', () => {
    const r = spawnSync(process.execPath, [CLI, 'adapt', manifest(2)], { env: env(tempDir('hush-prof-')), encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^hushscribe adapt: usage: hushscribe adapt MANIFEST.tsv --name NAME/);
    const short = spawnSync(process.execPath, [CLI, 'adapt', manifest(3), '--name', 'x', ...models], { env: env(tempDir('hush-prof-')), encoding: 'utf8' });
    assert.equal(short.status, 1);
    assert.match(short.stderr, /^hushscribe adapt: only [\d.]+ s of audio; adaptation needs at least 30 s of speech\n$/);
  });

  it('Ctrl-C cancels and saves nothing', async () => {
    const profiles = tempDir('hush-prof-');
    const child = spawn(process.execPath, [CLI, 'adapt', manifest(30), '--name', 'int', '--epochs', '500', ...models], { env: env(profiles) });
    let err = '';
    const code = await new Promise<number | null>((resolve) => {
      child.stderr.on('data', (b: Buffer) => {
        err += b.toString();
        if (/training: (split \d\/5: )?epoch/.test(err) && !child.killed) child.kill('SIGINT');
      });
      child.on('exit', (c) => resolve(c));
    });
    assert.equal(code, 130, err);
    assert.match(err, /adaptation cancelled; no profile was saved/);
    assert.deepEqual(readdirSync(profiles), []);
  });
});
