/**
 * After-stop high-accuracy pass and the "Adapt to a speaker or room" pane, in browser mode.
 *
 * The pass's plumbing (contract request → background job process → progress events → segments
 * replaced on disk and in Dexie, edits kept and flagged) runs with the digits fixture model, which
 * the request may name for tests; the teacher run itself needs models/teacher/teacher.onnx and is
 * skipped with a message without it. Adaptation cannot run without the student and teacher: the
 * pane must say so in one line.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { GATE_PARAMS, type GateParam } from '../../electron/core/adapt/gates.js';
import { saveProfile } from '../../electron/core/adapt/profile-store.js';
import type { F32Tensor } from '../../electron/core/adapt/safetensors.js';
import { chooseModel, ensureRendererBuilt, freePort, launchChromium, ROOT, shot, speechFixture, startHost, tempDataDir, waitFor, type Host, openAndSettle } from './harness.js';
import { WireClient } from './wire-client.js';

const TEACHER = path.join(ROOT, 'models', 'teacher', 'teacher.onnx');

let host: Host;
let browser: Browser;
let page: Page;
let dataDir: string;
let transcribing = false;
let sessionId = '';

let wire: WireClient;

before(async () => {
  ensureRendererBuilt();
  const fx = speechFixture();
  dataDir = tempDataDir('hipass');
  host = await startHost(dataDir, await freePort(), { HUSHSCRIBE_PROFILES: path.join(dataDir, 'profiles') });
  browser = await launchChromium(fx.wav);
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  transcribing = await openAndSettle(page, host.url);
  wire = await WireClient.open(host.url);
});

after(async () => {
  wire?.close();
  await browser?.close();
  await host?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

test('settings offer the high-accuracy pass only when the teacher is installed', async () => {
  await page.getByTestId('nav-settings').click();
  const box = page.getByTestId('settings-hipass');
  await box.waitFor();
  if (fs.existsSync(TEACHER)) {
    assert.equal(await box.isDisabled(), false);
    assert.equal(await box.isChecked(), true, 'on by default when the teacher exists');
  } else {
    assert.equal(await box.isDisabled(), true);
    assert.match(await page.getByTestId('settings-hipass-note').innerText(), /High-accuracy pass: teacher model not installed/);
    await assert.rejects(wire.request('highAccuracy.start', { sessionId: 'none' }), /no such session/);
  }
});

test('a pass (fixture model) reports progress, replaces the segments and keeps the edit, flagged', async (t) => {
  if (!transcribing) {
    t.skip('no model loads here (not even the digits fixture): the pass cannot run');
    return;
  }
  // The import's live segments come from the same fixture model as the pass, chosen in Settings as a
  // user would: the edit must cover words the pass hears, and two different models place a short
  // word's spike differently on different CPUs (CI failed on the student's first segment).
  await chooseModel(page, 'fixture');
  await page.getByTestId('nav-library').click();
  await page.getByTestId('import-input').setInputFiles(speechFixture().wav);
  const item = page.getByTestId('session-item').filter({ hasText: 'e2e-digits' });
  await item.waitFor({ timeout: 60_000 });
  sessionId = (await item.getAttribute('data-session-id')) ?? '';
  await item.click();
  await page.getByTestId('word').first().waitFor({ timeout: 60_000 });
  await waitFor(async () => wire.of('import.progress').some((p) => p.stage === 'done'), 'the import to finish', 60_000);
  await page.getByTestId('session-view').waitFor();
  await page.waitForTimeout(500);
  // Edit the first segment in the UI.
  await page.getByTestId('segment-edit').first().click();
  await page.getByTestId('segment-editor').fill('my own corrected words');
  await page.getByTestId('segment-save').click();
  const live = await waitFor(async () => {
    const segs = await wire.request('library.segments', { sessionId });
    return segs.some((s) => s.edited) ? segs : null;
  }, 'the edit on the host');
  // Mark an unedited segment (on the host) so its replacement is visible.
  const stale = live.map((s, i) => (i === live.length - 1 && !s.edited ? { ...s, text: 'stale live text' } : s));
  await wire.request('library.saveSegments', { sessionId, segments: stale });

  assert.deepEqual(await wire.request('highAccuracy.start', { sessionId, model: 'fixture' }), { started: true });
  const done = await waitFor(() => wire.of('highAccuracy.progress').find((p) => p.sessionId === sessionId && p.stage !== 'running'), 'the pass to end', 90_000);
  const events = wire.of('highAccuracy.progress').filter((p) => p.sessionId === sessionId);
  t.diagnostic(`progress: ${events.map((p) => `${p.stage}:${p.fraction.toFixed(2)}`).join(' ')}`);
  assert.equal(done.stage, 'done', done.error);
  const running = events.filter((p) => p.stage === 'running');
  assert.ok(running.length >= 2 && running.some((p) => p.fraction > 0), 'progress was reported while it ran');
  assert.ok(running.every((p, i) => i === 0 || p.fraction >= running[i - 1].fraction), 'progress never goes back');
  assert.equal(done.fraction, 1);
  assert.equal(done.flagged, 1);

  const after = await wire.request('library.segments', { sessionId });
  const spans = (segs: typeof after) => segs.map((s) => `${s.start.toFixed(2)}-${s.end.toFixed(2)}${s.edited ? '*' : ''} "${s.highAccuracyText ?? s.text}"`).join(' | ');
  t.diagnostic(`live: ${spans(live)}`);
  t.diagnostic(`after the pass: ${spans(after)}`);
  assert.equal(after.length, done.segments);
  assert.ok(!after.some((s) => s.text === 'stale live text'), 'the live segments were replaced');
  const kept = after.filter((s) => s.edited);
  assert.equal(kept.length, 1);
  assert.equal(kept[0].text, 'my own corrected words');
  assert.equal(kept[0].flagged, true);
  assert.ok(kept[0].highAccuracyText && kept[0].highAccuracyText.length > 0, 'the pass text is kept beside the edit');

  // The UI shows it: progress line done, the edit flagged with the other text, the Dexie copy replaced.
  assert.equal(await page.getByTestId('hipass-status').getAttribute('data-stage'), 'done');
  const flag = page.getByTestId('segment-flagged');
  await flag.waitFor({ timeout: 10_000 });
  assert.match(await flag.innerText(), /high-accuracy text differs/);
  assert.ok((await flag.innerText()).includes(kept[0].highAccuracyText));
  await page.screenshot({ path: shot('high-accuracy-pass') });
});

test('the teacher pass runs when the teacher is installed', async (t) => {
  if (!fs.existsSync(TEACHER)) {
    t.skip(`skipped: ${path.relative(ROOT, TEACHER)} is not built (the teacher recipe makes it); the fixture test above covers the plumbing`);
    return;
  }
  assert.ok(sessionId, 'the fixture test made a session');
  const n = wire.of('highAccuracy.progress').length;
  assert.deepEqual(await wire.request('highAccuracy.start', { sessionId }), { started: true });
  const done = await waitFor(() => wire.of('highAccuracy.progress').slice(n).find((p) => p.stage !== 'running'), 'the teacher pass', 300_000);
  assert.equal(done.stage, 'done', done.error);
});

test('the adaptation pane explains itself, is off by default, and says why it cannot run', async () => {
  await page.getByTestId('nav-settings').click();
  const pane = page.getByTestId('adapt-pane');
  await pane.waitFor();
  assert.match(await pane.locator('h2').innerText(), /Adapt to a speaker or room/);
  const explanation = await page.getByTestId('adapt-explanation').innerText();
  assert.match(explanation, /no audio or text leaves the machine/i);
  assert.match(explanation, /saved only if it did/);
  const toggle = page.getByTestId('adapt-enabled');
  assert.equal(await toggle.isChecked(), false, 'off by default');
  assert.equal(await page.getByTestId('adapt-name').count(), 0, 'no controls while off');
  assert.equal((await wire.request('settings.get', {})).adaptEnabled, false);
  await assert.rejects(wire.request('adapt.start', { jobId: 'j0', name: 'office', sessionIds: ['x'] }), /switched off/);

  await toggle.check();
  await page.getByTestId('adapt-name').waitFor();
  assert.equal((await wire.request('settings.get', {})).adaptEnabled, true);
  const check = await wire.request('adapt.check', {});
  if (!check.ready) {
    const msg = page.getByTestId('adapt-message');
    await msg.waitFor({ timeout: 30_000 });
    assert.equal(await msg.innerText(), check.message);
    assert.match(check.message, /model is not built yet \(adaptation needs it\)/);
    if (sessionId) await page.locator(`[data-testid="adapt-session"][data-session-id="${sessionId}"]`).check();
    await page.getByTestId('adapt-name').fill('office');
    assert.equal(await page.getByTestId('adapt-start').isDisabled(), true, 'cannot start without the models');
  }
  assert.match(await page.getByTestId('adapt-active').innerText(), /base model/);
  await page.screenshot({ path: shot('settings-adapt') });

  // Started anyway (through the contract), the background job fails with the core's one-line reason.
  if (sessionId) {
    await wire.request('adapt.start', { jobId: 'j1', name: 'office', sessionIds: [sessionId] });
    const end = await waitFor(() => wire.of('adapt.progress').find((p) => p.jobId === 'j1' && ['done', 'failed', 'cancelled'].includes(p.stage)), 'the adaptation job to end', 60_000);
    assert.equal(end.stage, 'failed');
    assert.match(end.error ?? '', /not built yet|adaptation needs at least/);
  }
  const profiles = await wire.request('adapt.profiles', {});
  assert.deepEqual(profiles, { profiles: [], active: '' });
});

test('profiles are listed, applied globally or to one recording, reverted and deleted; one that does not fit the model is ignored with a visible warning', async (t) => {
  if (!transcribing) {
    t.skip('no model loads here (not even the digits fixture): nothing to apply a profile to');
    return;
  }
  // A well-formed profile made for another model: the digits fixture has no gates to patch.
  const gates = new Map<GateParam, F32Tensor>(GATE_PARAMS.map((n) => [n, { shape: n.endsWith('weight') ? [4, 4, 1] : [4], data: new Float32Array(n.endsWith('weight') ? 16 : 4) }]));
  const profiles = path.join(dataDir, 'profiles');
  await saveProfile({
    name: 'Board room', baseModelVersion: 'student-hdnn-other', baseModelSha256: 'a'.repeat(64), createdAt: '2026-01-01T00:00:00.000Z',
    sources: [{ id: 's', audio: '/x.wav', seconds: 60 }],
    gain: { werBefore: 30, werAfter: 25, holdoutWords: 40, holdoutSeconds: 12, trainSeconds: 48, speechSeconds: 55 },
  }, gates, profiles);
  const warning = /profile 'Board room' ignored: .*using the base model/;

  // Listed in the pane; applying it globally reloads the engine, which warns and runs the base model.
  await page.getByTestId('nav-library').click();
  await page.getByTestId('nav-settings').click();
  if (!(await page.getByTestId('adapt-enabled').isChecked())) await page.getByTestId('adapt-enabled').check();
  const item = page.locator('[data-testid="adapt-profile"][data-name="Board room"]');
  await item.waitFor({ timeout: 10_000 });
  assert.match(await item.innerText(), /WER 30\.0% → 25\.0%/);
  await item.getByTestId('adapt-apply').click();
  await waitFor(async () => /profile 'Board room'/.test(await page.getByTestId('adapt-active').innerText()), 'the pane to show the profile in use');
  const header = page.getByTestId('transcriber-warning');
  await header.waitFor({ timeout: 30_000 });
  assert.match(await header.innerText(), warning);
  assert.match(await page.getByTestId('adapt-profile-warning').innerText(), warning);
  assert.equal(await page.getByTestId('transcriber-status').getAttribute('data-state'), 'ready', 'the base model still transcribes');
  assert.equal((await wire.request('settings.get', {})).adaptProfile, 'Board room');

  // Reverted: the base model, no warning.
  await page.getByTestId('adapt-revert').click();
  await waitFor(async () => /base model/.test(await page.getByTestId('adapt-active').innerText()), 'the pane to show the base model');
  await waitFor(async () => (await header.count()) === 0, 'the warning to clear');
  assert.equal((await wire.request('settings.get', {})).adaptProfile, '');

  // Per session: this recording only, then back to the global choice (the base model).
  await page.getByTestId('nav-record').click();
  await page.getByTestId('record-profile').selectOption('Board room');
  await page.getByTestId('record-start').click();
  await page.getByTestId('record-stop').waitFor();
  await waitFor(async () => (await header.count()) > 0 && warning.test(await header.innerText()), 'the session profile to be loaded (and warned about)');
  await page.waitForTimeout(1500);
  await page.getByTestId('record-stop').click();
  await page.getByTestId('record-start').waitFor();
  const recorded = await waitFor(async () => (await wire.request('library.list', {})).find((m) => m.profile === 'Board room' && m.state === 'done'), 'the session to record its profile');
  await waitFor(async () => (await header.count()) === 0, 'the engine to go back to the global choice after the recording');
  assert.equal((await wire.request('settings.get', {})).adaptProfile, '', 'the global setting was not touched');
  await wire.request('library.delete', { sessionId: recorded.id });

  // Deleted from the pane: gone from the list and from disk.
  await page.getByTestId('nav-settings').click();
  await page.locator('[data-testid="adapt-profile"][data-name="Board room"]').getByTestId('adapt-delete').click();
  await waitFor(async () => (await page.getByTestId('adapt-profile').count()) === 0, 'the profile to leave the list');
  assert.deepEqual(await wire.request('adapt.profiles', {}), { profiles: [], active: '' });
  assert.deepEqual(fs.readdirSync(profiles), []);
});
