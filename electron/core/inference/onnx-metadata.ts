/**
 * Reads `metadata_props` (ModelProto field 14) from an ONNX file. onnxruntime-node
 * does not expose custom metadata, so we walk the top level of the protobuf wire
 * format: every other field is skipped by its length, so this costs microseconds
 * even for large models, and a truncated file is caught here with a clear error.
 */
const METADATA_PROPS = 14;

class Reader {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.buf.length) throw new Error('truncated varint');
      const byte = this.buf[this.pos++];
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7;
      if (shift > 63) throw new Error('varint too long');
    }
  }

  bytes(): Uint8Array {
    const len = this.varint();
    if (this.pos + len > this.buf.length) throw new Error('truncated field');
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  skip(wireType: number): void {
    switch (wireType) {
      case 0: this.varint(); return;
      case 1: this.advance(8); return;
      case 2: this.bytes(); return;
      case 5: this.advance(4); return;
      default: throw new Error(`unknown wire type ${wireType}`);
    }
  }

  private advance(n: number): void {
    if (this.pos + n > this.buf.length) throw new Error('truncated field');
    this.pos += n;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Key/value metadata of an ONNX model. Throws on anything that is not a well-formed protobuf. */
export function readOnnxMetadata(buf: Uint8Array): Record<string, string> {
  const top = new Reader(buf);
  const out: Record<string, string> = {};
  let sawGraph = false;
  while (!top.done) {
    const tag = top.varint();
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (field === METADATA_PROPS && wire === 2) {
      const entry = new Reader(top.bytes());
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
