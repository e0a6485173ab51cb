/**
 * Crash safety: SIGKILL the host mid-recording, start it again on the same port and data folder, and
 * the session comes back: its WAV repaired, holding all audio up to ≤ 2 s before the kill, with the
 * segments that were final before the kill (and the tail transcribed after restart when a model exists).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { ensureRendererBuilt, freePort, launchChromium, openAndSettle, speechFixture, startHost, tempDataDir, waitFor, type Host } from './harness.js';

let browser: Browser | undefined;
let host: Host | undefined;
const dataDir = tempDataDir('recovery');

after(async () => {
  await browser?.close();
  await host?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('after SIGKILL mid-recording the next start recovers the session with its audio and segments', async (t) => {
  ensureRendererBuilt();
  const fx = speechFixture();
  const port = await freePort();
  host = await startHost(dataDir, port);
  browser = await launchChromium(fx.wav);
  const page = await browser.newPage();
  const transcribing = await openAndSettle(page, host.url);

  await page.getByTestId('record-start').click();
  await page.getByTestId('record-stop').waitFor();
  const startedAt = Date.now();
  if (transcribing) await page.getByTestId('live-segment').first().waitFor({ timeout: 45_000 });
  await page.waitForTimeout(Math.max(0, 8000 - (Date.now() - startedAt)));
  const liveFinals = transcribing ? await page.getByTestId('live-segment').count() : 0;
  const recordedFor = (Date.now() - startedAt) / 1000;
  await host.kill();

  const [id] = fs.readdirSync(path.join(dataDir, 'recordings'));
  const dir = path.join(dataDir, 'recordings', id);
  assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'meta.json'), 'utf8')).state, 'recording', 'killed while recording');

  // Restart on the same port: same origin, so the page's library is the same IndexedDB.
  host = await startHost(dataDir, port);
  const meta = JSON.parse(fs.readFileSync(path.join(dir, 'meta.json'), 'utf8')) as { state: string; durationS: number };
  assert.equal(meta.state, 'recovered');
  const wav = fs.readFileSync(path.join(dir, 'ch0.wav'));
  assert.equal(wav.readUInt32LE(40), wav.length - 44, 'WAV header repaired to the real length');
  assert.equal(wav.readUInt32LE(4), wav.length - 8);
  assert.ok(meta.durationS >= recordedFor - 2, `recovered ${meta.durationS.toFixed(2)} s of ${recordedFor.toFixed(2)} s recorded`);

  await page.goto(host.url);
  await page.locator('.dot.up').waitFor({ timeout: 15_000 });
  await page.getByTestId('nav-library').click();
  const item = page.getByTestId('session-item').first();
  await item.waitFor();
  assert.match(await item.innerText(), /recovered/);
  await item.click();
  const player = page.getByTestId('player');
  await waitFor(async () => (await player.evaluate((a: HTMLAudioElement) => a.readyState)) >= 1, 'recovered audio to load');
  const playable = await player.evaluate((a: HTMLAudioElement) => a.duration);
  assert.ok(Math.abs(playable - meta.durationS) < 0.1, `player sees ${playable} s`);

  if (!transcribing) {
    t.diagnostic('no model is built: segment recovery not checked');
    return;
  }
  const onDisk = fs.readFileSync(path.join(dir, 'segments.jsonl'), 'utf8').trim().split('\n').filter(Boolean).length;
  assert.ok(onDisk >= liveFinals, `segments on disk ${onDisk} ≥ finals shown before the kill ${liveFinals}`);
  await page.getByTestId('word').first().waitFor({ timeout: 20_000 });
  assert.ok((await page.getByTestId('segment-edit').count()) >= liveFinals);
});
