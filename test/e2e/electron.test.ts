/**
 * The desktop door through playwright-core's _electron: the window loads app://hushscribe under the
 * security settings, and records from the fake microphone. Runs only where the Electron binary exists.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { _electron as electron } from 'playwright-core';
import { electronBinary } from '../../electron/cli/commands/start.js';
import { ROOT, ensureRendererBuilt, speechFixture, tempDataDir } from './harness.js';

const bin = electronBinary();

test('the Electron app loads app://hushscribe with isolation and sandbox, and records', { skip: bin ? false : 'Electron binary not installed here (ELECTRON_SKIP_BINARY_DOWNLOAD); browser-mode e2e covers the shared path' }, async () => {
  ensureRendererBuilt();
  const { buildElectron } = await import('../../build/build-electron.js');
  await buildElectron(ROOT);
  const fx = speechFixture();
  const dataDir = tempDataDir('electron');
  const app = await electron.launch({
    executablePath: bin ?? undefined,
    args: [ROOT, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${fx.wav}`, '--no-sandbox'],
    env: { ...process.env, HUSHSCRIBE_DATA_DIR: dataDir },
  });
  try {
    const page = await app.firstWindow();
    assert.match(page.url(), /^app:\/\/hushscribe\//);
    // Isolated and sandboxed: no Node in the page, only the bridge's three functions.
    const page_ = await page.evaluate(() => ({
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
      bridge: Object.keys((window as unknown as { hushscribe?: object }).hushscribe ?? {}).sort(),
    }));
    assert.deepEqual(page_, { require: 'undefined', process: 'undefined', bridge: ['onEvent', 'request', 'sendFrame'] });
    const csp = await page.evaluate(async () => (await fetch('app://hushscribe/index.html')).headers.get('content-security-policy'));
    assert.match(csp ?? '', /default-src 'none'/);
    await page.getByTestId('record-start').click();
    await page.getByTestId('record-stop').waitFor();
    await page.waitForTimeout(3000);
    await page.getByTestId('record-stop').click();
    await page.getByTestId('nav-library').click();
    await page.getByTestId('session-item').first().waitFor();
    const [id] = fs.readdirSync(path.join(dataDir, 'recordings'));
    assert.ok(fs.statSync(path.join(dataDir, 'recordings', id, 'ch0.wav')).size > 44 + 32_000);
    // Navigation away and new windows are refused.
    await page.evaluate(() => window.open('https://example.com'));
    assert.equal(app.windows().length, 1);
  } finally {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
