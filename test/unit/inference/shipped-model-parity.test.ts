import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { appRoot } from '../../../electron/core/app-root.js';
import { FILE_WINDOW, loadModel, StreamingRunner, WindowedRunner, type AcousticRunner, type LoadedModel, type LogProbBlock } from '../../../electron/core/inference/index.js';
import { NUM_CLASSES } from '../../../electron/core/symbols.js';
import { NAMED_MODELS } from '../../../electron/core/transcribe/model-paths.js';
import { readNpyFloat32 } from '../../helpers/npy.js';
import { adaptFixture } from '../adapt/fixture.js';

/**
 * The exported ONNX models, run the way the app runs them (our loader, our runners), against
 * the PyTorch log-probs the export stages save next to them (hush/onnx_export.save_parity_fixture:
 * arctic_clb_a0001's features, even length, and the model's whole-utterance log-probs, the
 * look-ahead padded with copies of the last frame as training did).
 */
interface ParitySubject {
  readonly onnx: string;
  readonly input: string;
  readonly torch: string;
}

const DIM = 80;

/** The student is fp32 end to end: only float summation order separates onnxruntime from PyTorch. */
const STUDENT_TOLERANCE = 1e-3;
/** Chunked and whole-utterance runs are the same arithmetic on differently sized tensors. */
const SAME_MODEL_TOLERANCE = 1e-4;
/**
 * The teacher's large initializers are stored as fp16 (onnx_export.store_weights_fp16) while the
 * PyTorch reference keeps fp32 weights, so the two differ by the rounding of every weight, a
 * relative error (about 2^-12 each) that grows with the logits. Exported by stage 07's code, an
 * epoch-0 SepConvCtc checkpoint differed by 6.1e-3 above the floor below (0.078 at log-probs near
 * −540, 1.4e-4 relative) and a small random Conformer by 4.5e-3.
 */
const TEACHER_TOLERANCE = 1e-2;
/**
 * Teacher log-probs are compared after raising both to this floor: a trained teacher's unlikely
 * classes sit hundreds of nats down, where fp16 weights shift them by tenths, yet the decoder never
 * looks below max(best − tokenPrune, tokenMinLogProb) = −6 (models/lm/decoder-params.json).
 */
const TEACHER_FLOOR = -20;
/** The overlap the app runs the teacher with (files, the high-accuracy pass and live capture alike). */
const APP_OVERLAP = FILE_WINDOW.overlap;

function maxAbsDiff(a: Float32Array, b: Float32Array, floor = -Infinity): number {
  assert.equal(a.length, b.length, 'same number of log-probs');
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(Math.max(a[i], floor) - Math.max(b[i], floor)));
  return m;
}

function concat(blocks: LogProbBlock[]): LogProbBlock {
  const data = new Float32Array(blocks.reduce((n, b) => n + b.data.length, 0));
  let at = 0;
  for (const b of blocks) { data.set(b.data, at); at += b.data.length; }
  return { frames: data.length / NUM_CLASSES, data };
}

/** Push `features` in `chunk`-frame blocks, then finish, as the live pipeline does. */
async function runChunked(runner: AcousticRunner, features: Float32Array, chunk: number): Promise<LogProbBlock> {
  const frames = features.length / DIM;
  const out: LogProbBlock[] = [];
  for (let f = 0; f < frames; f += chunk) {
    const n = Math.min(chunk, frames - f);
    out.push(await runner.push({ frames: n, dim: DIM, data: features.subarray(f * DIM, (f + n) * DIM) }));
  }
  out.push(await runner.finish());
  return concat(out);
}

function readParity(s: ParitySubject): { features: Float32Array; frames: number; torch: Float32Array } {
  for (const p of [s.input, s.torch]) assert.ok(existsSync(p), `${p} is missing: the export stage writes it with the model; rerun it`);
  const input = readNpyFloat32(s.input);
  const torch = readNpyFloat32(s.torch);
  assert.equal(input.shape[1], DIM);
  assert.deepEqual(torch.shape, [input.shape[0] / 2, NUM_CLASSES], 'PyTorch log-probs cover the even-length input at 20 ms');
  return { features: input.data, frames: input.shape[0], torch: torch.data };
}

/** Streaming student: whole-utterance and chunked runs through StreamingRunner, against PyTorch and each other. */
function studentChecks(subject: () => ParitySubject): void {
  let model: LoadedModel;
  let features: Float32Array;
  let torch: Float32Array;
  let whole: LogProbBlock;
  before(async () => {
    const s = subject();
    ({ features, torch } = readParity(s));
    model = await loadModel(s.onnx, { provider: 'cpu' });
    // A minimum chunk longer than the utterance keeps push() buffering, so finish() makes one
    // session call over the whole utterance and its look-ahead padding: the PyTorch reference's shape.
    const frames = features.length / DIM;
    whole = await runChunked(new StreamingRunner(model, frames + model.info.lookaheadFrames + 2), features, frames);
  });
  after(async () => { await model?.session.release(); });

  it('is the streaming form the runtime expects', () => {
    assert.equal(model.info.streaming, true);
    assert.ok(model.info.stateShapes.length > 0);
  });

  it(`one whole-utterance call matches PyTorch within ${STUDENT_TOLERANCE}`, (t) => {
    assert.equal(whole.frames, torch.length / NUM_CLASSES);
    const diff = maxAbsDiff(whole.data, torch);
    t.diagnostic(`max |onnx − torch| = ${diff.toExponential(2)}`);
    assert.ok(diff <= STUDENT_TOLERANCE, `max abs diff ${diff}`);
  });

  for (const chunk of [4, 7, 16, 50]) {
    it(`${chunk}-frame chunks plus finish() equal the whole-utterance call and match PyTorch`, async (t) => {
      const chunked = await runChunked(new StreamingRunner(model), features, chunk);
      assert.equal(chunked.frames, whole.frames);
      const toWhole = maxAbsDiff(chunked.data, whole.data);
      const toTorch = maxAbsDiff(chunked.data, torch);
      t.diagnostic(`max |chunked − whole| = ${toWhole.toExponential(2)}, max |chunked − torch| = ${toTorch.toExponential(2)}`);
      assert.ok(toWhole <= SAME_MODEL_TOLERANCE, `chunked vs whole: max abs diff ${toWhole}`);
      assert.ok(toTorch <= STUDENT_TOLERANCE, `chunked vs PyTorch: max abs diff ${toTorch}`);
    });
  }
}

/** Non-streaming teacher: the whole-utterance run through WindowedRunner against PyTorch, and its stitching. */
function teacherChecks(subject: () => ParitySubject): void {
  let model: LoadedModel;
  let features: Float32Array;
  let torch: Float32Array;
  const runWhole = (x: Float32Array): Promise<LogProbBlock> => {
    const frames = x.length / DIM;
    // One window longer than the input (even, as the runner requires): finish() runs it in one call.
    return runChunked(new WindowedRunner(model, { window: frames + 2 - (frames % 2), overlap: 0 }), x, frames);
  };
  before(async () => {
    const s = subject();
    ({ features, torch } = readParity(s));
    model = await loadModel(s.onnx, { provider: 'cpu' });
  });
  after(async () => { await model?.session.release(); });

  it('is the non-streaming form the runtime expects', () => {
    assert.equal(model.info.streaming, false);
  });

  it(`the whole-utterance run matches PyTorch within ${TEACHER_TOLERANCE} (fp16 weights) above ${TEACHER_FLOOR}`, async (t) => {
    const whole = await runWhole(features);
    assert.equal(whole.frames, torch.length / NUM_CLASSES);
    const diff = maxAbsDiff(whole.data, torch, TEACHER_FLOOR);
    t.diagnostic(`max |onnx − torch| = ${diff.toExponential(2)} above ${TEACHER_FLOOR}, ${maxAbsDiff(whole.data, torch).toExponential(2)} unclipped`);
    assert.ok(diff <= TEACHER_TOLERANCE, `max abs diff ${diff}`);
  });

  it(`stitched windows (overlap ${APP_OVERLAP}) equal the whole-utterance run when the overlap covers the receptive field`, async (t) => {
    // The runner promises each kept frame `overlap` frames of context on either side, no more: so the
    // stitched output equals the whole-utterance output exactly when the model sees no further than
    // that. The parity utterance is shorter than two overlaps; repeating it gives several windows.
    const x = new Float32Array(features.length * 4);
    for (let i = 0; i < 4; i++) x.set(features, i * features.length);
    const frames = x.length / DIM;
    const whole = await runWhole(x);
    assert.equal(whole.frames, frames / 2);
    // How far the model sees, measured: change one frame mid-stream by far more than speech varies and
    // see which outputs move at all. Where an effect fades below float precision this undercounts (an
    // epoch-0 SepConvCtc with a 163-frame field showed 86), but only by distances whose effect a
    // window edge cannot push past SAME_MODEL_TOLERANCE either.
    const at = frames / 2;
    const poked = x.slice();
    for (let d = 0; d < DIM; d++) poked[at * DIM + d] += 100;
    const moved = (await runWhole(poked)).data;
    let first = -1;
    let last = -1;
    for (let j = 0; j < whole.frames; j++) {
      for (let c = 0; c < NUM_CLASSES; c++) {
        if (moved[j * NUM_CLASSES + c] !== whole.data[j * NUM_CLASSES + c]) { if (first < 0) first = j; last = j; break; }
      }
    }
    assert.ok(first >= 0, 'changing a frame changes some output');
    // In feature frames: how far ahead the earliest affected output looks, and how far back the latest does.
    const reach = Math.max(at - 2 * first, 2 * last + 1 - at);
    t.diagnostic(`a change to one frame moves outputs up to ${reach} feature frames away${first === 0 || last === whole.frames - 1 ? ' or more (to the stream edge)' : ''}`);
    // A model that sees further than the app's overlap would be stitched from truncated context: raise
    // FILE_WINDOW.overlap (and LIVE_WINDOW's) with it.
    assert.ok(reach <= APP_OVERLAP, `the model sees ${reach} frames away, beyond the app's ${APP_OVERLAP}-frame overlap`);
    for (const [window, push] of [[600, 97], [1000, 256]]) {
      const stitched = await runChunked(new WindowedRunner(model, { window, overlap: APP_OVERLAP }), x, push);
      assert.equal(stitched.frames, whole.frames, 'ceil(frames / 2) output frames, none dropped or doubled');
      const diff = maxAbsDiff(stitched.data, whole.data, TEACHER_FLOOR);
      t.diagnostic(`window ${window}: max |stitched − whole| = ${diff.toExponential(2)} above ${TEACHER_FLOOR}, ${maxAbsDiff(stitched.data, whole.data).toExponential(2)} unclipped`);
      assert.ok(diff <= SAME_MODEL_TOLERANCE, `window ${window}: max abs diff ${diff}`);
    }
  });
}

/** A shipped model's parity files sit in `parity/` beside it, named after it (stages 07 and 10). */
function shipped(name: 'student' | 'teacher', checks: (subject: () => ParitySubject) => void): void {
  const onnx = NAMED_MODELS[name].path;
  const shown = relative(appRoot(), onnx);
  describe(`shipped ${name} (${shown}) against PyTorch`, () => {
    if (!existsSync(onnx)) {
      it('parity', (t) => { t.skip(`${shown} is not built yet`); });
      return;
    }
    const parity = join(dirname(onnx), 'parity');
    checks(() => ({ onnx, input: join(parity, `${name}-input.npy`), torch: join(parity, `${name}-torch-logprobs.npy`) }));
  });
}

// The adapt fixture's student is exported by the same code as the shipped one, so the checks run
// before the shipped models exist. Its teacher has no parity files, so only the student is checked.
describe('adapt fixture student (test/fixtures/generated/adapt) against PyTorch', () => {
  studentChecks(() => {
    const fx = adaptFixture();
    return { onnx: fx.student, input: fx.parityInput, torch: fx.parityLogprobs };
  });
});

shipped('student', studentChecks);
shipped('teacher', teacherChecks);
