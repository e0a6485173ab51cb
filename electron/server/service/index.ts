/**
 * The host service behind the contract: settings, capture, recordings on disk, the transcriber
 * worker, imports and recovery. Plain Node: the Electron main process and the browser-mode server
 * both bind exactly this object, so the two doors behave the same.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import type { AudioChannel, EventChannel, EventOf, SessionMeta, Settings, StoredSegment, TranscriberStatus, WirePayloadSegment } from '../../core/contract/channels.js';
import type { EventSink, RequestHandlers } from '../../core/contract/host.js';
import { decodeFrame } from '../../core/contract/wire.js';
import { HushError } from '../../core/errors.js';
import { logger } from '../../core/log.js';
import { CaptureSession } from '../../core/recording/capture.js';
import { RecordingStore, StoreError, newSessionId } from '../../core/recording/store.js';
import { SettingsStore } from './settings.js';
import { TranscriberHost, type EngineConfig, type SpawnWorker } from './transcriber-host.js';

const log = logger('service');

export interface ServiceOptions {
  mode: 'electron' | 'browser';
  version: string;
  /** settings.json lives here. */
  configDir: string;
  /** Default storage folder for recordings. */
  defaultStorageDir: string;
  spawnWorker: SpawnWorker;
  /** Whether system audio can be captured as a second channel on this platform and door. */
  loopback: boolean;
}

export class CaptureError extends HushError {
  constructor(problem: string) {
    super('capture', problem);
  }
}

function providerFor(setting: Settings['provider']): string {
  if (setting !== 'gpu') return setting;
  if (process.platform === 'win32') return 'dml';
  if (process.platform === 'darwin') return 'coreml';
  return 'cuda';
}

export class HushService {
  private readonly sinks = new Set<EventSink>();
  private readonly settings: SettingsStore;
  private store: RecordingStore;
  private capture: CaptureSession | null = null;
  private readonly transcriber: TranscriberHost;
  private badFrames = 0;
  private tick: NodeJS.Timeout | null = null;
  readonly handlers: RequestHandlers;

  constructor(private readonly opts: ServiceOptions) {
    this.settings = new SettingsStore(opts.configDir, {
      inputDeviceId: '',
      captureSystemAudio: false,
      model: 'auto',
      provider: 'auto',
      recordOnly: false,
      storageDir: opts.defaultStorageDir,
    });
    this.store = new RecordingStore(this.settings.get().storageDir);
    this.transcriber = new TranscriberHost(opts.spawnWorker, (s) => this.emit('transcriber.status', s));
    this.handlers = this.makeHandlers();
  }

  /** Recover sessions a killed host left open, then start the transcriber. */
  async start(): Promise<void> {
    const recovered = this.store.recoverInterrupted();
    await this.transcriber.configure(this.engineConfig());
    for (const meta of recovered) this.transcribeTail(meta);
  }

  subscribe(sink: EventSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  private emit<C extends EventChannel>(channel: C, payload: EventOf<C>): void {
    for (const sink of this.sinks) {
      try {
        sink(channel, payload);
      } catch (err) {
        log.warn(`event sink failed on ${channel}`, err);
      }
    }
  }

  /** The audio fast path: validated binary frames straight into the recording file. */
  pushFrame(bytes: Uint8Array): void {
    if (!this.capture) return;
    try {
      this.capture.write(decodeFrame(bytes));
    } catch (err) {
      if (this.badFrames++ % 500 === 0) log.warn('dropping invalid audio frame', err);
    }
  }

  /** WAV files of a session, for playback. */
  audioFiles(sessionId: string): string[] {
    if (!this.store.exists(sessionId)) return [];
    const meta = this.store.readMeta(sessionId);
    return meta.channels.map((c) => this.store.wavPath(sessionId, c)).filter((p) => fs.existsSync(p));
  }

  get storageDir(): string {
    return this.settings.get().storageDir;
  }

  private engineConfig(): EngineConfig | null {
    const s = this.settings.get();
    if (s.recordOnly) return null;
    return { model: s.model, provider: providerFor(s.provider), lm: true, threads: 1 };
  }

  private captureState(): EventOf<'capture.state'> {
    const c = this.capture;
    return { sessionId: c?.id ?? null, state: c ? c.state : 'idle', durationS: c?.durationS ?? 0 };
  }

  /** Transcribes a channel's recording into segments.jsonl and live events. */
  private feed(meta: SessionMeta, channel: AudioChannel, fromSample: number, onProgress?: (samples: number) => void): void {
    const key = `${meta.id}:${channel}`;
    const toStored = (s: WirePayloadSegment): StoredSegment => ({ sessionId: meta.id, channel, ...s });
    this.transcriber.addFeed(key, this.store.wavPath(meta.id, channel), fromSample, {
      onFinals: (segs) => {
        const stored = segs.filter((s) => s.text.trim()).map(toStored);
        if (stored.length === 0) return;
        try {
          this.store.appendSegments(meta.id, stored);
        } catch (err) {
          log.error('could not store segments', err);
        }
        this.emit('transcript.update', { sessionId: meta.id, channel, finals: stored, partial: null });
      },
      onPartial: (seg) => this.emit('transcript.update', { sessionId: meta.id, channel, finals: [], partial: seg }),
      onProgress,
    });
  }

  private finishFeeds(meta: SessionMeta): Promise<void> {
    return Promise.all(meta.channels.map((c) => this.transcriber.finishFeed(`${meta.id}:${c}`))).then(() => undefined);
  }

  /** After a crash: transcribe what the last final segment did not cover. */
  private transcribeTail(meta: SessionMeta): void {
    if (!this.engineConfig()) return;
    const segs = this.store.readSegments(meta.id);
    for (const ch of meta.channels) {
      const lastEnd = Math.max(0, ...segs.filter((s) => s.channel === ch).map((s) => s.end));
      this.feed(meta, ch, Math.round(lastEnd * 16_000));
    }
    void this.finishFeeds(meta).then(() => this.emit('library.changed', { sessionIds: [meta.id] }));
  }

  private makeHandlers(): RequestHandlers {
    return {
      'app.info': async () => ({
        version: this.opts.version,
        mode: this.opts.mode,
        platform: process.platform,
        loopback: this.opts.loopback,
        dataDir: this.storageDir,
      }),
      'settings.get': async () => this.settings.get(),
      'settings.set': async (patch) => {
        if (patch.storageDir !== undefined && patch.storageDir !== this.storageDir) {
          if (this.capture) throw new CaptureError('stop recording before moving the storage folder');
          if (!path.isAbsolute(patch.storageDir)) throw new StoreError('the storage folder must be an absolute path');
          this.store = new RecordingStore(patch.storageDir);
        }
        const next = this.settings.set(patch);
        if (patch.model !== undefined || patch.provider !== undefined || patch.recordOnly !== undefined) {
          void this.transcriber.configure(this.engineConfig());
        }
        return next;
      },
      'capture.start': async ({ title, channels }) => {
        if (this.capture) throw new CaptureError('a recording is already running');
        const chans: AudioChannel[] = channels.length ? [...new Set(channels)].sort() : [0];
        const meta: SessionMeta = { id: newSessionId(), title: title.trim() || 'Untitled meeting', createdAt: Date.now(), durationS: 0, state: 'recording', channels: chans };
        this.capture = new CaptureSession(this.store, meta);
        const engine = this.engineConfig();
        // A model may have been built since the last try: retry an unavailable engine, without waiting.
        const st = this.transcriber.currentStatus.state;
        if (engine && (st === 'unavailable' || st === 'error')) void this.transcriber.configure(engine);
        if (engine) for (const ch of chans) this.feed(meta, ch, 0);
        log.info(`recording ${meta.id} (${chans.length} channel${chans.length > 1 ? 's' : ''})`);
        this.emit('capture.state', this.captureState());
        this.tick = setInterval(() => this.emit('capture.state', this.captureState()), 1000);
        this.tick.unref();
        return meta;
      },
      'capture.pause': async () => {
        this.capture?.pause();
        const s = this.captureState();
        this.emit('capture.state', s);
        return s;
      },
      'capture.resume': async () => {
        this.capture?.resume();
        const s = this.captureState();
        this.emit('capture.state', s);
        return s;
      },
      'capture.stop': async () => {
        const c = this.capture;
        if (!c) throw new CaptureError('nothing is recording');
        this.capture = null;
        this.stopTick();
        const meta = c.stop();
        this.emit('capture.state', this.captureState());
        void this.finishFeeds(meta).then(() => this.emit('library.changed', { sessionIds: [meta.id] }));
        return meta;
      },
      'capture.state': async () => this.captureState(),
      'transcriber.status': async (): Promise<TranscriberStatus> => this.transcriber.currentStatus,
      'library.list': async () =>
        this.store.list().map((m) => (this.capture && m.id === this.capture.id ? { ...m, durationS: this.capture.durationS } : m)),
      'library.segments': async ({ sessionId }) => (this.store.exists(sessionId) ? this.store.readSegments(sessionId) : []),
      'library.rename': async ({ sessionId, title }) => {
        const meta = { ...this.store.readMeta(sessionId), title: title.trim() || 'Untitled meeting' };
        this.store.writeMeta(meta);
        if (this.capture?.id === sessionId) this.capture.meta = { ...this.capture.meta, title: meta.title };
        return meta;
      },
      'library.delete': async ({ sessionId }) => {
        if (this.capture?.id === sessionId) throw new CaptureError('stop the recording before deleting it');
        return { deleted: this.store.delete(sessionId) };
      },
      'library.saveSegments': async ({ sessionId, segments }) => {
        if (segments.some((s) => s.sessionId !== sessionId)) throw new StoreError('segments belong to another session');
        this.store.saveSegments(sessionId, segments);
        return { saved: segments.length };
      },
      'library.import': async ({ importId, name, bytes }) => this.importFile(importId, name, bytes),
    };
  }

  private async importFile(importId: string, name: string, bytes: Uint8Array): Promise<SessionMeta> {
    const base = path.basename(name).replace(/[^\w.\- ]+/g, '_').slice(-120) || 'audio';
    const ext = path.extname(base).toLowerCase() || '.bin';
    const meta: SessionMeta = {
      id: newSessionId(),
      title: base.replace(/\.[^.]+$/, ''),
      createdAt: Date.now(),
      durationS: 0,
      state: 'imported',
      channels: [0],
      source: base,
    };
    const progress = (p: Omit<EventOf<'import.progress'>, 'importId' | 'name'>) => this.emit('import.progress', { importId, name, ...p });
    progress({ fraction: 0, stage: 'decoding' });
    this.store.createSession(meta);
    const src = path.join(this.store.dir(meta.id), `source-${crypto.randomBytes(3).toString('hex')}${ext}`);
    try {
      fs.writeFileSync(src, bytes);
      const durationS = await this.transcriber.decode(src, this.store.wavPath(meta.id, 0));
      const done: SessionMeta = { ...meta, durationS };
      this.store.writeMeta(done);
      if (this.engineConfig()) {
        const total = Math.max(1, Math.round(durationS * 16_000));
        progress({ fraction: 0, stage: 'transcribing', sessionId: meta.id });
        this.feed(done, 0, 0, (n) => progress({ fraction: Math.min(1, n / total), stage: 'transcribing', sessionId: meta.id }));
        void this.finishFeeds(done).then(() => {
          progress({ fraction: 1, stage: 'done', sessionId: meta.id });
          this.emit('library.changed', { sessionIds: [meta.id] });
        });
      } else {
        progress({ fraction: 1, stage: 'done', sessionId: meta.id });
      }
      return done;
    } catch (err) {
      this.store.delete(meta.id);
      progress({ fraction: 1, stage: 'failed', error: err instanceof HushError ? err.userMessage : String(err) });
      throw err;
    } finally {
      fs.rmSync(src, { force: true });
    }
  }

  private stopTick(): void {
    if (this.tick) clearInterval(this.tick);
    this.tick = null;
  }

  /** Stops a running capture cleanly (SIGINT/SIGTERM or app quit). */
  async close(): Promise<void> {
    this.stopTick();
    if (this.capture) {
      const meta = this.capture.stop();
      this.capture = null;
      await Promise.race([this.finishFeeds(meta), new Promise((r) => setTimeout(r, 3000))]);
    }
    await this.transcriber.dispose();
  }
}
