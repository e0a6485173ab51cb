/**
 * The host's side of the transcriber worker: typed RPC, respawn with back-off, and "feeds" that pump
 * audio from recording files into worker streams. Because feeds read the recording file (the source
 * of truth), a slow worker just lags and catches up, and a dead one resumes from the end of the last
 * final segment after it is respawned; capture never waits on it.
 */
import { workerRequests, type TranscriberStatus, type WirePayloadSegment, type WorkerRequestChannel, type WorkerRequestOf, type WorkerResponseOf } from '../../core/contract/channels.js';
import { RpcPeer, RemoteError } from '../../core/contract/rpc.js';
import type { WireMessage } from '../../core/contract/wire.js';
import { logger } from '../../core/log.js';
import { readWavSamples, wavSampleCount } from '../../core/recording/wav.js';

const log = logger('transcriber-host');
const RATE = 16_000;
const MIN_PUSH = RATE / 25; // 40 ms: live partials wait for at most this much audio
const MAX_PUSH = RATE * 2; // 2 s
const PUMP_MS = 40;

/** A spawned worker process, whatever spawned it (child_process.fork or Electron's utilityProcess). */
export interface WorkerLink {
  send(msg: WireMessage): void;
  onMessage(handler: (msg: WireMessage) => void): void;
  onExit(handler: (code: number | null) => void): void;
  kill(): void;
}

export type SpawnWorker = () => WorkerLink;

export interface EngineConfig {
  model: string;
  provider: string;
  lm: boolean;
  threads: number;
  /** Adaptation profile applied at load. */
  profile?: string;
}

export interface FeedCallbacks {
  /** Final segments, times absolute in the recording. */
  onFinals(segments: WirePayloadSegment[]): void;
  onPartial(segment: WirePayloadSegment | null): void;
  onProgress?(samplesDone: number): void;
}

interface Feed extends FeedCallbacks {
  key: string;
  wavPath: string;
  stream: number;
  /** Absolute sample where the current worker stream began. */
  offset: number;
  /** Absolute samples handed to the worker. */
  sent: number;
  /** End (samples) of the last final segment: where a respawned worker resumes. */
  lastFinalEnd: number;
  inflight: boolean;
  finishing: boolean;
  resolveDone: (() => void) | null;
  done: Promise<void>;
}

export class TranscriberHost {
  private link: WorkerLink | null = null;
  private peer: RpcPeer | null = null;
  private status: TranscriberStatus = { state: 'off', message: '', provider: '', model: '' };
  private config: EngineConfig | null = null;
  private readonly feeds = new Map<string, Feed>();
  private nextStream = 1;
  private restarts = 0;
  private restartTimer: NodeJS.Timeout | null = null;
  private pumpTimer: NodeJS.Timeout | null = null;
  private healthyTimer: NodeJS.Timeout | null = null;
  private starting: Promise<void> | null = null;
  private stopping = false;
  private generation = 0;

  constructor(
    private readonly spawn: SpawnWorker,
    private readonly onStatus: (status: TranscriberStatus) => void,
  ) {}

  get currentStatus(): TranscriberStatus {
    return this.status;
  }

  /** (Re)configures the engine; a running worker is replaced when the config changes. */
  async configure(config: EngineConfig | null): Promise<void> {
    const same = JSON.stringify(config) === JSON.stringify(this.config);
    this.config = config;
    if (!config) {
      this.killWorker();
      this.setStatus({ state: 'off', message: 'record-only mode', provider: '', model: '' });
      return;
    }
    if (!same || this.status.state === 'unavailable' || this.status.state === 'off' || this.status.state === 'error') {
      this.killWorker();
      await this.ensureWorker();
    }
  }

  private setStatus(next: TranscriberStatus): void {
    this.status = next;
    this.onStatus(next);
  }

  private async ensureWorker(): Promise<void> {
    if (this.link || this.restartTimer) return;
    if (this.starting) return this.starting;
    const starting = this.startWorker().finally(() => {
      if (this.starting === starting) this.starting = null;
    });
    this.starting = starting;
    return starting;
  }

  private async startWorker(): Promise<void> {
    this.stopping = false;
    const gen = ++this.generation;
    const link = this.spawn();
    const peer = new RpcPeer((m) => link.send(m), null, null);
    link.onMessage((m) => void peer.receive(m));
    link.onExit((code) => {
      if (gen !== this.generation) return;
      peer.close({ code: 'worker', message: 'transcriber stopped' });
      this.link = null;
      this.peer = null;
      if (this.stopping) return;
      this.onCrash(code);
    });
    this.link = link;
    this.peer = peer;
    if (!this.config) {
      this.setStatus({ state: 'off', message: 'record-only mode', provider: '', model: '' });
      return;
    }
    this.setStatus({ state: 'loading', message: `loading ${this.config.model}`, provider: '', model: this.config.model });
    try {
      const res = await this.call('init', { ...this.config });
      if (gen !== this.generation) return;
      // A ready engine can still carry a warning (an ignored profile): the message is how the UI shows it.
      this.setStatus({ state: 'ready', message: res.warnings.join('; ').slice(0, 1000), provider: res.provider, model: res.modelName });
      if (this.healthyTimer) clearTimeout(this.healthyTimer);
      this.healthyTimer = setTimeout(() => (this.restarts = 0), 30_000);
      this.healthyTimer.unref();
      this.restartFeeds();
      this.schedulePump();
    } catch (err) {
      if (gen !== this.generation) return;
      const message = err instanceof Error ? err.message : String(err);
      const model = err instanceof RemoteError && err.code === 'model';
      log.warn(`transcriber init failed: ${message}`);
      this.setStatus({ state: model ? 'unavailable' : 'error', message, provider: '', model: this.config.model });
      this.settleFeedsWithoutEngine();
    }
  }

  private onCrash(code: number | null): void {
    const delay = Math.min(30_000, 500 * 2 ** this.restarts);
    this.restarts++;
    log.warn(`transcriber exited (${code}); restarting in ${delay} ms`);
    this.setStatus({ ...this.status, state: 'restarting', message: `transcriber stopped; restarting in ${(delay / 1000).toFixed(1)} s` });
    for (const f of this.feeds.values()) f.inflight = false;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      void this.ensureWorker();
    }, delay);
    this.restartTimer.unref();
  }

  /** A fresh worker has no stream state: every feed restarts at the end of its last final. */
  private restartFeeds(): void {
    for (const f of this.feeds.values()) {
      f.stream = this.nextStream++;
      f.offset = f.lastFinalEnd;
      f.sent = f.lastFinalEnd;
      f.inflight = false;
      f.onPartial(null);
    }
  }

  async call<C extends WorkerRequestChannel>(channel: C, payload: WorkerRequestOf<C>): Promise<WorkerResponseOf<C>> {
    if (!this.peer) throw new RemoteError('worker', 'transcriber not running');
    const raw = await this.peer.request(channel, payload);
    return workerRequests[channel].res.parse(raw, `worker ${channel}`) as WorkerResponseOf<C>;
  }

  /** Decode a file to a 16 kHz WAV in the worker (works even without a model). */
  async decode(path: string, outWav: string): Promise<number> {
    // In record-only mode the worker runs without a model: it still decodes.
    if (!this.link) await this.ensureWorker();
    const res = await this.call('decode', { path, outWav });
    return res.durationS;
  }

  /** Starts transcribing a recording file from `fromSample`; `finishFeed` ends it. */
  addFeed(key: string, wavPath: string, fromSample: number, cb: FeedCallbacks): void {
    let resolveDone: (() => void) | null = null;
    const done = new Promise<void>((r) => (resolveDone = r));
    this.feeds.set(key, {
      ...cb,
      key,
      wavPath,
      stream: this.nextStream++,
      offset: fromSample,
      sent: fromSample,
      lastFinalEnd: fromSample,
      inflight: false,
      finishing: false,
      resolveDone,
      done,
    });
    if (this.config) void this.ensureWorker();
    if (!this.canTranscribe()) this.settleFeedsWithoutEngine();
    this.schedulePump();
  }

  /** Transcribe what is left of the file, finalise, and resolve. Resolves at once without an engine. */
  finishFeed(key: string): Promise<void> {
    const f = this.feeds.get(key);
    if (!f) return Promise.resolve();
    f.finishing = true;
    if (!this.canTranscribe()) this.settleFeedsWithoutEngine();
    this.schedulePump();
    return f.done;
  }

  hasFeed(key: string): boolean {
    return this.feeds.has(key);
  }

  private canTranscribe(): boolean {
    return this.config !== null && (this.status.state === 'ready' || this.status.state === 'loading' || this.status.state === 'restarting');
  }

  /** Without an engine, finishing feeds end now; the audio is safe and can be transcribed later. */
  private settleFeedsWithoutEngine(): void {
    if (this.canTranscribe()) return;
    for (const f of [...this.feeds.values()]) {
      if (!f.finishing) continue;
      this.feeds.delete(f.key);
      f.onPartial(null);
      f.resolveDone?.();
    }
  }

  private schedulePump(): void {
    if (this.pumpTimer || this.feeds.size === 0) return;
    this.pumpTimer = setInterval(() => this.pump(), PUMP_MS);
  }

  private pump(): void {
    if (this.feeds.size === 0) {
      if (this.pumpTimer) clearInterval(this.pumpTimer);
      this.pumpTimer = null;
      return;
    }
    if (this.status.state !== 'ready' || !this.peer) return;
    for (const f of this.feeds.values()) {
      if (f.inflight) continue;
      const available = wavSampleCount(f.wavPath) - f.sent;
      if (available >= MIN_PUSH || (f.finishing && available > 0)) {
        const pcm = readWavSamples(f.wavPath, f.sent, Math.min(available, MAX_PUSH));
        if (pcm.length === 0) continue;
        f.inflight = true;
        const stream = f.stream;
        const bytes = new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength);
        this.call('push', { stream, pcm: bytes })
          .then((update) => {
            if (f.stream !== stream) return; // a respawn restarted this feed
            f.sent += pcm.length;
            f.inflight = false;
            this.apply(f, update);
            f.onProgress?.(f.sent);
          })
          .catch((err: unknown) => {
            f.inflight = false;
            log.debug('push failed', err);
          });
      } else if (f.finishing && available <= 0) {
        f.inflight = true;
        const stream = f.stream;
        this.call('finish', { stream })
          .then((update) => {
            if (f.stream !== stream) return;
            this.apply(f, update);
            f.onPartial(null);
            this.feeds.delete(f.key);
            f.resolveDone?.();
          })
          .catch((err: unknown) => {
            f.inflight = false;
            log.debug('finish failed', err);
          });
      }
    }
  }

  private apply(f: Feed, update: WorkerResponseOf<'push'>): void {
    const shift = f.offset / RATE;
    const move = (s: WirePayloadSegment): WirePayloadSegment => ({
      start: s.start + shift,
      end: s.end + shift,
      text: s.text,
      words: s.words.map((w) => ({ ...w, start: w.start + shift, end: w.end + shift })),
    });
    if (update.finals.length) {
      const finals = update.finals.map(move);
      f.lastFinalEnd = Math.max(f.lastFinalEnd, Math.round(finals[finals.length - 1].end * RATE));
      f.onFinals(finals);
    }
    f.onPartial(update.partial ? move(update.partial) : null);
  }

  private killWorker(): void {
    this.stopping = true;
    this.generation++;
    // A start still in flight belongs to the old generation: the next ensureWorker must not wait on it.
    this.starting = null;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    this.peer?.close();
    this.link?.kill();
    this.link = null;
    this.peer = null;
  }

  async dispose(): Promise<void> {
    this.killWorker();
    if (this.pumpTimer) clearInterval(this.pumpTimer);
    if (this.healthyTimer) clearTimeout(this.healthyTimer);
    this.pumpTimer = null;
    for (const f of this.feeds.values()) f.resolveDone?.();
    this.feeds.clear();
  }
}

