/**
 * Transcriber worker entry point (Electron utility process, or a forked Node process in browser
 * mode). It serves workerRequests from the contract: init, push, finish, decode.
 */
import { workerRequests, type WorkerResponseOf } from '../core/contract/channels.js';
import { dispatchOn, type HandlersFor } from '../core/contract/host.js';
import { RpcPeer } from '../core/contract/rpc.js';
import type { StreamingTranscriber, TranscriberOptions, TranscriptUpdate } from '../core/transcribe/types.js';
import type { PipelineOptions } from '../core/transcribe/index.js';
import { LIVE_WINDOW } from '../core/inference/index.js';
import { rmSync } from 'node:fs';
import { readAudio } from '../core/audio/index.js';
import { toInt16 } from '../core/audio/wav-writer.js';
import { ModelError } from '../core/errors.js';
import { logger } from '../core/log.js';
import { WavWriter } from '../core/recording/wav.js';
import { createTranscriber } from '../core/transcribe/index.js';
import { workerPort } from './port.js';

const log = logger('worker');

let options: PipelineOptions | null = null;
const streams = new Map<number, StreamingTranscriber>();
let activeProvider = '';
let activeModel = '';

async function stream(id: number): Promise<StreamingTranscriber> {
  const existing = streams.get(id);
  if (existing) return existing;
  if (!options) throw new ModelError('transcriber', 'not initialised');
  const t = await createTranscriber(options);
  streams.set(id, t);
  return t;
}

function plain(update: TranscriptUpdate): WorkerResponseOf<'push'> {
  const seg = (s: TranscriptUpdate['finals'][number]) => ({
    start: s.start,
    end: s.end,
    text: s.text,
    words: s.words.map((w) => ({ text: w.text, start: w.start, end: w.end, confidence: Math.min(1, Math.max(0, w.confidence)) })),
  });
  return { finals: update.finals.map(seg), partial: update.partial ? seg(update.partial) : null };
}

type Handlers = HandlersFor<typeof workerRequests>;

const handlers: Handlers = {
  async init(p) {
    const provider = p.provider as TranscriberOptions['provider'];
    // Live capture: a non-streaming model answers in short windows (a streaming one ignores this).
    options = { model: p.model === 'auto' ? undefined : p.model, provider, lm: p.lm, threads: p.threads, window: LIVE_WINDOW, ...(p.profile ? { profile: p.profile } : {}) };
    const t = await stream(0);
    activeProvider = t.provider;
    activeModel = t.modelName;
    return { provider: activeProvider, modelName: activeModel, warnings: [...(t.warnings ?? [])].map((w) => w.slice(0, 1000)).slice(0, 20) };
  },
  async push(p) {
    const t = await stream(p.stream);
    const samples = new Int16Array(p.pcm.buffer.slice(p.pcm.byteOffset, p.pcm.byteOffset + p.pcm.byteLength));
    const f = new Float32Array(samples.length);
    for (let i = 0; i < samples.length; i++) f[i] = samples[i] / 32768;
    return plain(await t.push(f));
  },
  async finish(p) {
    const t = streams.get(p.stream);
    if (!t) return { finals: [], partial: null };
    streams.delete(p.stream);
    const update = await t.finish();
    await t.dispose();
    return plain(update);
  },
  async decode(p) {
    // Streamed straight into a WAV: an imported file of any length never sits in memory whole.
    rmSync(p.outWav, { force: true });
    const out = WavWriter.create(p.outWav);
    try {
      for await (const chunk of readAudio(p.path)) out.write(toInt16(chunk));
    } finally {
      out.close();
    }
    return { durationS: out.durationS };
  },
};

const port = workerPort();
const peer = new RpcPeer(
  (msg) => port.send(msg),
  (channel, payload) => dispatchOn(workerRequests, handlers, 'worker', channel, payload),
  null,
);
port.onMessage((msg) => {
  peer.receive(msg).catch((err: unknown) => log.error('worker message failed', err));
});
log.debug(`transcriber worker ${process.pid} up`);
