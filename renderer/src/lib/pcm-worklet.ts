/**
 * AudioWorklet: the context's input → 16 kHz mono Int16 frames of 20 ms (320 samples), posted with
 * the frame's peak level. Resamples linearly when the context does not run at 16 kHz.
 */
interface AudioWorkletProcessorLike {
  readonly port: MessagePort;
}
declare const AudioWorkletProcessor: { prototype: AudioWorkletProcessorLike; new (): AudioWorkletProcessorLike };
declare function registerProcessor(name: string, ctor: new () => AudioWorkletProcessorLike): void;
declare const sampleRate: number;

const TARGET = 16_000;
const FRAME = 320;

class PcmFrames extends AudioWorkletProcessor {
  private frame = new Int16Array(FRAME);
  private fill = 0;
  private peak = 0;
  private readonly step = sampleRate / TARGET;
  private pos = 0;
  private prev = 0;

  process(inputs: Float32Array[][]): boolean {
    const chans = inputs[0];
    if (!chans || chans.length === 0 || chans[0].length === 0) return true;
    const n = chans[0].length;
    const mono = new Float32Array(n);
    for (const c of chans) for (let i = 0; i < n; i++) mono[i] += c[i] / chans.length;
    if (this.step === 1) {
      for (let i = 0; i < n; i++) this.emit(mono[i]);
    } else {
      // Linear interpolation over [prev, mono...]; pos is relative to the previous block's last sample.
      while (this.pos < n) {
        const i = Math.floor(this.pos);
        const frac = this.pos - i;
        const a = i === 0 ? this.prev : mono[i - 1];
        const b = mono[i];
        this.emit(a + (b - a) * frac);
        this.pos += this.step;
      }
      this.pos -= n;
      this.prev = mono[n - 1];
    }
    return true;
  }

  private emit(v: number): void {
    const c = Math.max(-1, Math.min(1, v));
    this.peak = Math.max(this.peak, Math.abs(c));
    this.frame[this.fill++] = Math.round(c * 32767);
    if (this.fill === FRAME) {
      this.port.postMessage({ pcm: this.frame, peak: this.peak }, [this.frame.buffer]);
      this.frame = new Int16Array(FRAME);
      this.fill = 0;
      this.peak = 0;
    }
  }
}

registerProcessor('hush-pcm', PcmFrames);
