/** A growable queue of fixed-width frames (row-major Float32), for features and log-probs alike. */
export class FrameBuffer {
  private data: Float32Array;
  private start = 0;
  private end = 0;

  constructor(readonly dim: number, capacityFrames = 256) {
    this.data = new Float32Array(capacityFrames * dim);
  }

  get frames(): number {
    return (this.end - this.start) / this.dim;
  }

  append(rows: Float32Array): void {
    if (rows.length % this.dim !== 0) throw new RangeError(`append of ${rows.length} values is not a whole number of ${this.dim}-wide frames`);
    if (this.end + rows.length > this.data.length) this.compact(rows.length);
    this.data.set(rows, this.end);
    this.end += rows.length;
  }

  /** A copy of frames [from, to) counted from the head, without consuming them. */
  peek(from: number, to: number): Float32Array {
    return this.data.slice(this.start + from * this.dim, this.start + to * this.dim);
  }

  /** Remove and return the first n frames. */
  take(n: number): Float32Array {
    const out = this.peek(0, n);
    this.drop(n);
    return out;
  }

  drop(n: number): void {
    this.start = Math.min(this.start + n * this.dim, this.end);
  }

  /** The last frame, for end-of-stream padding. */
  last(): Float32Array {
    return this.data.slice(this.end - this.dim, this.end);
  }

  clear(): void {
    this.start = 0;
    this.end = 0;
  }

  private compact(extra: number): void {
    const live = this.end - this.start;
    const needed = live + extra;
    const target = needed > this.data.length / 2 ? new Float32Array(Math.max(needed * 2, this.data.length)) : this.data;
    if (target === this.data) this.data.copyWithin(0, this.start, this.end);
    else target.set(this.data.subarray(this.start, this.end), 0);
    this.data = target;
    this.start = 0;
    this.end = live;
  }
}
