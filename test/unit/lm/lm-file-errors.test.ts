import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ModelError } from '../../../electron/core/errors.js';
import { loadLm } from '../../../electron/core/lm/load.js';
import { buildTinyLm } from '../../fixtures/lm/tiny-lm.js';
import { tempDir } from '../../helpers/temp-dir.js';

describe('loading an LM file that is not right', () => {
  const good = readFileSync(buildTinyLm().path);
  const dir = tempDir('hush-lm-bad-');
  const write = (name: string, bytes: Uint8Array): string => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };
  const rejects = (path: string, pattern: RegExp): void => {
    assert.throws(
      () => loadLm(path),
      (err: unknown) => {
        assert.ok(err instanceof ModelError, `expected ModelError, got ${String(err)}`);
        assert.ok(err.userMessage.startsWith(path), `message should name the file: ${err.userMessage}`);
        assert.match(err.userMessage, pattern);
        assert.ok(!err.userMessage.includes('\n'), 'one line');
        return true;
      },
    );
  };

  it('a missing file gives a ModelError naming the file and how to build it', () => {
    rejects(join(dir, 'nowhere.bin'), /not found.*npm run models/);
  });

  it('a flipped byte in the n-grams gives a ModelError (checksum)', () => {
    const bad = Uint8Array.from(good);
    bad[bad.length - 3] ^= 0x40;
    rejects(write('flipped.bin', bad), /corrupt \(checksum mismatch\)/);
  });

  it('a truncated file gives a ModelError', () => {
    rejects(write('truncated.bin', good.subarray(0, good.length - 100)), /corrupt \(truncated/);
  });

  it('a file of another kind gives a ModelError', () => {
    rejects(write('other.bin', new TextEncoder().encode('\\data\\\nngram 1=1\n')), /not a Hushscribe language model/);
    rejects(write('empty.bin', new Uint8Array(0)), /not a Hushscribe language model/);
  });

  it('a file of another format version gives a ModelError asking for a rebuild', () => {
    const bad = Uint8Array.from(good);
    new DataView(bad.buffer).setUint32(4, 99, true);
    rejects(write('future.bin', bad), /format 99.*rebuild/);
  });
});
