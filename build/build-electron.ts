/**
 * Bundles the Electron side into out/ with esbuild: main (ESM), preload (CommonJS: sandboxed preloads
 * cannot load modules), the transcriber worker, and the core modules the worker loads at runtime.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';

/**
 * How the Node side (main, workers) is bundled. Left as packages: native addons, and TensorFlow.js,
 * whose wasm backend loads its .wasm from beside its own module file (bundled, it falls back to the
 * far slower pure-JS backend) and must share one tfjs engine with the tfjs that registers it.
 */
export const NODE_BUNDLE = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['electron', 'onnxruntime-node', 'ws', 'bufferutil', 'utf-8-validate', '@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm'],
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
} satisfies BuildOptions;

export async function buildElectron(root: string): Promise<void> {
  const outdir = path.join(root, 'out');
  const runtimeLoaded = ['electron/core/transcribe/index.ts', 'electron/core/audio/index.ts'].filter((p) => fs.existsSync(path.join(root, p)));
  await build({
    ...NODE_BUNDLE,
    absWorkingDir: root,
    entryPoints: ['electron/main/main.ts', 'electron/workers/transcriber.ts', 'electron/workers/jobs.ts', ...runtimeLoaded],
    outbase: '.',
    outdir,
    sourcemap: true,
    logLevel: 'warning',
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
