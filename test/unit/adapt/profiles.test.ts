import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { applyProfile, sha256Hex } from '../../../electron/core/adapt/apply.js';
import { ProfileError } from '../../../electron/core/adapt/errors.js';
import { GATE_PARAMS, type GateParam } from '../../../electron/core/adapt/gates.js';
import { HdnnModel, studentWeightsFrom } from '../../../electron/core/adapt/hdnn.js';
import { checkProfileName, listProfiles, profilesDir, readProfile, saveProfile, type ProfileMeta } from '../../../electron/core/adapt/profile-store.js';
import { readSafetensors, type F32Tensor } from '../../../electron/core/adapt/safetensors.js';
import { loadTf } from '../../../electron/core/adapt/tf.js';
import { HushError } from '../../../electron/core/errors.js';
import { loadModel, StreamingRunner } from '../../../electron/core/inference/index.js';
import { Pipeline } from '../../../electron/core/transcribe/transcriber.js';
import { readNpyFloat32 } from '../../helpers/npy.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { adaptFixture } from './fixture.js';

const fx = adaptFixture();
const studentBytes = readFileSync(fx.student);
const weights = studentWeightsFrom(readSafetensors(readFileSync(fx.safetensors)));
const speech = readNpyFloat32(fx.parityInput);

function shiftedGates(by: number): Map<GateParam, F32Tensor> {
  return new Map(GATE_PARAMS.map((n) => {
    const t = weights.tensors.get(n)!;
    return [n, { shape: t.shape, data: t.data.map((v, i) => v + by * Math.sin(i + 1)) }];
  }));
}

function meta(name: string, over: Partial<ProfileMeta> = {}): ProfileMeta {
  return {
    name,
    baseModelVersion: weights.version,
    baseModelSha256: sha256Hex(studentBytes),
    createdAt: '2025-01-01T00:00:00.000Z',
    sources: [{ id: 'u1', audio: '/x/u1.flac', seconds: 3.5 }],
    gain: { werBefore: 20, werAfter: 15, holdoutWords: 100, holdoutSeconds: 30, trainSeconds: 120, speechSeconds: 140 },
    ...over,
  };
}

async function studentLogprobs(profile?: string, dir?: string): Promise<{ lp: Float32Array; warnings: readonly string[]; label?: string }> {
  const m = await loadModel(fx.student, { provider: 'cpu', patch: profile ? (b, info) => applyProfile(b, info, profile, dir) : undefined });
  try {
    const r = new StreamingRunner(m);
    const a = await r.push({ frames: speech.shape[0], dim: 80, data: speech.data });
    const b = await r.finish();
    const lp = new Float32Array(a.data.length + b.data.length);
    lp.set(a.data);
    lp.set(b.data, a.data.length);
    return { lp, warnings: m.warnings ?? [], label: m.patchedAs };
  } finally {
    await m.session.release();
  }
}

describe('profile store', () => {
  it('saves only the gates plus metadata, atomically, under HUSHSCRIBE_PROFILES', async () => {
    const dir = tempDir('hush-prof-');
    const saved = process.env.HUSHSCRIBE_PROFILES;
    process.env.HUSHSCRIBE_PROFILES = dir;
    try {
      assert.equal(profilesDir(), dir);
      const path = await saveProfile(meta('alice'), shiftedGates(0.1));
      assert.equal(path, join(dir, 'alice.profile.safetensors'));
      assert.deepEqual(readdirSync(dir), ['alice.profile.safetensors'], 'no temp file left');
      const st = readSafetensors(readFileSync(path));
      assert.deepEqual([...st.tensors.keys()], [...GATE_PARAMS]);
      assert.ok(readFileSync(path).length < 40_000, 'small: the gates only');
      const back = await readProfile('alice');
      assert.deepEqual(back.meta, meta('alice'));
      assert.deepEqual([...(await listProfiles()).map((m) => m.name)], ['alice']);
    } finally {
      if (saved === undefined) delete process.env.HUSHSCRIBE_PROFILES; else process.env.HUSHSCRIBE_PROFILES = saved;
    }
  });

  it('refuses names that are not plain file-name stems', () => {
    for (const bad of ['', '../x', 'a/b', 'a\\b', '.hidden', ' lead', 'trail ', 'dot.', 'x'.repeat(65), 'a\tb', 'c:d']) assert.throws(() => checkProfileName(bad), HushError, JSON.stringify(bad));
    assert.equal(checkProfileName('Room-2_a.b'), 'Room-2_a.b');
  });

  it('takes the names people give rooms and speakers ("Board room", "My office", "Zoë"), by name everywhere', async () => {
    const dir = tempDir('hush-prof-');
    for (const name of ['Board room', 'My office', 'Zoë', 'Dana']) {
      assert.equal(checkProfileName(name), name);
      assert.equal(await saveProfile(meta(name), shiftedGates(0.1), dir), join(dir, `${name}.profile.safetensors`));
    }
    assert.equal((await readProfile('Board room', dir)).meta.name, 'Board room');
    assert.deepEqual((await listProfiles(dir)).map((m) => m.name).sort(), ['Board room', 'Dana', 'My office', 'Zoë']);
    const applied = await applyProfile(studentBytes, { version: weights.version, path: fx.student }, 'My office', dir);
    assert.deepEqual(applied.warnings, []);
    assert.equal(applied.label, 'profile:My office');
  });

  it('reports a corrupt profile as a one-line ProfileError naming the file', async () => {
    const dir = tempDir('hush-prof-');
    const path = join(dir, 'bad.profile.safetensors');
    writeFileSync(path, 'not a profile at all');
    await assert.rejects(readProfile('bad', dir), (err: unknown) => err instanceof ProfileError && err.userMessage.includes(path) && !err.userMessage.includes('\n'));
    assert.deepEqual(await listProfiles(dir), [], 'the list skips it');
  });

  it('keeps the check on sure words with the profile, and treats a malformed one as corrupt', async () => {
    const dir = tempDir('hush-prof-');
    const sure = { werBefore: 30, werAfter: 25, words: 28 };
    const good = meta('kept', { gain: { ...meta('kept').gain, sure, judgedOn: 'sure' } });
    await saveProfile(good, shiftedGates(0.1), dir);
    assert.deepEqual((await readProfile('kept', dir)).meta.gain, good.gain);
    await saveProfile(meta('odd', { gain: { ...meta('odd').gain, sure: { werBefore: 30, werAfter: -1, words: 2.5 } } }), shiftedGates(0.1), dir);
    await assert.rejects(readProfile('odd', dir), (err: unknown) => err instanceof ProfileError && /'gain\.sure' in its metadata is malformed/.test(err.userMessage));
    assert.deepEqual((await listProfiles(dir)).map((m) => m.name), ['kept']);
  });
});

describe('applying a profile at model load', () => {
  it('runs the adapted model: onnxruntime with patched gates equals the tfjs student with those gates', async () => {
    const dir = tempDir('hush-prof-');
    const gates = shiftedGates(0.2);
    await saveProfile(meta('room'), gates, dir);
    const base = await studentLogprobs();
    const adapted = await studentLogprobs('room', dir);
    assert.deepEqual(adapted.warnings, []);
    assert.equal(adapted.label, 'profile:room');
    assert.ok(adapted.lp.some((v, i) => Math.abs(v - base.lp[i]) > 1e-2), 'outputs change');
    const tf = await loadTf();
    const tensors = new Map(weights.tensors);
    for (const [k, v] of gates) tensors.set(k, v);
    const model = new HdnnModel(tf, { ...weights, tensors });
    const want = model.logProbs(speech.data, speech.shape[0]);
    model.dispose();
    assert.ok(adapted.lp.every((v, i) => Math.abs(v - want[i]) <= 1e-3));
  });

  for (const [what, over, pattern] of [
    ['another model version', { baseModelVersion: 'student-hdnn-0' }, /made for model student-hdnn-0/],
    ['another build of the same version (hash differs)', { baseModelSha256: 'f'.repeat(64) }, /SHA-256 differs/],
  ] as const) {
    it(`ignores a profile made for ${what}, with a warning, and runs the base model`, async () => {
      const dir = tempDir('hush-prof-');
      await saveProfile(meta('p', over), shiftedGates(0.2), dir);
      const base = await studentLogprobs();
      const r = await studentLogprobs('p', dir);
      assert.equal(r.warnings.length, 1);
      assert.match(r.warnings[0], pattern);
      assert.match(r.warnings[0], /using the base model/);
      assert.equal(r.label, undefined);
      assert.deepEqual(r.lp, base.lp);
    });
  }

  it('ignores a profile whose gate shapes do not fit the model, and a corrupt or missing one', async () => {
    const dir = tempDir('hush-prof-');
    const small = new Map(GATE_PARAMS.map((n) => [n, { shape: n.endsWith('weight') ? [8, 8, 1] : [8], data: new Float32Array(n.endsWith('weight') ? 64 : 8) }]));
    await saveProfile(meta('shape'), small, dir);
    writeFileSync(join(dir, 'junk.profile.safetensors'), new Uint8Array(100));
    for (const [ref, pattern] of [['shape', /in the profile but/], ['junk', /corrupt profile/], ['gone', /no such profile/]] as const) {
      const r = await studentLogprobs(ref, dir);
      assert.match(r.warnings[0] ?? '', pattern);
      assert.equal(r.label, undefined);
    }
  });

  it('shows in the transcriber: the model name carries the profile, and an ignored one leaves a warning', async () => {
    const dir = tempDir('hush-prof-');
    const saved = process.env.HUSHSCRIBE_PROFILES;
    process.env.HUSHSCRIBE_PROFILES = dir;
    try {
      await saveProfile(meta('alice'), shiftedGates(0.1));
      const good = await Pipeline.create({ model: fx.student, profile: 'alice', lm: false, provider: 'cpu' });
      assert.match(good.modelName, /\+profile:alice$/);
      assert.deepEqual(good.warnings, []);
      await good.dispose();
      const bad = await Pipeline.create({ model: fx.student, profile: 'bob', lm: false, provider: 'cpu' });
      assert.doesNotMatch(bad.modelName, /profile/);
      assert.match(bad.warnings[0], /profile 'bob' ignored/);
      await bad.dispose();
      assert.ok(!existsSync(join(dir, 'bob.profile.safetensors')));
    } finally {
      if (saved === undefined) delete process.env.HUSHSCRIBE_PROFILES; else process.env.HUSHSCRIBE_PROFILES = saved;
    }
  });
});
