import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ModelError } from '../../../electron/core/errors.js';
import { loadModel } from '../../../electron/core/inference/index.js';
import { FIXTURE_STREAMING } from '../../helpers/paths.js';
import { tempDir } from '../../helpers/temp-dir.js';

const dir = tempDir('hush-models-');

async function rejectsNaming(path: string, pattern: RegExp): Promise<void> {
  await assert.rejects(loadModel(path, { provider: 'cpu' }), (err: unknown) => {
    assert.ok(err instanceof ModelError, `expected ModelError, got ${String(err)}`);
    assert.ok(err.userMessage.includes(path), `message names the file: ${err.userMessage}`);
    assert.match(err.userMessage, pattern);
    assert.ok(!err.userMessage.includes('\n'), 'one line');
    return true;
  });
}

describe('model loading refuses bad files with one line naming the file', () => {
  it('a missing file', async () => {
    await rejectsNaming(join(dir, 'nope.onnx'), /not found/);
  });

  it('an empty file', async () => {
    const p = join(dir, 'empty.onnx');
    writeFileSync(p, '');
    await rejectsNaming(p, /empty/);
  });

  it('a truncated model', async () => {
    const p = join(dir, 'truncated.onnx');
    const bytes = readFileSync(FIXTURE_STREAMING);
    writeFileSync(p, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await rejectsNaming(p, /not a valid ONNX model|cannot load/);
  });

  it('random bytes', async () => {
    const p = join(dir, 'garbage.onnx');
    writeFileSync(p, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    await rejectsNaming(p, /not a valid ONNX model|cannot load/);
  });

  it('a model that declares another feature spec', async () => {
    const p = join(dir, 'wrong-spec.onnx');
    const bytes = readFileSync(FIXTURE_STREAMING);
    // Same length, so the protobuf stays well-formed: only the declared value changes.
    const marker = Buffer.from('feature_spec_version');
    const at = bytes.indexOf(marker);
    assert.ok(at > 0);
    const value = bytes.indexOf(Buffer.from('1'), at + marker.length);
    const patched = Buffer.from(bytes);
    patched[value] = '9'.charCodeAt(0);
    writeFileSync(p, patched);
    await rejectsNaming(p, /feature spec version 9/);
  });

  it('loads a good copy from another folder', async () => {
    const p = join(dir, 'good.onnx');
    copyFileSync(FIXTURE_STREAMING, p);
    const m = await loadModel(p, { provider: 'cpu' });
    assert.equal(m.provider, 'cpu');
  });
});
