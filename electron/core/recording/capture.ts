/**
 * One live capture: 20 ms frames per channel in, crash-safe WAV files out. Frames are written to the
 * OS as they arrive and fsynced at least every second; missing frames (by sequence number) are filled
 * with silence so channels and the clock stay aligned. Frames that arrive while paused are dropped.
 */
import type { AudioChannel, SessionMeta } from '../contract/channels.js';
import type { AudioFrame } from '../contract/wire.js';
import { logger } from '../log.js';
import type { RecordingStore } from './store.js';
import { WavWriter } from './wav.js';

const log = logger('capture');
/** Gaps longer than this are not filled (the sender restarted its counter). */
const MAX_GAP_FRAMES = 250;

export class CaptureSession {
  private readonly writers = new Map<AudioChannel, WavWriter>();
  private readonly lastSeq = new Map<AudioChannel, number>();
  private readonly timer: NodeJS.Timeout;
  private paused = false;
  private stopped = false;
  meta: SessionMeta;

  constructor(
    private readonly store: RecordingStore,
    meta: SessionMeta,
  ) {
    this.meta = meta;
    store.createSession(meta);
    for (const ch of meta.channels) this.writers.set(ch, WavWriter.create(store.wavPath(meta.id, ch)));
    this.timer = setInterval(() => this.sync(), 500);
    this.timer.unref();
  }

  get id(): string {
    return this.meta.id;
  }

  get state(): 'recording' | 'paused' {
    return this.paused ? 'paused' : 'recording';
  }

  get durationS(): number {
    let max = 0;
    for (const w of this.writers.values()) max = Math.max(max, w.durationS);
    return max;
  }

  write(frame: AudioFrame): void {
    if (this.stopped || this.paused) return;
    const w = this.writers.get(frame.channel);
    if (!w) return;
    const last = this.lastSeq.get(frame.channel);
    if (last !== undefined) {
      const gap = frame.seq - last - 1;
      if (gap > 0 && gap <= MAX_GAP_FRAMES) {
        log.debug(`filling ${gap} missing frames on channel ${frame.channel}`);
        w.write(new Int16Array(gap * frame.pcm.length));
      }
    }
    this.lastSeq.set(frame.channel, frame.seq);
    w.write(frame.pcm);
  }

  pause(): void {
    if (this.stopped || this.paused) return;
    this.paused = true;
    this.sync();
    this.setState('paused');
  }

  resume(): void {
    if (this.stopped || !this.paused) return;
    this.paused = false;
    // The renderer keeps counting while paused; do not fill the paused span with silence.
    this.lastSeq.clear();
    this.setState('recording');
  }

  stop(): SessionMeta {
    if (!this.stopped) {
      this.stopped = true;
      clearInterval(this.timer);
      const durationS = this.durationS;
      for (const w of this.writers.values()) w.close();
      this.meta = { ...this.meta, state: 'done', durationS };
      this.store.writeMeta(this.meta);
    }
    return this.meta;
  }

  private setState(state: 'recording' | 'paused'): void {
    this.meta = { ...this.meta, state, durationS: this.durationS };
    this.store.writeMeta(this.meta);
  }

  private sync(): void {
    try {
      for (const w of this.writers.values()) w.sync();
    } catch (err) {
      log.error('recording sync failed', err);
    }
  }
}
