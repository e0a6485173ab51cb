import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import { adaptToProfile, MIN_SURE_WORDS, type AdaptProgress } from '../../../electron/core/adapt/adapt-job.js';
import { AdaptCancelled, AdaptError } from '../../../electron/core/adapt/errors.js';
import { GATE_PARAMS } from '../../../electron/core/adapt/gates.js';
import { runWhole } from '../../../electron/core/adapt/passes.js';
import { teacherPassRecorder, type TeacherPassStore } from '../../../electron/core/adapt/teacher-pass-store.js';
import { decodeAudioFile } from '../../../electron/core/audio/index.js';
import { extractLogMel } from '../../../electron/core/features/logmel.js';
import { loadModel } from '../../../electron/core/inference/index.js';
import { transcribeFile } from '../../../electron/core/transcribe/file.js';
import { readProfile } from '../../../electron/core/adapt/profile-store.js';
import { readManifest } from '../../../electron/core/eval/manifest.js';
import { sharedPath } from '../../helpers/paths.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { adaptFixture } from './fixture.js';

const fx = adaptFixture();
const ARCTIC = sharedPath('data/corpora/arctic_native');

/** A session folder: `n` real recordings copied next to a manifest (no transcripts), as the app would hand over. */
function session(n: number, declared?: string, withText = false): { dir: string; manifest: string } {
  const dir = tempDir('hush-adapt-');
  mkdirSync(join(dir, 'audio'));
  const rows = readFileSync(join(ARCTIC, 'dev.tsv'), 'utf8').trim().split('\n').slice(1, n + 1).map((l) => l.split('\t'));
  const lines = ['id\taudio\tduration_s\tspeaker\ttext'];
  for (const [id, audio, dur, spk, text] of rows) {
    copyFileSync(join(ARCTIC, audio), join(dir, 'audio', basename(audio)));
    lines.push([id, `audio/${basename(audio)}`, declared ?? dur, spk, withText ? text : ''].join('\t'));
  }
  writeFileSync(join(dir, 'session.tsv'), `${lines.join('\n')}\n`);
  return { dir, manifest: join(dir, 'session.tsv') };
}

function hashTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out[join(e.parentPath, e.name)] = createHash('sha256').update(readFileSync(join(e.parentPath, e.name))).digest('hex');
  }
  return out;
}

function memoryStore(): TeacherPassStore & { gets: number; hits: number; puts: number; stored: Map<string, Float32Array> } {
  const m = new Map<string, Float32Array>();
  const s = {
    gets: 0, hits: 0, puts: 0, stored: m,
    async get(k: string) { s.gets++; const v = m.get(k) ?? null; if (v) s.hits++; return v; },
    async put(k: string, v: Float32Array) { s.puts++; m.set(k, v); },
  };
  return s;
}

const models = { studentPath: fx.student, teacherPath: fx.teacher, lm: false };
/**
 * The fixture's teacher is its student with the gates moved, so the frame-level KL can recover it
 * exactly: these tests of the job's mechanics train with that term (one 20 % held out, as for
 * longer audio). The product's default, CTC on the teacher's words with rotating splits for short
 * audio, has its own test below.
 */
const frameKl = { training: { frameWeight: 1, seqWeight: 0 }, rotateBelowSeconds: 0 };

describe('adaptation job', () => {
  it('refuses less than 30 s of speech with one line, before any training', async () => {
    const { manifest } = session(3);
    const profiles = tempDir('hush-prof-');
    const phases = new Set<string>();
    await assert.rejects(
      adaptToProfile({ ...models, rows: await readManifest(manifest), name: 'short', profilesDir: profiles, teacherPasses: null, onProgress: (p) => phases.add(p.phase) }),
      (err: unknown) => err instanceof AdaptError && /at least 30 s of speech/.test(err.userMessage) && !err.userMessage.includes('\n'),
    );
    // Durations the manifest gets wrong are caught once the audio is read.
    const wrong = session(3, '100');
    await assert.rejects(adaptToProfile({ ...models, rows: await readManifest(wrong.manifest), name: 'short', profilesDir: profiles, teacherPasses: null, onProgress: (p) => phases.add(p.phase) }), /s of speech in .* s of audio; adaptation needs at least 30 s of speech/);
    assert.ok(!phases.has('training'));
    assert.deepEqual(readdirSync(profiles), []);
  });

  it('adapts on the chosen audio, reports held-out WER before and after, saves the helpful profile, and leaves its inputs untouched', async () => {
    const { dir, manifest } = session(30);
    const before = hashTree(dir);
    const profiles = tempDir('hush-prof-');
    const store = memoryStore();
    const progress: AdaptProgress[] = [];
    const r = await adaptToProfile({ ...models, ...frameKl, rows: await readManifest(manifest), name: 'cathy', profilesDir: profiles, teacherPasses: store, onProgress: (p) => progress.push(p) });
    assert.equal(r.splits, 1);
    assert.deepEqual(hashTree(dir), before, 'recordings and manifest unchanged, nothing added beside them');
    const share = r.holdoutSeconds / (r.holdoutSeconds + r.trainSeconds);
    assert.ok(share > 0.12 && share < 0.3, `held out ${share}`);
    assert.ok(r.holdoutWords > 0);
    assert.ok(r.werAfter < r.werBefore, `WER ${r.werBefore} → ${r.werAfter}`);
    assert.equal(r.truth, null, 'no transcripts in the manifest, so no ground-truth line');
    assert.ok(r.sure.words <= r.holdoutWords);
    assert.equal(r.profilePath, join(profiles, 'cathy.profile.safetensors'));
    const saved = await readProfile('cathy', profiles);
    assert.deepEqual([...saved.gates.keys()], [...GATE_PARAMS]);
    assert.equal(saved.meta.gain.werBefore, r.werBefore);
    assert.equal(saved.meta.gain.werAfter, r.werAfter);
    assert.equal(saved.meta.sources.length, 30);
    assert.equal(saved.meta.baseModelSha256, createHash('sha256').update(readFileSync(fx.student)).digest('hex'));
    assert.deepEqual(readdirSync(profiles), ['cathy.profile.safetensors']);
    // Progress: monotonic fractions ending at 1, ETAs never negative, every phase seen.
    assert.ok(progress.every((p, i) => i === 0 || p.fraction >= progress[i - 1].fraction));
    assert.equal(progress[progress.length - 1].fraction, 1);
    assert.ok(progress.every((p) => p.etaSeconds === null || p.etaSeconds >= 0));
    assert.deepEqual([...new Set(progress.map((p) => p.phase))], ['reading', 'training', 'measuring', 'saving']);
    assert.equal(store.puts, 30);
    // A second run reuses the stored teacher pass.
    const again = await adaptToProfile({ ...models, ...frameKl, rows: await readManifest(manifest), name: 'cathy2', profilesDir: profiles, teacherPasses: store, training: { epochs: 1, frameWeight: 1, seqWeight: 0 } });
    assert.equal(store.hits, 30);
    assert.equal(store.puts, 30);
    assert.ok(again.audioSeconds > 100);
  });

  it('by default trains on the teacher\'s words and, on short audio, pools the held-out check over five splits that each hold out a different 20 %', async () => {
    const { manifest } = session(30, undefined, true);
    const profiles = tempDir('hush-prof-');
    const rows = await readManifest(manifest);
    const r = await adaptToProfile({ ...models, rows, name: 'rotate', profilesDir: profiles, teacherPasses: null, keepRegardless: true, training: { epochs: 2 } });
    assert.ok(r.audioSeconds < 150);
    assert.equal(r.splits, 5);
    // Every piece held out once, and the kept profile trained on all of it.
    assert.ok(Math.abs(r.holdoutSeconds - r.audioSeconds) < 1 && Math.abs(r.trainSeconds - r.audioSeconds) < 1, `${r.holdoutSeconds} / ${r.trainSeconds} / ${r.audioSeconds}`);
    assert.equal(r.training.ctcByEpoch.length, 2, 'the sequence-level term ran');
    assert.ok(r.training.ctcByEpoch[1] < r.training.ctcByEpoch[0], `CTC ${r.training.ctcByEpoch.join(' → ')}`);
    // The keep check: the teacher's sure words when there are enough of them, else all its words.
    assert.equal(r.judgedOn, r.sure.words >= MIN_SURE_WORDS ? 'sure' : 'all');
    const [before, after] = r.judgedOn === 'sure' ? [r.sure.werBefore, r.sure.werAfter] : [r.werBefore, r.werAfter];
    assert.equal(r.notHelpedReason === null, after < before);
    // The manifest has transcripts: the held-out pieces that are whole files (all but the longest) are scored against them.
    const words = (row: { text: string }): number => row.text.split(' ').filter(Boolean).length;
    const short = rows.filter((row) => row.durationSeconds < 5).reduce((n, row) => n + words(row), 0);
    assert.ok(r.truth && r.truth.words >= short && r.truth.words < rows.reduce((n, row) => n + words(row), 0), `${r.truth?.words} of the words`);
    const saved = await readProfile('rotate', profiles);
    assert.equal(saved.meta.gain.splits, 5);
    assert.equal(saved.meta.gain.werAfter, r.werAfter);
    assert.deepEqual(saved.meta.gain.sure, r.sure);
    assert.equal(saved.meta.gain.judgedOn, r.judgedOn);
  });

  it('reuses the teacher output that the high-accuracy pass kept for the same recording, instead of running the teacher again', async () => {
    // Declared long so that every file is read; too little speech then ends the job before training.
    const { manifest } = session(3, '100');
    const rows = await readManifest(manifest);
    const store = memoryStore();
    for (const row of rows) {
      const recorder = teacherPassRecorder(fx.teacher, row.audio, store);
      await transcribeFile(row.audio, { model: fx.teacher, lm: false, provider: 'cpu', onLogprobs: recorder.tap });
      await recorder.save();
    }
    assert.equal(store.puts, 3);
    const profiles = tempDir('hush-prof-');
    await assert.rejects(adaptToProfile({ ...models, rows, name: 'reuse', profilesDir: profiles, teacherPasses: store }), /s of speech/);
    assert.equal(store.hits, 3, 'every file found the pass kept for it');
    assert.equal(store.puts, 3, 'and the teacher was not run again');
    // What was kept is what the teacher gives on the whole file.
    const teacher = await loadModel(fx.teacher, { provider: 'cpu' });
    try {
      const whole = await runWhole(teacher, extractLogMel(await decodeAudioFile(rows[0].audio)));
      const kept = [...store.stored.values()][0];
      assert.equal(kept.length, whole.length);
      assert.ok(kept.every((v, i) => Math.abs(v - whole[i]) <= 1e-3));
    } finally {
      await teacher.session.release();
    }
  });

  it('saves nothing, and says why, when adapting does not lower the held-out WER', async () => {
    const { manifest } = session(30);
    const profiles = tempDir('hush-prof-');
    // The student as its own teacher: it already agrees with itself (0% WER), so nothing can help.
    const r = await adaptToProfile({ ...models, teacherPath: fx.student, rows: await readManifest(manifest), name: 'same', profilesDir: profiles, teacherPasses: null, minSpeechSeconds: 10, training: { epochs: 1 } });
    assert.equal(r.profilePath, null);
    assert.match(r.notSavedReason ?? '', /did not improve/);
    assert.deepEqual(readdirSync(profiles), []);
  });

  it('cancelling leaves no profile and no partial file', async () => {
    const { manifest } = session(30);
    const profiles = tempDir('hush-prof-');
    const controller = new AbortController();
    await assert.rejects(
      adaptToProfile({ ...models, rows: await readManifest(manifest), name: 'stop', profilesDir: profiles, teacherPasses: null, signal: controller.signal, onProgress: (p) => { if (p.phase === 'training') controller.abort(); } }),
      AdaptCancelled,
    );
    assert.ok(!existsSync(join(profiles, 'stop.profile.safetensors')));
    assert.deepEqual(readdirSync(profiles), []);
  });
});
