/**
 * Background job worker (Electron utility process, or a forked Node process in browser mode): one
 * long job per process, at low priority so capture, live transcription and the UI keep the cores.
 * Serves jobRequests from the contract: transcribeFile (the high-accuracy pass), adapt, adaptCheck,
 * cancel. Progress goes back as jobEvents.
 */
import { constants, setPriority } from 'node:os';
import { jobEvents, jobRequests, type JobEventChannel, type JobEventOf } from '../core/contract/channels.js';
import { dispatchOn, type HandlersFor } from '../core/contract/host.js';
import { RpcPeer } from '../core/contract/rpc.js';
import { HushError } from '../core/errors.js';
import { logger } from '../core/log.js';
import { workerPort } from './port.js';

const log = logger('jobs');

try {
  setPriority(constants.priority.PRIORITY_LOW);
} catch {
  // not permitted: run at normal priority
}

let abort: AbortController | null = null;

function emit<C extends JobEventChannel>(channel: C, payload: JobEventOf<C>): void {
  peer.emit(channel, jobEvents[channel].parse(payload, channel));
}

type Handlers = HandlersFor<typeof jobRequests>;

const handlers: Handlers = {
  async transcribeFile(p) {
    const { transcribeFile } = await import('../core/transcribe/file.js');
    const { teacherPassRecorder } = await import('../core/adapt/teacher-pass-store.js');
    const { NAMED_MODELS } = await import('../core/transcribe/model-paths.js');
    // The teacher's pass is what adaptation distils from: keep it, so adapting on this session reuses it.
    const recorder = p.model === 'teacher' ? teacherPassRecorder(NAMED_MODELS.teacher.path, p.path) : null;
    let last = 0;
    const r = await transcribeFile(p.path, { model: p.model, threads: p.threads, ...(recorder ? { onLogprobs: recorder.tap } : {}) }, (audioSeconds) => {
      const now = Date.now();
      if (now - last < 200) return;
      last = now;
      emit('job.fileProgress', { audioSeconds });
    });
    await recorder?.save();
    const segments = r.segments.map((s) => ({
      start: s.start,
      end: s.end,
      text: s.text,
      words: s.words.map((w) => ({ text: w.text, start: w.start, end: w.end, confidence: Math.min(1, Math.max(0, w.confidence)) })),
    }));
    return { segments, audioSeconds: r.audioSeconds };
  },
  async adapt(p) {
    const { adaptToProfile } = await import('../core/adapt/index.js');
    abort = new AbortController();
    const r = await adaptToProfile({
      name: p.name,
      rows: p.rows.map((row) => ({ ...row, speaker: '', text: '' })),
      signal: abort.signal,
      onProgress: (pr) => emit('job.adaptProgress', { phase: pr.phase, fraction: Math.min(1, Math.max(0, pr.fraction)), etaSeconds: pr.etaSeconds === null ? null : Math.max(0, pr.etaSeconds), detail: pr.detail.slice(0, 1000) }),
    });
    return { name: r.name, werBefore: r.werBefore, werAfter: r.werAfter, sure: r.sure, judgedOn: r.judgedOn, kept: r.profilePath !== null, notSavedReason: r.notSavedReason };
  },
  async adaptCheck() {
    const { checkAdaptModels } = await import('../core/adapt/adapt-job.js');
    try {
      await checkAdaptModels();
      return { message: '' };
    } catch (err) {
      if (err instanceof HushError) return { message: err.userMessage };
      throw err;
    }
  },
  async cancel() {
    if (!abort) return { cancelled: false };
    abort.abort();
    return { cancelled: true };
  },
};

const port = workerPort();
const peer = new RpcPeer(
  (msg) => port.send(msg),
  (channel, payload) => dispatchOn(jobRequests, handlers, 'jobs', channel, payload),
  null,
);
port.onMessage((msg) => {
  peer.receive(msg).catch((err: unknown) => log.error('job message failed', err));
});
log.debug(`job worker ${process.pid} up`);
