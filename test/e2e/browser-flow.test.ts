/**
 * The whole browser-mode path on real speech: record from Chromium's fake microphone (spoken digits)
 * → live text → stop → the session in the library → search finds a spoken word → SRT and VTT exports
 * parse → reload → everything persists. Along the way: the recording file holds the audio, the page
 * talks only to 127.0.0.1:port, and the host holds no non-loopback socket.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { parseSrt, parseVtt } from '../../electron/core/library/subtitles.js';
import { auditRequests, chooseModel, ensureRendererBuilt, freePort, launchChromium, nonLoopbackSockets, openAndSettle, processTree, ROOT, shot, speechFixture, startHost, switchOffHighAccuracyPass, tempDataDir, waitFor, type Host } from './harness.js';

const STUDENT = path.join(ROOT, 'models', 'student', 'student.onnx');

let host: Host;
let browser: Browser;
let page: Page;
let foreign: string[];
let dataDir: string;
let words: string[];
let transcribing = false;
/** A spoken word the transcript holds (found in the library test, searched again after reload). */
let foundWord = '';

before(async () => {
  ensureRendererBuilt();
  const fx = speechFixture();
  words = fx.words;
  dataDir = tempDataDir('flow');
  host = await startHost(dataDir, await freePort());
  browser = await launchChromium(fx.wav);
  const ctx = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 800 } });
  page = await ctx.newPage();
  foreign = auditRequests(page, host.origin);
  transcribing = await openAndSettle(page, host.url);
  if (transcribing && fs.existsSync(STUDENT)) {
    // The default ("Automatic") is the streaming student. The checks below read spoken digits back
    // from the live text, which is the digits fixture's job (the student's accuracy is the bench's),
    // so they run with the fixture, chosen the way a user would: in Settings.
    assert.match(await page.getByTestId('transcriber-status').innerText(), /student/, 'the default model is the student');
    await chooseModel(page, 'fixture');
    // The after-stop teacher pass would replace these live words with its own (the last CI run: it
    // landed between the search and the reload, and the digit searched for was gone). The pass has
    // its own tests (high-accuracy-adapt); this file proves the live path persists.
    await switchOffHighAccuracyPass(page);
    await page.getByTestId('nav-record').click();
  }
});

after(async () => {
  await browser?.close();
  await host?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

test('records the fake microphone into a crash-safe WAV and shows live text', async (t) => {
  await page.getByTestId('record-start').click();
  await page.getByTestId('record-stop').waitFor();
  if (transcribing) {
    await page.getByTestId('live-segment').first().waitFor({ timeout: 45_000 });
  } else {
    t.diagnostic('no model is built: live-text checks skipped, recording still checked');
    await page.getByTestId('transcriber-unavailable').waitFor();
  }
  // One pass of the 9.6 s file, so every digit is heard at least once.
  await page.waitForTimeout(11_000);
  await page.screenshot({ path: shot('recording') });
  await page.getByTestId('record-stop').click();
  await page.getByTestId('record-start').waitFor();

  const sessions = fs.readdirSync(path.join(dataDir, 'recordings'));
  assert.equal(sessions.length, 1);
  const wav = fs.readFileSync(path.join(dataDir, 'recordings', sessions[0], 'ch0.wav'));
  const dataBytes = wav.readUInt32LE(40);
  assert.equal(dataBytes, wav.length - 44, 'the header is fixed up on stop');
  assert.ok(dataBytes / 32_000 > 9, `recorded ${dataBytes / 32_000} s`);
  // The FSDD clips are quiet (source peak about 1400, mean |x| about 35): check the speech got through.
  let energy = 0;
  let peak = 0;
  for (let i = 44; i + 1 < wav.length; i += 2) {
    const v = Math.abs(wav.readInt16LE(i));
    energy += v;
    peak = Math.max(peak, v);
  }
  const mean = energy / (dataBytes / 2);
  assert.ok(mean > 10 && peak > 400, `the recording holds speech, not silence (mean ${mean.toFixed(1)}, peak ${peak})`);
  const meta = JSON.parse(fs.readFileSync(path.join(dataDir, 'recordings', sessions[0], 'meta.json'), 'utf8')) as { state: string };
  assert.equal(meta.state, 'done');
  if (transcribing) {
    // The digits fixture model is small: demand live text holding at least one spoken digit as a word.
    const text = (await page.getByTestId('live-transcript').innerText()).toLowerCase();
    const heard = [...new Set(words)].filter((w) => new RegExp(`\\b${w}\\b`).test(text));
    t.diagnostic(`live transcript: ${text.replace(/\s+/g, ' ')}`);
    assert.ok(heard.length >= 1, `live transcript heard none of ${words.join(' ')} in: ${text}`);
  }
});

test('the session is in the library, search opens it at the hit, SRT and VTT exports parse', async (t) => {
  await page.getByTestId('nav-library').click();
  await page.getByTestId('session-item').first().waitFor();
  assert.equal(await page.getByTestId('session-item').count(), 1);
  await page.getByTestId('session-item').first().click();
  await page.getByTestId('session-view').waitFor();
  if (!transcribing) {
    await page.screenshot({ path: shot('library') });
    t.skip('no model is built: search and exports need a transcript');
    return;
  }
  // Wait for post-stop finals to land, then search a word that was spoken and transcribed.
  await page.getByTestId('word').first().waitFor({ timeout: 20_000 });
  const transcript = (await page.getByTestId('session-transcript').innerText()).toLowerCase();
  const word = words.find((w) => new RegExp(`\\b${w}\\b`).test(transcript));
  assert.ok(word, `some spoken digit is in the transcript: ${transcript}`);
  foundWord = word;
  await page.getByTestId('search-input').fill(word);
  const hit = page.getByTestId('search-result').last();
  await hit.waitFor();
  assert.match((await hit.locator('mark').first().innerText()).toLowerCase(), new RegExp(word));
  await page.screenshot({ path: shot('library') });
  const hitStart = Number(await hit.getAttribute('data-start'));
  await hit.click();
  const player = page.getByTestId('player');
  await waitFor(async () => (await player.evaluate((a: HTMLAudioElement) => a.readyState)) >= 1, 'audio metadata');
  const at = await player.evaluate((a: HTMLAudioElement) => a.currentTime);
  assert.ok(Math.abs(at - hitStart) < 0.05, `opened at ${at}, hit at ${hitStart}`);

  // Clicking a word seeks there and highlights it.
  const target = page.getByTestId('word').nth(1);
  await target.click();
  const start = Number(await target.getAttribute('data-start'));
  const now = await player.evaluate((a: HTMLAudioElement) => a.currentTime);
  assert.ok(Math.abs(now - start) < 0.5, `seeked to ${now}, word at ${start}`);

  for (const format of ['srt', 'vtt'] as const) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`export-${format}`).click()]);
    const file = await download.path();
    const text = fs.readFileSync(file, 'utf8');
    const cues = format === 'srt' ? parseSrt(text) : parseVtt(text);
    assert.ok(cues.length >= 1, `${format} has cues`);
    assert.ok(cues.some((c) => c.text.toLowerCase().includes(word)), `${format} carries the word`);
    assert.ok(cues.every((c) => /You/.test(c.text)), `${format} has speaker labels`);
  }
});

test('after a reload the library, transcript and search persist', async (t) => {
  await page.reload();
  await page.locator('.dot.up').waitFor();
  await page.getByTestId('nav-library').click();
  await page.getByTestId('session-item').first().waitFor();
  assert.equal(await page.getByTestId('session-item').count(), 1);
  if (foundWord) {
    await page.getByTestId('search-input').fill(foundWord);
    await page.getByTestId('search-result').first().waitFor({ timeout: 10_000 });
    await page.getByTestId('search-result').first().click();
    await page.getByTestId('word').first().waitFor();
  } else {
    t.diagnostic('no transcript to search after reload');
  }
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('provider-active').waitFor();
  const provider = await page.getByTestId('provider-active').innerText();
  if (transcribing) assert.match(provider, /cpu|cuda|dml|coreml/i);
  await page.screenshot({ path: shot('settings') });
});

test('importing an audio file adds a session; deleting it (after confirmation) removes its audio', async () => {
  await page.getByTestId('nav-library').click();
  await page.locator('[data-testid="session-list"][data-loaded="true"]').waitFor();
  const before = await page.getByTestId('session-item').count();
  await page.getByTestId('import-input').setInputFiles(speechFixture().wav);
  await waitFor(async () => (await page.getByTestId('session-item').count()) === before + 1, 'the imported session', 60_000);
  const item = page.getByTestId('session-item').filter({ hasText: 'e2e-digits' });
  const id = await item.getAttribute('data-session-id');
  assert.ok(id && fs.existsSync(path.join(dataDir, 'recordings', id, 'ch0.wav')));
  await item.click();
  await page.getByTestId('session-delete').click();
  await page.getByTestId('delete-cancel').click();
  assert.equal(await page.getByTestId('session-item').count(), before + 1, 'cancel keeps it');
  await page.getByTestId('session-delete').click();
  await page.getByTestId('delete-confirm').click();
  await waitFor(async () => (await page.getByTestId('session-item').count()) === before, 'the session to go');
  assert.equal(fs.existsSync(path.join(dataDir, 'recordings', id)), false, 'its audio is gone too');
});

test('the app makes no network connection beyond 127.0.0.1:port', async () => {
  assert.deepEqual(foreign, [], 'page requests all went to our origin');
  assert.ok(host.proc.pid);
  const bad = nonLoopbackSockets(processTree(host.proc.pid));
  assert.deepEqual(bad, [], 'the host and its worker hold no non-loopback socket');
});

test('the WebSocket refuses connections without the token', async () => {
  const status = await page.evaluate(async (origin) => {
    return new Promise<string>((resolve) => {
      const ws = new WebSocket(`${origin.replace('http', 'ws')}/ws?token=wrong`);
      ws.onopen = () => resolve('open');
      ws.onerror = () => resolve('refused');
    });
  }, host.origin);
  assert.equal(status, 'refused');
});
