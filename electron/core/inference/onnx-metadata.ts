/**
 * Reads `metadata_props` (ModelProto field 14) from an ONNX file. onnxruntime-node
 * does not expose custom metadata, so we walk the top level of the protobuf wire
 * format: every other field is skipped by its length, so this costs microseconds
 * even for large models, and a truncated file is caught here with a clear error.
 */
import { Wire } from './protobuf-wire.js';

const METADATA_PROPS = 14;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Key/value metadata of an ONNX model. Throws on anything that is not a well-formed protobuf. */
export function readOnnxMetadata(buf: Uint8Array): Record<string, string> {
  const top = new Wire(buf);
  const out: Record<string, string> = {};
  let sawGraph = false;
  while (!top.done) {
    const tag = top.varint();
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (field === METADATA_PROPS && wire === 2) {
      const entry = new Wire(top.bytes());
      let key = '';
      let value = '';
      while (!entry.done) {
        const t = entry.varint();
        if ((t & 7) !== 2) { entry.skip(t & 7); continue; }
        const text = utf8.decode(entry.bytes());
        if (t >> 3 === 1) key = text; else if (t >> 3 === 2) value = text;
      }
      out[key] = value;
    } else {
      if (field === 7) sawGraph = true;
      top.skip(wire);
    }
  }
  if (!sawGraph) throw new Error('no graph in the model');
  return out;
}
