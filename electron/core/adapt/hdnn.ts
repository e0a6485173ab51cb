/**
 * The HDNN student (models/training/hush/models.py, HighwayStudent) in TensorFlow.js,
 * built from the config and weights in the student's safetensors file, and held to the
 * PyTorch model by a parity test (test/unit/adapt/hdnn-parity.test.ts).
 *
 *   x  = stack_pairs(cmvn(features))                        10 ms → 20 ms frames
 *   h  = relu(front(x))                                     causal conv
 *   h  = relu(pw_i(dw_i(h))) · σ(T h) + h · σ(C h)          i = 1..layers, T and C tied
 *   logprobs = log_softmax(out(h))
 *
 * Tensors are time-major [frames, channels]. Convolutions are causal: zero left padding
 * is exactly the zero initial state of a stream. Look-ahead is an input delay: the
 * features get `lookahead` copies of their last frame appended and the first
 * lookahead/2 outputs are dropped, as the runtime's StreamingRunner does.
 */
import type * as tfc from '@tensorflow/tfjs';
import { NUM_CLASSES } from '../symbols.js';
import { GATE_PARAMS, type GateParam, type GateValues } from './gates.js';
import type { F32Tensor, Safetensors } from './safetensors.js';
import type { Tf } from './tf.js';

export interface HdnnConfig {
  readonly featDim: number;
  readonly d: number;
  readonly layers: number;
  readonly kernel: number;
  readonly dilations: readonly number[];
  readonly lookahead: number;
  readonly gates: boolean;
  readonly frontKernel: number;
}

function positiveInt(raw: Record<string, unknown>, key: string, fallback?: number): number {
  const v = raw[key] ?? fallback;
  if (!Number.isInteger(v) || (v as number) < 0) throw new Error(`config '${key}' must be a non-negative integer, found ${JSON.stringify(raw[key])}`);
  return v as number;
}

/** The model config from the safetensors `__metadata__.config` JSON (keys as HighwayStudent.config). */
export function hdnnConfigFrom(metadata: Readonly<Record<string, string>>): HdnnConfig {
  if (metadata.config === undefined) throw new Error("no 'config' in the metadata");
  let raw: unknown;
  try {
    raw = JSON.parse(metadata.config);
  } catch {
    throw new Error("metadata 'config' is not JSON");
  }
  if (typeof raw !== 'object' || raw === null) throw new Error("metadata 'config' is not an object");
  const r = raw as Record<string, unknown>;
  const dilations = r.dilations;
  if (!Array.isArray(dilations) || dilations.length === 0 || !dilations.every((x) => Number.isInteger(x) && x > 0)) throw new Error("config 'dilations' must be a list of positive integers");
  if (r.gates !== undefined && typeof r.gates !== 'boolean') throw new Error("config 'gates' must be true or false");
  const cfg: HdnnConfig = {
    featDim: positiveInt(r, 'feat_dim'),
    d: positiveInt(r, 'd'),
    layers: positiveInt(r, 'layers'),
    kernel: positiveInt(r, 'kernel'),
    dilations: dilations as number[],
    lookahead: positiveInt(r, 'lookahead'),
    gates: (r.gates as boolean | undefined) ?? true,
    frontKernel: positiveInt(r, 'front_kernel', 3),
  };
  if (cfg.lookahead % 2) throw new Error('config lookahead must be even');
  if (cfg.d === 0 || cfg.kernel === 0 || cfg.frontKernel === 0 || cfg.featDim === 0) throw new Error('config has a zero size');
  return cfg;
}

/** Every tensor of the state dict with its shape (HighwayStudent.state_dict()). */
export function expectedShapes(cfg: HdnnConfig): Map<string, number[]> {
  const { d, featDim, kernel, frontKernel } = cfg;
  const m = new Map<string, number[]>([
    ['cmvn.mean', [featDim]],
    ['cmvn.istd', [featDim]],
    ['front.conv.weight', [d, 2 * featDim, frontKernel]],
    ['front.conv.bias', [d]],
  ]);
  for (let i = 0; i < cfg.layers; i++) m.set(`dw.${i}.conv.weight`, [d, 1, kernel]);
  for (let i = 0; i < cfg.layers; i++) {
    m.set(`pw.${i}.weight`, [d, d, 1]);
    m.set(`pw.${i}.bias`, [d]);
  }
  if (cfg.gates) {
    m.set('transform_gate.weight', [d, d, 1]);
    m.set('transform_gate.bias', [d]);
    m.set('carry_gate.weight', [d, d, 1]);
    m.set('carry_gate.bias', [d]);
  }
  m.set('out.weight', [NUM_CLASSES, d, 1]);
  m.set('out.bias', [NUM_CLASSES]);
  return m;
}

export interface StudentWeights {
  readonly config: HdnnConfig;
  readonly version: string;
  readonly tensors: ReadonlyMap<string, F32Tensor>;
}

/** Check a student safetensors file against its own config; throws an Error naming what is wrong. */
export function studentWeightsFrom(st: Safetensors): StudentWeights {
  const config = hdnnConfigFrom(st.metadata);
  const version = st.metadata.model_version;
  if (!version) throw new Error("no 'model_version' in the metadata");
  const want = expectedShapes(config);
  for (const [name, shape] of want) {
    const t = st.tensors.get(name);
    if (!t) throw new Error(`tensor '${name}' is missing`);
    if (t.shape.join(',') !== shape.join(',')) throw new Error(`tensor '${name}' has shape [${t.shape.join(', ')}], config says [${shape.join(', ')}]`);
  }
  const extra = [...st.tensors.keys()].filter((k) => !want.has(k));
  if (extra.length) throw new Error(`unexpected tensors for an HDNN student: ${extra.slice(0, 3).join(', ')}`);
  return { config, version, tensors: st.tensors };
}

/** Output frames of left context that the body (dw convs) reads: outputs earlier than this in a chunk are not exact. */
export function receptiveField(cfg: HdnnConfig): number {
  let r = 0;
  for (let i = 0; i < cfg.layers; i++) r += (cfg.kernel - 1) * cfg.dilations[i % cfg.dilations.length];
  return r;
}

/** [out, in, k] → tf conv filter [k, in, out]. */
function convFilter(t: F32Tensor): Float32Array {
  const [o, c, k] = t.shape;
  const out = new Float32Array(o * c * k);
  for (let a = 0; a < o; a++) for (let b = 0; b < c; b++) for (let j = 0; j < k; j++) out[(j * c + b) * o + a] = t.data[(a * c + b) * k + j];
  return out;
}

/** Depthwise [d, 1, k] → tf depthwise filter [1, k, d, 1], optionally flipped in time. */
function depthwiseFilter(t: F32Tensor, flip: boolean): Float32Array {
  const [d, , k] = t.shape;
  const out = new Float32Array(d * k);
  for (let c = 0; c < d; c++) for (let j = 0; j < k; j++) out[(flip ? k - 1 - j : j) * d + c] = t.data[c * k + j];
  return out;
}

type T2 = tfc.Tensor2D;

interface Layer {
  readonly dw: (x: T2) => T2;
  readonly pw: (x: T2) => T2;
  readonly pwBias: tfc.Tensor1D;
}

/** torch [out, in, 1] → [in, out] (x · W with x time-major). */
function transposed(t: F32Tensor): Float32Array {
  const [o, i] = t.shape;
  const out = new Float32Array(o * i);
  for (let a = 0; a < o; a++) for (let b = 0; b < i; b++) out[b * o + a] = t.data[a * i + b];
  return out;
}

/** The student's forward in tfjs with its tied gates as trainable variables. Call dispose() when done. */
export class HdnnModel {
  readonly config: HdnnConfig;
  readonly version: string;
  /** Output frames dropped at the start of a stream (look-ahead as an input delay). */
  readonly delay: number;
  readonly receptiveField: number;
  /** The trainable gate parameters, in GATE_PARAMS order; weights are stored [d_in, d_out]. */
  readonly gates: readonly tfc.Variable[];
  private readonly owned: tfc.Tensor[] = [];
  private readonly layers: Layer[] = [];
  private readonly cmvnMean: tfc.Tensor1D;
  private readonly cmvnIstd: tfc.Tensor1D;
  private readonly front: tfc.Tensor3D;
  private readonly frontBias: tfc.Tensor1D;
  private readonly out: (x: T2) => T2;
  private readonly outB: tfc.Tensor1D;
  private readonly gateLinear: (x: T2, w: T2) => T2;

  constructor(private readonly tf: Tf, weights: StudentWeights) {
    const cfg = weights.config;
    if (!cfg.gates) throw new Error('this student has no gates (a plain DNN): nothing to adapt');
    this.config = cfg;
    this.version = weights.version;
    this.delay = cfg.lookahead / 2;
    this.receptiveField = receptiveField(cfg);
    const get = (name: string): F32Tensor => {
      const t = weights.tensors.get(name);
      if (!t) throw new Error(`tensor '${name}' is missing`);
      return t;
    };
    const keep = <T extends tfc.Tensor>(t: T): T => {
      this.owned.push(t);
      return t;
    };
    const { d, featDim } = cfg;
    this.cmvnMean = keep(tf.tensor1d(get('cmvn.mean').data));
    this.cmvnIstd = keep(tf.tensor1d(get('cmvn.istd').data));
    this.front = keep(tf.tensor3d(convFilter(get('front.conv.weight')), [cfg.frontKernel, 2 * featDim, d]));
    this.frontBias = keep(tf.tensor1d(get('front.conv.bias').data));
    for (let i = 0; i < cfg.layers; i++) {
      const w = get(`dw.${i}.conv.weight`);
      const fwd = keep(tf.tensor4d(depthwiseFilter(w, false), [1, cfg.kernel, d, 1]));
      const back = keep(tf.tensor4d(depthwiseFilter(w, true), [1, cfg.kernel, d, 1]));
      const dil = cfg.dilations[i % cfg.dilations.length];
      const pw = get(`pw.${i}.weight`);
      this.layers.push({
        dw: this.causalDepthwise(fwd, back, dil),
        pw: this.constLinear(keep(tf.tensor2d(transposed(pw), [d, d])), keep(tf.tensor2d(pw.data, [d, d]))),
        pwBias: keep(tf.tensor1d(get(`pw.${i}.bias`).data)),
      });
    }
    const uid = Math.random().toString(36).slice(2);
    this.gates = GATE_PARAMS.map((name) => {
      const t = get(name);
      return tf.variable(t.shape.length === 3 ? tf.tensor2d(transposed(t), [d, d]) : tf.tensor1d(t.data), true, `gate_${name}_${uid}`);
    });
    this.gateLinear = this.trainableLinear();
    const outW = get('out.weight');
    this.out = this.constLinear(keep(tf.tensor2d(transposed(outW), [d, NUM_CLASSES])), keep(tf.tensor2d(outW.data, [NUM_CLASSES, d])));
    this.outB = keep(tf.tensor1d(get('out.bias').data));
  }

  /*
   * x · W for time-major x. tfjs's wasm matMul is fast only untransposed (its transposed
   * forms are ~10x slower), and the stock gradient uses them; so the gradients are given
   * with explicit transposes: dx = dy · Wᵀ, dW = xᵀ · dy.
   */
  private constLinear(w: T2, wT: T2): (x: T2) => T2 {
    const tf = this.tf;
    const op = tf.customGrad((...args: (tfc.Tensor | tfc.GradSaveFunc)[]) => ({
      value: tf.matMul(args[0] as T2, w),
      gradFunc: (dy: tfc.Tensor) => tf.matMul(dy as T2, wT),
    }));
    return (x: T2) => op(x) as T2;
  }

  private trainableLinear(): (x: T2, w: T2) => T2 {
    const tf = this.tf;
    const op = tf.customGrad((...args: (tfc.Tensor | tfc.GradSaveFunc)[]) => {
      const [x, w, save] = args as [T2, T2, tfc.GradSaveFunc];
      save([x, w]);
      return {
        value: tf.matMul(x, w),
        gradFunc: (dy: tfc.Tensor, saved: tfc.Tensor[]) => {
          const [sx, sw] = saved as [T2, T2];
          return [tf.matMul(dy as T2, tf.transpose(sw)), tf.matMul(tf.transpose(sx), dy as T2)];
        },
      };
    });
    return (x: T2, w: T2) => op(x, w) as T2;
  }

  /**
   * Causal dilated depthwise conv over [T, d]. tfjs's wasm backend has no depthwise
   * backprop kernel, so the input gradient is given directly: the same conv with the
   * filter flipped in time and the padding on the other side.
   */
  private causalDepthwise(fwd: tfc.Tensor4D, back: tfc.Tensor4D, dil: number): (x: T2) => T2 {
    const tf = this.tf;
    const ctx = (this.config.kernel - 1) * dil;
    const d = this.config.d;
    const conv = (x: tfc.Tensor, filter: tfc.Tensor4D, left: number, right: number): T2 => {
      const n = x.shape[0];
      const y = tf.depthwiseConv2d(tf.reshape(x, [1, 1, n, d]) as tfc.Tensor4D, filter, 1, [[0, 0], [0, 0], [left, right], [0, 0]], 'NHWC', [1, dil]);
      return tf.reshape(y, [n, d]) as T2;
    };
    const op = tf.customGrad((...args: (tfc.Tensor | tfc.GradSaveFunc)[]) => ({
      value: conv(args[0] as tfc.Tensor, fwd, ctx, 0),
      gradFunc: (dy: tfc.Tensor) => conv(dy, back, 0, ctx),
    }));
    return (x: T2) => op(x) as T2;
  }

  /**
   * Features [frames × featDim] → the body's input h0 [(frames + pad)/2 × d], with the
   * look-ahead padding of a stream's end. Not differentiable; computed once per file.
   */
  frontend(features: Float32Array, frames: number): Float32Array {
    const tf = this.tf;
    const { featDim, lookahead, frontKernel, d } = this.config;
    if (frames === 0) return new Float32Array(0);
    const pad = lookahead + ((frames + lookahead) % 2);
    const padded = new Float32Array((frames + pad) * featDim);
    padded.set(features.subarray(0, frames * featDim));
    const last = features.subarray((frames - 1) * featDim, frames * featDim);
    for (let i = 0; i < pad; i++) padded.set(last, (frames + i) * featDim);
    const rows = (frames + pad) / 2;
    const out = new Float32Array(rows * d);
    const block = 2048;
    const ctx = frontKernel - 1;
    for (let start = 0; start < rows; start += block) {
      const end = Math.min(rows, start + block);
      const from = Math.max(0, start - ctx);
      const h = tf.tidy(() => {
        const x = tf.mul(tf.sub(tf.tensor2d(padded.subarray(from * 2 * featDim, end * 2 * featDim), [(end - from) * 2, featDim]), this.cmvnMean), this.cmvnIstd);
        const stacked = tf.reshape(x, [1, end - from, 2 * featDim]) as tfc.Tensor3D;
        const leftPad = ctx - (start - from);
        const y = tf.conv1d(tf.pad(stacked, [[0, 0], [leftPad, 0], [0, 0]]), this.front, 1, 'valid');
        return tf.relu(tf.add(y, this.frontBias));
      });
      out.set(h.dataSync(), start * d);
      h.dispose();
    }
    return out;
  }

  /** h0 [n × d] → logits [n × 29]; differentiable with respect to `gates`. Call inside tidy/variableGrads. */
  body(h0: T2): T2 {
    const tf = this.tf;
    const [tw, tb, cw, cb] = this.gates;
    let h = h0;
    for (const layer of this.layers) {
      const y = tf.relu(tf.add(layer.pw(layer.dw(h)), layer.pwBias));
      const t = tf.sigmoid(tf.add(this.gateLinear(h, tw as T2), tb));
      const c = tf.sigmoid(tf.add(this.gateLinear(h, cw as T2), cb));
      h = tf.add(tf.mul(y, t), tf.mul(h, c));
    }
    return tf.add(this.out(h), this.outB);
  }

  /**
   * Log-probs of a whole utterance as a stream would give them: ceil(frames/2) × 29,
   * aligned with the runtime's StreamingRunner output.
   */
  logProbs(features: Float32Array, frames: number): Float32Array {
    const h0 = this.frontend(features, frames);
    return this.logProbsFromFront(h0);
  }

  /** Log-probs from a whole file's frontend output, in blocks (exact: each block carries its receptive field). */
  logProbsFromFront(h0: Float32Array, block = 1024): Float32Array {
    const tf = this.tf;
    const d = this.config.d;
    const rows = h0.length / d;
    const kept = Math.max(0, rows - this.delay);
    const out = new Float32Array(kept * NUM_CLASSES);
    for (let start = this.delay; start < rows; start += block) {
      const end = Math.min(rows, start + block);
      const from = Math.max(0, start - this.receptiveField);
      const lp = tf.tidy(() => {
        const logits = this.body(tf.tensor2d(h0.subarray(from * d, end * d), [end - from, d]));
        return tf.logSoftmax(tf.slice(logits, [start - from, 0], [end - start, NUM_CLASSES]));
      });
      out.set(lp.dataSync(), (start - this.delay) * NUM_CLASSES);
      lp.dispose();
    }
    return out;
  }

  /** The current gate parameters in the state dict's shapes. */
  gateValues(): Map<GateParam, F32Tensor> {
    const d = this.config.d;
    return new Map(GATE_PARAMS.map((name, i) => {
      const v = Float32Array.from(this.gates[i].dataSync());
      // Stored [in, out]; the state dict holds [out, in, 1].
      return [name, name.endsWith('weight') ? { shape: [d, d, 1], data: transposed({ shape: [d, d], data: v }) } : { shape: [d], data: v }];
    }));
  }

  /** Set the gates (e.g. back to the base) from state-dict-shaped values. */
  setGates(values: GateValues): void {
    GATE_PARAMS.forEach((name, i) => {
      const v = values.get(name);
      if (!v) throw new Error(`gate '${name}' missing`);
      const data = name.endsWith('weight') ? transposed(v) : v.data;
      const t = this.tf.tensor(data, this.gates[i].shape);
      this.gates[i].assign(t);
      t.dispose();
    });
  }

  dispose(): void {
    for (const t of this.owned) t.dispose();
    for (const v of this.gates) v.dispose();
  }
}
