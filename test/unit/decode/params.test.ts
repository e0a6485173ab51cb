import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_DECODER_PARAMS, decoderParamsPathFor, loadDecoderParams } from '../../../electron/core/decode/params.js';
import { decoderParamsSource } from '../../../electron/core/transcribe/decoder-factory.js';
import { DECODER_PARAMS_PATH, NAMED_MODELS } from '../../../electron/core/transcribe/model-paths.js';
import { ModelError } from '../../../electron/core/errors.js';
import { tempDir } from '../../helpers/temp-dir.js';

describe('decoder parameters', () => {
  const dir = tempDir('hush-params-');

  it('defaults come from models/lm/decoder-params.json', () => {
    const file = JSON.parse(readFileSync(new URL('../../../models/lm/decoder-params.json', import.meta.url), 'utf8')) as Record<string, unknown>;
    for (const key of ['beam', 'lmWeight', 'wordBonus', 'unkLogProb'] as const) assert.equal(DEFAULT_DECODER_PARAMS[key], file[key], key);
    assert.ok(DEFAULT_DECODER_PARAMS.lmWeight > 0);
  });

  it('a tuning file overrides some fields and keeps the defaults for the rest', () => {
    const path = join(dir, 'tuned.json');
    writeFileSync(path, JSON.stringify({ lmWeight: 0.35, wordBonus: 1.5 }));
    const p = loadDecoderParams(path);
    assert.equal(p.lmWeight, 0.35);
    assert.equal(p.wordBonus, 1.5);
    assert.equal(p.beam, DEFAULT_DECODER_PARAMS.beam);
  });

  it('a bad tuning file gives a ModelError naming the file', () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, JSON.stringify({ beam: 0 }));
    assert.throws(
      () => loadDecoderParams(path),
      (e: unknown) => e instanceof ModelError && e.userMessage.startsWith(path) && /beam/.test(e.userMessage),
    );
    writeFileSync(path, '{ not json');
    assert.throws(
      () => loadDecoderParams(path),
      (e: unknown) => e instanceof ModelError && e.userMessage.startsWith(path),
    );
  });

  it("a model's own tuning file sits beside it and wins over the global defaults", () => {
    assert.equal(decoderParamsPathFor('/m/teacher.onnx'), '/m/teacher.decoder.json');
    const model = join(dir, 'some-model.onnx');
    assert.equal(decoderParamsSource(model), DECODER_PARAMS_PATH, 'no sidecar: the global file');
    writeFileSync(join(dir, 'some-model.decoder.json'), JSON.stringify({ lmWeight: 1.9, beam: 8 }));
    assert.equal(decoderParamsSource(model), join(dir, 'some-model.decoder.json'));
    const p = loadDecoderParams(decoderParamsSource(model));
    assert.deepEqual([p.lmWeight, p.beam, p.tokenPrune], [1.9, 8, DEFAULT_DECODER_PARAMS.tokenPrune]);
  });

  it('the shipped models carry their own tuning files, and they parse', () => {
    for (const name of ['fixture', 'teacher'] as const) {
      const source = decoderParamsSource(NAMED_MODELS[name].path);
      assert.notEqual(source, DECODER_PARAMS_PATH, name);
      assert.ok(loadDecoderParams(source).lmWeight > 0, name);
    }
  });
});
