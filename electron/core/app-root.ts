import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | null = null;

/**
 * The repository (or packaged app) root: the nearest folder above this module holding
 * models/features.json. Walking up rather than a fixed '../../..' keeps one answer for the
 * TypeScript sources, the esbuild bundle in out/ and a packaged app. HUSHSCRIBE_ROOT overrides.
 */
export function appRoot(): string {
  if (process.env.HUSHSCRIBE_ROOT) return path.resolve(process.env.HUSHSCRIBE_ROOT);
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    if (fs.existsSync(path.join(dir, 'models', 'features.json'))) return (cached = dir);
    dir = path.dirname(dir);
  }
  throw new Error(`cannot find the Hushscribe root (models/features.json) above ${fileURLToPath(import.meta.url)}`);
}

export const fromRoot = (...parts: string[]): string => path.join(appRoot(), ...parts);
