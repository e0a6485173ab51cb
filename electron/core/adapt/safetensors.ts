/**
 * The safetensors layout (8-byte little-endian header size, JSON header, raw little-endian
 * data), as models/training/hush/onnx_export.py `save_safetensors` writes it. Only F32 is
 * read or written: the student's weights and adaptation profiles are float32.
 */

export interface F32Tensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

export interface Safetensors {
  readonly tensors: ReadonlyMap<string, F32Tensor>;
  readonly metadata: Readonly<Record<string, string>>;
}

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

const MAX_HEADER = 100 * 1024 * 1024;

function isEntry(v: unknown): v is HeaderEntry {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Record<string, unknown>;
  return typeof e.dtype === 'string' && Array.isArray(e.shape) && e.shape.every((n) => Number.isInteger(n) && (n as number) >= 0)
    && Array.isArray(e.data_offsets) && e.data_offsets.length === 2 && e.data_offsets.every((n) => Number.isInteger(n) && (n as number) >= 0);
}

/** Parse safetensors bytes. Throws an Error with a short reason on anything malformed. */
export function readSafetensors(bytes: Uint8Array): Safetensors {
  if (bytes.length < 8) throw new Error('too short for a safetensors file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = Number(view.getBigUint64(0, true));
  if (headerLen > MAX_HEADER || 8 + headerLen > bytes.length) throw new Error('bad header length');
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLen)));
  } catch {
    throw new Error('header is not JSON');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new Error('header is not a JSON object');
  const dataStart = 8 + headerLen;
  const dataLen = bytes.length - dataStart;
  const tensors = new Map<string, F32Tensor>();
  let metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof value !== 'object' || value === null || Object.values(value).some((v) => typeof v !== 'string')) throw new Error('__metadata__ must map strings to strings');
      metadata = { ...(value as Record<string, string>) };
      continue;
    }
    if (!isEntry(value)) throw new Error(`tensor '${name}' has a malformed entry`);
    if (value.dtype !== 'F32') throw new Error(`tensor '${name}' is ${value.dtype}, only F32 is supported`);
    const [from, to] = value.data_offsets;
    const count = value.shape.reduce((a, b) => a * b, 1);
    if (to < from || to > dataLen || to - from !== 4 * count) throw new Error(`tensor '${name}' has bad data offsets`);
    const data = new Float32Array(count);
    new Uint8Array(data.buffer).set(bytes.subarray(dataStart + from, dataStart + to));
    tensors.set(name, { shape: [...value.shape], data });
  }
  return { tensors, metadata };
}

/** Serialise tensors (in the given order) and string metadata. */
export function writeSafetensors(tensors: ReadonlyMap<string, F32Tensor>, metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const [name, t] of tensors) {
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.data.length) throw new Error(`tensor '${name}': shape ${JSON.stringify(t.shape)} does not hold ${t.data.length} values`);
    header[name] = { dtype: 'F32', shape: [...t.shape], data_offsets: [offset, offset + 4 * count] };
    offset += 4 * count;
  }
  if (Object.keys(metadata).length) header.__metadata__ = metadata;
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const t of tensors.values()) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    at += t.data.byteLength;
  }
  return out;
}
