/**
 * `hushscribe start` (npm start): the desktop app. Where the Electron binary is missing it says so in
 * one line and starts browser mode instead.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { logger } from '../../core/log.js';
import { appRoot } from '../../server/paths.js';
import { serve } from './serve.js';

const log = logger('start');

/**
 * The Electron executable, or null where it is not installed. Resolved the way require('electron')
 * does (path.txt, ELECTRON_OVERRIDE_DIST_PATH) but without calling it: it would try to download.
 */
export function electronBinary(): string | null {
  try {
    const pkg = createRequire(import.meta.url).resolve('electron/package.json');
    const dir = path.dirname(pkg);
    const pathFile = path.join(dir, 'path.txt');
    const rel = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : '';
    if (!rel) return null;
    const bin = process.env.ELECTRON_OVERRIDE_DIST_PATH ? path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH, rel) : path.join(dir, 'dist', rel);
    return fs.existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

export async function run(argv: string[]): Promise<number> {
  const bin = electronBinary();
  if (!bin) {
    process.stderr.write('Electron is not installed here (no binary); starting browser mode instead.\n');
    return serve(argv);
  }
  const root = appRoot();
  const { buildElectron } = await import('../../../build/build-electron.js');
  await buildElectron(root);
  log.info(`starting ${bin}`);
  const child = spawn(bin, [root, ...argv], { stdio: 'inherit', env: { ...process.env, ELECTRON_RUN_AS_NODE: undefined } });
  return new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
}

