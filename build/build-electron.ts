/**
 * Bundles the Electron side into out/ with esbuild: main (ESM), preload (CommonJS: sandboxed preloads
 * cannot load modules), the transcriber worker, and the core modules the worker loads at runtime.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export async function buildElectron(root: string): Promise<void> {
  const outdir = path.join(root, 'out');
  const external = ['electron', 'onnxruntime-node', 'ws', 'bufferutil', 'utf-8-validate'];
  const runtimeLoaded = ['electron/core/transcribe/index.ts', 'electron/core/audio/index.ts'].filter((p) => fs.existsSync(path.join(root, p)));
  await build({
    absWorkingDir: root,
    entryPoints: ['electron/main/main.ts', 'electron/workers/transcriber.ts', 'electron/workers/jobs.ts', ...runtimeLoaded],
    outbase: '.',
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external,
    sourcemap: true,
    logLevel: 'warning',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  await build({
    absWorkingDir: root,
    entryPoints: ['electron/preload/preload.ts'],
    outfile: path.join(outdir, 'electron', 'preload', 'preload.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'chrome130',
    external: ['electron'],
    logLevel: 'warning',
  });
}

const self = fileURLToPath(import.meta.url);
if (process.argv[1] && path.resolve(process.argv[1]) === self) {
  await buildElectron(path.resolve(path.dirname(self), '..'));
}
