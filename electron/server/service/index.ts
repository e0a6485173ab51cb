/**
 * The host service behind the contract: settings, capture, recordings on disk, the transcriber
 * worker, imports and recovery. Plain Node: the Electron main process and the browser-mode server
 * both bind exactly this object, so the two doors behave the same.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import type { AdaptProgressEvent, AudioChannel, EventChannel, EventOf, JobEventOf, SessionMeta, Settings, StoredSegment, TranscriberStatus, WirePayloadSegment } from '../../core/contract/channels.js';
import { RemoteError } from '../../core/contract/rpc.js';
import { forgetTeacherPasses } from '../../core/adapt/teacher-pass-store.js';
import { checkProfileName, deleteProfile, listProfiles, readProfile } from '../../core/adapt/profile-store.js';
import { mergeHighAccuracy } from '../../core/library/high-accuracy.js';
import { wavSampleCount } from '../../core/recording/wav.js';
import { NAMED_MODELS } from '../../core/transcribe/model-paths.js';
import { runJob, type RunningJob } from './jobs.js';
import type { EventSink, RequestHandlers } from '../../core/contract/host.js';
import { decodeFrame } from '../../core/contract/wire.js';
import { HushError, userMessageOf } from '../../core/errors.js';
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
  /** Spawns a background job process (high-accuracy pass, adaptation). */
  spawnJobWorker: SpawnWorker;
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
  /** Sessions with a high-accuracy pass running. */
  private readonly passes = new Map<string, RunningJob<unknown>>();
  private adaptJob: { id: string; job: RunningJob<unknown>; cancelled: boolean } | null = null;
  readonly handlers: RequestHandlers;

  constructor(private readonly opts: ServiceOptions) {
    this.settings = new SettingsStore(opts.configDir, {
      inputDeviceId: '',
      captureSystemAudio: false,
      model: 'auto',
      provider: 'auto',
      recordOnly: false,
      storageDir: opts.defaultStorageDir,
      highAccuracyPass: true,
      adaptEnabled: false,
      adaptProfile: '',
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

  /**
   * The live engine. A recording keeps the profile it started with (its own, or the global one at
   * the time), so changing the global profile mid-meeting takes effect from the next recording.
   */
  private engineConfig(): EngineConfig | null {
    const s = this.settings.get();
    if (s.recordOnly) return null;
    const profile = this.capture ? (this.capture.meta.profile ?? '') : s.adaptProfile;
    return { model: s.model, provider: providerFor(s.provider), lm: true, threads: 1, ...(profile ? { profile } : {}) };
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
        if (patch.model !== undefined || patch.provider !== undefined || patch.recordOnly !== undefined || patch.adaptProfile !== undefined) {
          void this.transcriber.configure(this.engineConfig());
        }
        return next;
      },
      'capture.start': async ({ title, channels, profile: asked }) => {
        if (this.capture) throw new CaptureError('a recording is already running');
        if (asked) checkProfileName(asked);
        const chans: AudioChannel[] = channels.length ? [...new Set(channels)].sort() : [0];
        const profile = asked ?? this.settings.get().adaptProfile;
        const meta: SessionMeta = { id: newSessionId(), title: title.trim() || 'Untitled meeting', createdAt: Date.now(), durationS: 0, state: 'recording', channels: chans, ...(profile ? { profile } : {}) };
        this.capture = new CaptureSession(this.store, meta);
        const engine = this.engineConfig();
        // Switches to this session's profile; also retries an engine that was unavailable (a model
        // may have been built since), without waiting. The same healthy engine is left as it is.
        if (engine) void this.transcriber.configure(engine);
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
        void this.finishFeeds(meta).then(() => {
          // Back to the global profile once this session's own has transcribed its last words.
          if (!this.capture) void this.transcriber.configure(this.engineConfig());
          this.emit('library.changed', { sessionIds: [meta.id] });
          // A recording the teacher already transcribed live would come out of the pass unchanged.
          const liveIsTeacher = this.transcriber.currentStatus.model.startsWith('teacher:');
          if (this.settings.get().highAccuracyPass && this.engineConfig() && this.teacherInstalled() && !liveIsTeacher) this.startHighAccuracy(meta.id, 'teacher');
        });
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
        if (this.store.exists(sessionId)) {
          const meta = this.store.readMeta(sessionId);
          for (const ch of meta.channels) await forgetTeacherPasses(this.store.wavPath(sessionId, ch));
        }
        return { deleted: this.store.delete(sessionId) };
      },
      'library.saveSegments': async ({ sessionId, segments }) => {
        if (segments.some((s) => s.sessionId !== sessionId)) throw new StoreError('segments belong to another session');
        this.store.saveSegments(sessionId, segments);
        return { saved: segments.length };
      },
      'library.import': async ({ importId, name, bytes }) => this.importFile(importId, name, bytes),
      'highAccuracy.info': async () =>
        this.teacherInstalled() ? { available: true, message: '' } : { available: false, message: 'High-accuracy pass: teacher model not installed' },
      'highAccuracy.start': async ({ sessionId, model = 'teacher' }) => {
        if (!this.store.exists(sessionId)) throw new StoreError('no such session');
        if (this.capture?.id === sessionId) throw new CaptureError('stop the recording first');
        if (model === 'teacher' && !this.teacherInstalled()) throw new HushError('model', 'High-accuracy pass: teacher model not installed');
        if (this.passes.has(sessionId)) return { started: false };
        this.startHighAccuracy(sessionId, model);
        return { started: true };
      },
      'adapt.check': async () => {
        const { message } = await runJob(this.opts.spawnJobWorker, 'adaptCheck', {}).done;
        return { ready: message === '', message };
      },
      'adapt.start': async ({ jobId, name, sessionIds }) => this.startAdapt(jobId, name, sessionIds),
      'adapt.cancel': async ({ jobId }) => {
        const a = this.adaptJob;
        if (!a || a.id !== jobId) return { cancelled: false };
        a.cancelled = true;
        a.job.cancel();
        return { cancelled: true };
      },
      'adapt.profiles': async () => ({
        profiles: (await listProfiles()).map((m) => ({
          name: m.name,
          createdAt: m.createdAt,
          baseModelVersion: m.baseModelVersion,
          werBefore: Math.max(0, m.gain.werBefore),
          werAfter: Math.max(0, m.gain.werAfter),
          ...(m.gain.sure ? { sure: m.gain.sure } : {}),
          sources: m.sources.length,
        })),
        active: this.settings.get().adaptProfile,
      }),
      'adapt.apply': async ({ name }) => {
        if (name) await readProfile(checkProfileName(name));
        return this.setProfile(name);
      },
      'adapt.delete': async ({ name }) => {
        const known = (await listProfiles()).some((m) => m.name === name);
        await deleteProfile(name);
        if (this.settings.get().adaptProfile === name) this.setProfile('');
        return { deleted: known };
      },
    };
  }

  private setProfile(name: string): Settings {
    const next = this.settings.set({ adaptProfile: name });
    void this.transcriber.configure(this.engineConfig());
    return next;
  }

  private teacherInstalled(): boolean {
    return fs.existsSync(NAMED_MODELS.teacher.path);
  }

  /**
   * The high-accuracy pass: each channel's recording through the model in a background process,
   * then the session's segments are replaced, keeping (and flagging) what the user edited.
   */
  private startHighAccuracy(sessionId: string, model: 'teacher' | 'fixture'): void {
    if (this.passes.has(sessionId)) return;
    const meta = this.store.readMeta(sessionId);
    const seconds = meta.channels.map((c) => wavSampleCount(this.store.wavPath(sessionId, c)) / 16_000);
    const total = Math.max(1e-6, seconds.reduce((a, b) => a + b, 0));
    let before = 0;
    let shown = 0;
    const progress = (p: Omit<EventOf<'highAccuracy.progress'>, 'sessionId'>) => this.emit('highAccuracy.progress', { sessionId, ...p });
    const holder: { job: RunningJob<unknown> | null } = { job: null };
    const placeholder: RunningJob<unknown> = { done: Promise.resolve(), cancel: () => holder.job?.cancel() };
    this.passes.set(sessionId, placeholder);
    progress({ fraction: 0, stage: 'running' });
    void (async () => {
      try {
        const pass: StoredSegment[] = [];
        for (const [i, channel] of meta.channels.entries()) {
          const job = runJob(this.opts.spawnJobWorker, 'transcribeFile', { path: this.store.wavPath(sessionId, channel), model, threads: 1 }, (ch, p) => {
            if (ch !== 'job.fileProgress') return;
            const f = Math.min(0.99, (before + (p as JobEventOf<'job.fileProgress'>).audioSeconds) / total);
            if (f > shown) {
              shown = f;
              progress({ fraction: f, stage: 'running' });
            }
          });
          holder.job = job;
          const r = await job.done;
          before += seconds[i];
          pass.push(...r.segments.filter((s) => s.text.trim()).map((s) => ({ sessionId, channel, ...s })));
        }
        // Edits made while the pass ran are on disk (the library mirrors every edit there).
        const merged = mergeHighAccuracy(this.store.readSegments(sessionId), pass);
        this.store.saveSegments(sessionId, merged.segments);
        log.info(`high-accuracy pass (${model}) on ${sessionId}: ${merged.segments.length} segments, ${merged.flagged} edited segment(s) flagged`);
        progress({ fraction: 1, stage: 'done', segments: merged.segments.length, flagged: merged.flagged });
      } catch (err) {
        log.warn(`high-accuracy pass on ${sessionId} failed`, err);
        progress({ fraction: 1, stage: 'failed', error: userMessageOf(err).slice(0, 1000) });
      } finally {
        this.passes.delete(sessionId);
      }
    })();
  }

  private async startAdapt(jobId: string, name: string, sessionIds: string[]): Promise<{ started: boolean }> {
    if (this.adaptJob) throw new HushError('adapt', 'an adaptation is already running');
    if (!this.settings.get().adaptEnabled) throw new HushError('adapt', 'adaptation is switched off in Settings');
    checkProfileName(name);
    const ids = [...new Set(sessionIds)];
    if (ids.length === 0) throw new HushError('adapt', 'pick at least one recorded or imported session');
    const rows = ids.flatMap((sid) => {
      if (!this.store.exists(sid)) throw new StoreError(`no such session ${sid}`);
      if (this.capture?.id === sid) throw new CaptureError('stop the recording before adapting on it');
      const meta = this.store.readMeta(sid);
      return meta.channels.map((c) => ({ id: `${sid}-ch${c}`, audio: this.store.wavPath(sid, c), durationSeconds: wavSampleCount(this.store.wavPath(sid, c)) / 16_000 }));
    });
    const progress = (p: Omit<AdaptProgressEvent, 'jobId'>) => this.emit('adapt.progress', { jobId, ...p });
    const job = runJob(this.opts.spawnJobWorker, 'adapt', { name, rows }, (ch, p) => {
      if (ch !== 'job.adaptProgress') return;
      const a = p as JobEventOf<'job.adaptProgress'>;
      progress({ stage: a.phase, fraction: a.fraction, etaSeconds: a.etaSeconds, detail: a.detail });
    });
    const entry = { id: jobId, job, cancelled: false };
    this.adaptJob = entry;
    progress({ stage: 'reading', fraction: 0, etaSeconds: null, detail: 'starting' });
    void job.done
      .then((result) => {
        const detail = result.kept ? `saved profile '${result.name}'` : `didn't help, not saved (${result.notSavedReason ?? 'no gain'})`;
        progress({ stage: 'done', fraction: 1, etaSeconds: 0, detail: detail.slice(0, 1000), result });
      })
      .catch((err: unknown) => {
        const cancelled = entry.cancelled || (err instanceof RemoteError && err.code === 'cancelled');
        if (cancelled) progress({ stage: 'cancelled', fraction: 1, etaSeconds: null, detail: 'adaptation cancelled; no profile was saved' });
        else progress({ stage: 'failed', fraction: 1, etaSeconds: null, detail: 'adaptation could not run', error: userMessageOf(err).slice(0, 1000) });
      })
      .finally(() => {
        if (this.adaptJob === entry) this.adaptJob = null;
      });
    return { started: true };
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
    for (const p of this.passes.values()) p.cancel(0);
    this.adaptJob?.job.cancel(0);
    await this.transcriber.dispose();
  }
}
