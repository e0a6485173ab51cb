/**
 * The app's side of adaptation (the service behind the Settings pane) against a fake background job
 * speaking the real job contract: which audio it hands over, what the pane is told, cancelling, and
 * that the sessions it reads are left as they were.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { AdaptCancelled } from '../../../electron/core/adapt/errors.js';
import { fileTeacherPassStore, teacherPassDir, teacherPassKey } from '../../../electron/core/adapt/teacher-pass-store.js';
import { jobRequests, type AdaptProgressEvent, type JobRequestOf, type SessionMeta } from '../../../electron/core/contract/channels.js';
import { RpcPeer } from '../../../electron/core/contract/rpc.js';
import type { WireMessage } from '../../../electron/core/contract/wire.js';
import { RecordingStore, newSessionId } from '../../../electron/core/recording/store.js';
import { WavWriter } from '../../../electron/core/recording/wav.js';
import { HushService } from '../../../electron/server/service/index.js';
import type { WorkerLink } from '../../../electron/server/service/transcriber-host.js';
import { tempDir } from '../../helpers/temp-dir.js';

type AdaptRequest = JobRequestOf<'adapt'>;

/** A job process that answers 'adapt' through `run`, with `emit` for its progress events, and honours 'cancel'. */
function fakeJobs(run: (req: AdaptRequest, emit: (p: unknown) => void, cancelled: Promise<void>) => Promise<unknown>): { spawn: () => WorkerLink; requests: AdaptRequest[] } {
  const requests: AdaptRequest[] = [];
  const spawn = (): WorkerLink => {
    let toHost: (m: WireMessage) => void = () => undefined;
    let cancel: () => void = () => undefined;
    const cancelled = new Promise<void>((r) => (cancel = r));
    const peer: RpcPeer = new RpcPeer(
      (m) => queueMicrotask(() => toHost(m)),
      async (ch, p) => {
        if (ch === 'cancel') {
          cancel();
          return { cancelled: true };
        }
        if (ch !== 'adapt') throw new Error(`unexpected ${ch}`);
        const req = jobRequests.adapt.req.parse(p);
        requests.push(req);
        return run(req, (e) => peer.emit('job.adaptProgress', e), cancelled);
      },
      null,
    );
    return { send: (m) => queueMicrotask(() => void peer.receive(m)), onMessage: (h) => (toHost = h), onExit: () => undefined, kill: () => undefined };
  };
  return { spawn, requests };
}

function service(spawnJobWorker: () => WorkerLink): { svc: HushService; events: AdaptProgressEvent[]; dir: string; store: RecordingStore } {
  const dir = tempDir('hush-adapt-svc-');
  const svc = new HushService({
    mode: 'browser', version: 'test', configDir: dir, defaultStorageDir: dir, loopback: false, spawnJobWorker,
    spawnWorker: () => { throw new Error('no transcriber in this test'); },
  });
  const events: AdaptProgressEvent[] = [];
  svc.subscribe((ch, p) => { if (ch === 'adapt.progress') events.push(p as AdaptProgressEvent); });
  return { svc, events, dir, store: new RecordingStore(dir) };
}

function session(store: RecordingStore, state: SessionMeta['state'], channels: SessionMeta['channels'], seconds: number): SessionMeta {
  const meta: SessionMeta = { id: newSessionId(), title: state, createdAt: Date.now(), durationS: seconds, state, channels };
  store.createSession(meta);
  for (const ch of channels) {
    const w = WavWriter.create(store.wavPath(meta.id, ch));
    w.write(new Int16Array(seconds * 16_000).fill(500 * (ch + 1)));
    w.close();
  }
  store.appendSegments(meta.id, [{ sessionId: meta.id, channel: channels[0], start: 0, end: 1, text: 'hello there', words: [] }]);
  return meta;
}

function hashTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out[path.join(e.parentPath, e.name)] = createHash('sha256').update(fs.readFileSync(path.join(e.parentPath, e.name))).digest('hex');
  }
  return out;
}

const call = <T>(svc: HushService, ch: string, p: unknown): Promise<T> => (svc.handlers as unknown as Record<string, (p: unknown) => Promise<T>>)[ch](p);

async function until<T>(fn: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const v = fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('several recorded and imported sessions go to one background job; the pane gets its progress with an ETA, and why nothing was saved', async () => {
  const jobs = fakeJobs(async (_req, emit) => {
    emit({ phase: 'reading', fraction: 0.1, etaSeconds: null, detail: 'read 1/3 files' });
    emit({ phase: 'training', fraction: 0.5, etaSeconds: 42, detail: 'epoch 1/8' });
    return { name: 'Board room', werBefore: 20, werAfter: 21, sure: { werBefore: 10, werAfter: 12, words: 25 }, judgedOn: 'sure', kept: false, notSavedReason: 'the held-out WER on the 25 words the teacher is sure of did not improve (10.00% → 12.00%)' };
  });
  const { svc, events, store } = service(jobs.spawn);
  const recorded = session(store, 'done', [0, 1], 2);
  const imported = session(store, 'imported', [0], 3);
  const before = hashTree(store.root);

  await assert.rejects(call(svc, 'adapt.start', { jobId: 'j0', name: 'Board room', sessionIds: [recorded.id] }), /switched off in Settings/);
  await call(svc, 'settings.set', { adaptEnabled: true });
  await assert.rejects(call(svc, 'adapt.start', { jobId: 'j0', name: 'Board room', sessionIds: [] }), /pick at least one/);
  await assert.rejects(call(svc, 'adapt.start', { jobId: 'j0', name: '../etc', sessionIds: [recorded.id] }), /profile name/);
  assert.deepEqual(await call(svc, 'adapt.start', { jobId: 'j1', name: 'Board room', sessionIds: [recorded.id, imported.id, recorded.id] }), { started: true });
  const done = await until(() => events.find((e) => e.stage === 'done'), 'the job to end');

  assert.equal(jobs.requests.length, 1);
  assert.equal(jobs.requests[0].name, 'Board room');
  assert.deepEqual(jobs.requests[0].rows.map((r) => [r.audio, r.durationSeconds]), [
    [store.wavPath(recorded.id, 0), 2], [store.wavPath(recorded.id, 1), 2], [store.wavPath(imported.id, 0), 3],
  ]);
  assert.deepEqual(events.map((e) => [e.jobId, e.stage, e.etaSeconds]), [['j1', 'reading', null], ['j1', 'reading', null], ['j1', 'training', 42], ['j1', 'done', 0]]);
  assert.equal(done.result?.kept, false);
  assert.match(done.result?.notSavedReason ?? '', /did not improve/);
  assert.match(done.detail, /didn't help, not saved \(the held-out WER on the 25 words the teacher is sure of did not improve/);
  assert.deepEqual(hashTree(store.root), before, 'recordings, segments and metadata untouched');
});

test('cancelling a running adaptation ends it as cancelled, with no profile, and frees the slot for the next one', async () => {
  const jobs = fakeJobs(async (_req, emit, cancelled) => {
    emit({ phase: 'training', fraction: 0.3, etaSeconds: 100, detail: 'epoch 1/8' });
    await cancelled;
    throw new AdaptCancelled();
  });
  const { svc, events, store } = service(jobs.spawn);
  const s = session(store, 'done', [0], 1);
  await call(svc, 'settings.set', { adaptEnabled: true });
  await call(svc, 'adapt.start', { jobId: 'j1', name: 'Dana', sessionIds: [s.id] });
  await until(() => events.find((e) => e.stage === 'training'), 'training to start');
  await assert.rejects(call(svc, 'adapt.start', { jobId: 'j2', name: 'Dana', sessionIds: [s.id] }), /already running/);
  assert.deepEqual(await call(svc, 'adapt.cancel', { jobId: 'other' }), { cancelled: false });
  assert.deepEqual(await call(svc, 'adapt.cancel', { jobId: 'j1' }), { cancelled: true });
  const end = await until(() => events.find((e) => e.stage === 'cancelled' || e.stage === 'failed'), 'the job to end');
  assert.equal(end.stage, 'cancelled');
  assert.match(end.detail, /no profile was saved/);
  await until(() => (events.at(-1)?.stage === 'cancelled' ? true : undefined), 'the end event');
  await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(await call(svc, 'adapt.start', { jobId: 'j3', name: 'Dana', sessionIds: [s.id] }), { started: true }, 'a new job may start');
});

test('deleting a recording also deletes the teacher passes kept for it (a transcript can be decoded from them)', async () => {
  const cache = tempDir('hush-cache-');
  const saved = process.env.HUSHSCRIBE_CACHE;
  process.env.HUSHSCRIBE_CACHE = cache;
  try {
    const { svc, store } = service(fakeJobs(async () => ({})).spawn);
    const gone = session(store, 'done', [0, 1], 1);
    const kept = session(store, 'imported', [0], 2);
    const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    const passes = fileTeacherPassStore();
    for (const file of [store.wavPath(gone.id, 0), store.wavPath(gone.id, 1), store.wavPath(kept.id, 0)]) {
      await passes.put(teacherPassKey('a'.repeat(64), sha(file)), new Float32Array(29));
    }
    assert.equal(fs.readdirSync(teacherPassDir()).length, 3);
    assert.deepEqual(await call(svc, 'library.delete', { sessionId: gone.id }), { deleted: true });
    assert.deepEqual(fs.readdirSync(teacherPassDir()), [`${teacherPassKey('a'.repeat(64), sha(store.wavPath(kept.id, 0)))}.safetensors`]);
  } finally {
    if (saved === undefined) delete process.env.HUSHSCRIBE_CACHE; else process.env.HUSHSCRIBE_CACHE = saved;
  }
});
