/**
 * The protobuf wire format, just enough to walk an ONNX file: varints, length-delimited spans
 * and skipping. Shared by the metadata reader (inference) and the initializer patcher (adapt),
 * so there is one reader of model bytes. Throws on truncated or malformed input.
 */
export class Wire {
  pos: number;

  constructor(readonly buf: Uint8Array, start = 0, readonly end = buf.length) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.end) throw new Error('truncated varint');
      const byte = this.buf[this.pos++];
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7;
      if (shift > 63) throw new Error('varint too long');
    }
  }

  /** A length-delimited field: returns its [start, end) and moves past it. */
  span(): [number, number] {
    const len = this.varint();
    const start = this.pos;
    if (start + len > this.end) throw new Error('truncated field');
    this.pos += len;
    return [start, start + len];
  }

  /** The bytes of a length-delimited field. */
  bytes(): Uint8Array {
    const [a, b] = this.span();
    return this.buf.subarray(a, b);
  }

  skip(wireType: number): void {
    switch (wireType) {
      case 0: this.varint(); return;
      case 1: this.advance(8); return;
      case 2: this.span(); return;
      case 5: this.advance(4); return;
      default: throw new Error(`unknown wire type ${wireType}`);
    }
  }

  private advance(n: number): void {
    if (this.pos + n > this.end) throw new Error('truncated field');
    this.pos += n;
  }
}
