/**
 * The packaged app runs the job worker from an esbuild bundle (build/build-electron.ts). Adaptation
 * must still train on the tfjs wasm backend there: bundling tfjs-backend-wasm loses its .wasm and
 * silently falls back to the pure-JS backend, many times slower.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { build } from 'esbuild';
import { NODE_BUNDLE } from '../../../build/build-electron.js';
import { repoPath } from '../../helpers/paths.js';

test('bundled as the packaged app bundles it, adaptation trains on the tfjs wasm backend', async () => {
  const root = repoPath('.');
  // Inside the repo's (ignored) out/ folder, so that the packages left external resolve as they do in the app.
  const dir = join(root, 'out', `test-tf-bundle-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  try {
    const outfile = join(dir, 'adapt-tf.js');
    await build({
      ...NODE_BUNDLE,
      stdin: { contents: "import { loadTf } from './electron/core/adapt/tf.ts';\nconst tf = await loadTf();\nprocess.stdout.write(tf.getBackend());\n", resolveDir: root, loader: 'ts' },
      outfile,
      logLevel: 'error',
    });
    const r = spawnSync(process.execPath, [outfile], { encoding: 'utf8', env: { ...process.env, HUSHSCRIBE_LOG: 'warn' } });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'wasm', r.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
