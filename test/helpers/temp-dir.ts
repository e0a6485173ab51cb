import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

/**
 * A fresh directory under the OS temp dir, removed when the enclosing scope ends, so repeated runs
 * do not pile up in /tmp. node:test binds `after` to where it is called: at module level the file,
 * in a describe body that suite, in a test body that test (pass or fail).
 */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
