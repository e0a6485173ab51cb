// Node 20's test runner takes no globs: find the suite's *.test.ts files and hand them over.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const [suite = 'unit', ...filters] = process.argv.slice(2);
const root = join(import.meta.dirname, suite);

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return find(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

const files = find(root).filter((f) => filters.length === 0 || filters.some((x) => f.includes(x))).sort();
const args = ['--import', 'tsx', '--test', '--test-reporter=spec'];
if (suite === 'e2e') args.push('--test-concurrency=1');
const result = spawnSync(process.execPath, [...args, ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
