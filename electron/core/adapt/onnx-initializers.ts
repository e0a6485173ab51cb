/**
 * Finds and rewrites float initializers inside ONNX bytes without an ONNX library.
 *
 * ONNX weights are initializers (GraphProto field 5, each a TensorProto). We walk the
 * protobuf wire format to the byte range that holds each tensor's values (raw_data,
 * field 9, or packed float_data, field 4) and overwrite those bytes in a copy of the
 * model. The value count is unchanged, so no length prefix moves and the rest of the
 * file is byte-identical: applying a profile cannot break the graph.
 */

import { Wire } from '../inference/protobuf-wire.js';

const MODEL_GRAPH = 7;
const GRAPH_INITIALIZER = 5;
const TENSOR_DIMS = 1;
const TENSOR_DATA_TYPE = 2;
const TENSOR_FLOAT_DATA = 4;
const TENSOR_NAME = 8;
const TENSOR_RAW_DATA = 9;
const TENSOR_DATA_LOCATION = 14;

const FLOAT = 1;
const FLOAT16 = 10;

export interface InitializerRef {
  readonly name: string;
  readonly dims: readonly number[];
  /** 'float32' or 'float16' (models exported with store_weights_fp16). */
  readonly type: 'float32' | 'float16';
  /** Absolute byte range of the values in the model bytes (little-endian). */
  readonly offset: number;
  readonly byteLength: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function readTensor(buf: Uint8Array, start: number, end: number): InitializerRef | null {
  const r = new Wire(buf, start, end);
  let name = '';
  const dims: number[] = [];
  let dataType = 0;
  let values: [number, number] | null = null;
  let external = false;
  while (!r.done) {
    const tag = r.varint();
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (field === TENSOR_NAME && wire === 2) {
      const [a, b] = r.span();
      name = utf8.decode(buf.subarray(a, b));
    } else if (field === TENSOR_DIMS && wire === 0) {
      dims.push(r.varint());
    } else if (field === TENSOR_DIMS && wire === 2) {
      const [a, b] = r.span();
      const p = new Wire(buf, a, b);
      while (!p.done) dims.push(p.varint());
    } else if (field === TENSOR_DATA_TYPE && wire === 0) {
      dataType = r.varint();
    } else if ((field === TENSOR_RAW_DATA || field === TENSOR_FLOAT_DATA) && wire === 2) {
      values = r.span();
    } else if (field === TENSOR_DATA_LOCATION && wire === 0) {
      external = r.varint() === 1;
    } else {
      r.skip(wire);
    }
  }
  if (external || values === null || (dataType !== FLOAT && dataType !== FLOAT16)) return null;
  return { name, dims, type: dataType === FLOAT ? 'float32' : 'float16', offset: values[0], byteLength: values[1] - values[0] };
}

/**
 * Every float initializer stored inline, by name. Names follow the exporter, e.g.
 * `model.transform_gate.weight` (or `…__fp16` for half-precision storage). Throws on
 * bytes that are not a well-formed ONNX protobuf.
 */
export function findInitializers(bytes: Uint8Array): Map<string, InitializerRef> {
  const top = new Wire(bytes, 0, bytes.length);
  const out = new Map<string, InitializerRef>();
  let sawGraph = false;
  while (!top.done) {
    const tag = top.varint();
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (field === MODEL_GRAPH && wire === 2) {
      sawGraph = true;
      const [gs, ge] = top.span();
      const g = new Wire(bytes, gs, ge);
      while (!g.done) {
        const t = g.varint();
        if (Math.floor(t / 8) === GRAPH_INITIALIZER && (t & 7) === 2) {
          const [ts, te] = g.span();
          const ref = readTensor(bytes, ts, te);
          if (ref) out.set(ref.name, ref);
        } else {
          g.skip(t & 7);
        }
      }
    } else {
      top.skip(wire);
    }
  }
  if (!sawGraph) throw new Error('no graph in the model');
  return out;
}

/** The initializer holding a state-dict parameter (`transform_gate.weight` → `model.transform_gate.weight`, fp16 variants too). */
export function initializerFor(inits: ReadonlyMap<string, InitializerRef>, param: string): InitializerRef | undefined {
  for (const name of [param, `model.${param}`, `${param}__fp16`, `model.${param}__fp16`]) {
    const ref = inits.get(name);
    if (ref) return ref;
  }
  const suffix = `.${param}`;
  const matches = [...inits.values()].filter((r) => r.name.endsWith(suffix) || r.name.endsWith(`${suffix}__fp16`));
  return matches.length === 1 ? matches[0] : undefined;
}

export function elementCount(ref: InitializerRef): number {
  return ref.byteLength / (ref.type === 'float32' ? 4 : 2);
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? Number.NaN : s * Number.POSITIVE_INFINITY;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

function floatToHalf(v: number): number {
  f32[0] = v;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >> shift;
    if ((mant >> (shift - 1)) & 1) half += 1; // round half up
    return sign | half;
  }
  let half = sign | (e << 10) | (mant >> 13);
  if (mant & 0x1000) half += 1; // round to nearest
  return half;
}

/** The values of an initializer as float32. */
export function readInitializer(bytes: Uint8Array, ref: InitializerRef): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset + ref.offset, ref.byteLength);
  const n = elementCount(ref);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = ref.type === 'float32' ? view.getFloat32(4 * i, true) : halfToFloat(view.getUint16(2 * i, true));
  return out;
}

/** A copy of `bytes` with the given initializers' values replaced (counts must match). */
export function patchInitializers(bytes: Uint8Array, values: ReadonlyMap<InitializerRef, Float32Array>): Uint8Array {
  const out = new Uint8Array(bytes);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  for (const [ref, data] of values) {
    if (data.length !== elementCount(ref)) throw new Error(`initializer '${ref.name}' holds ${elementCount(ref)} values, not ${data.length}`);
    for (let i = 0; i < data.length; i++) {
      if (ref.type === 'float32') view.setFloat32(ref.offset + 4 * i, data[i], true);
      else view.setUint16(ref.offset + 2 * i, floatToHalf(data[i]), true);
    }
  }
  return out;
}
