/** Where data lives, for both doors. HUSHSCRIBE_DATA_DIR overrides (tests use a temp folder). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { appRoot } from '../core/app-root.js';

export { appRoot };

export function defaultDataDir(): string {
  if (process.env.HUSHSCRIBE_DATA_DIR) return path.resolve(process.env.HUSHSCRIBE_DATA_DIR);
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Hushscribe');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Hushscribe');
  return path.join(process.env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'hushscribe');
}

export function appVersion(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(appRoot(), 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export function rendererDist(): string {
  return path.join(appRoot(), 'renderer', 'dist');
}
