/**
 * The transcriber host against an in-process fake worker speaking the real contract: feeds read the
 * recording file, times are absolute, and a crashed worker is respawned and resumes from the last final.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { workerRequests } from '../../../electron/core/contract/channels.js';
import { RpcPeer } from '../../../electron/core/contract/rpc.js';
import { ModelError } from '../../../electron/core/errors.js';
import type { WireMessage } from '../../../electron/core/contract/wire.js';
import { WavWriter } from '../../../electron/core/recording/wav.js';
import { TranscriberHost, type WorkerLink } from '../../../electron/server/service/transcriber-host.js';
import { tempDir } from '../../helpers/temp-dir.js';

const tmp = tempDir('hush-host-');

interface FakeOptions {
  /** Crash (exit) on the Nth push. */
  crashOnPush?: number;
  /** Model load time. */
  initMs?: number;
  noModel?: boolean;
}

/** A fake worker: one final segment per whole second of audio received on a stream ("s0", "s1", …). */
function fakeSpawner(opts: FakeOptions, log: { spawns: number; pushes: number; streamsStartedAt: number[] }) {
  return (): WorkerLink => {
    log.spawns++;
    let toHost: (m: WireMessage) => void = () => undefined;
    let exitHandler: (code: number | null) => void = () => undefined;
    const received = new Map<number, number>();
    let dead = false;
    const peer = new RpcPeer(
      (m) => queueMicrotask(() => !dead && toHost(m)),
      async (ch, p) => {
        if (ch === 'init') {
          if (opts.noModel) throw new ModelError('transcriber', 'model not built yet');
          // Like the real worker: a profile that does not load is a warning, and the base model runs.
          const { profile, model } = workerRequests.init.req.parse(p);
          if (opts.initMs) await new Promise((r) => setTimeout(r, opts.initMs));
          return { provider: 'cpu', modelName: model, warnings: profile ? [`profile '${profile}' ignored: corrupt profile; using the base model`] : [] };
        }
        if (ch === 'push') {
          const req = workerRequests.push.req.parse(p);
          log.pushes++;
          if (opts.crashOnPush === log.pushes) {
            dead = true;
            setTimeout(() => exitHandler(1), 5);
            return new Promise(() => undefined);
          }
          const before = received.get(req.stream) ?? 0;
          if (before === 0) log.streamsStartedAt.push(req.stream);
          const after = before + req.pcm.byteLength / 2;
          received.set(req.stream, after);
          const finals = [];
          for (let s = Math.floor(before / 16_000) + 1; s <= Math.floor(after / 16_000); s++) {
            finals.push({ start: s - 1, end: s, text: `s${s - 1}`, words: [{ text: `s${s - 1}`, start: s - 0.8, end: s - 0.2, confidence: 0.9 }] });
          }
          return { finals, partial: null };
        }
        if (ch === 'finish') return { finals: [], partial: null };
        throw new Error(`unexpected ${ch}`);
      },
      null,
    );
    return {
      send: (m) => queueMicrotask(() => !dead && void peer.receive(m)),
      onMessage: (h) => (toHost = h),
      onExit: (h) => (exitHandler = h),
      kill: () => {
        dead = true;
      },
    };
  };
}

function recording(name: string, seconds: number): string {
  const file = path.join(tmp, name);
  const w = WavWriter.create(file);
  w.write(new Int16Array(seconds * 16_000).fill(1000));
  w.close();
  return file;
}

test('a feed transcribes the recording file with absolute times, and finishing resolves', async () => {
  const log = { spawns: 0, pushes: 0, streamsStartedAt: [] as number[] };
  const statuses: string[] = [];
  const host = new TranscriberHost(fakeSpawner({}, log), (s) => statuses.push(s.state));
  await host.configure({ model: 'fake', provider: 'cpu', lm: true, threads: 1 });
  const file = recording('a.wav', 5);
  const got: string[] = [];
  host.addFeed('a', file, 2 * 16_000, { onFinals: (segs) => got.push(...segs.map((s) => `${s.text}@${s.start}`)), onPartial: () => undefined });
  await host.finishFeed('a');
  // Started 2 s in: the stream's "s0" is the recording's 2..3 s.
  assert.deepEqual(got, ['s0@2', 's1@3', 's2@4']);
  assert.deepEqual(statuses.slice(0, 2), ['loading', 'ready']);
  await host.dispose();
});

test('a worker that dies is respawned and resumes from the end of the last final segment', async () => {
  const log = { spawns: 0, pushes: 0, streamsStartedAt: [] as number[] };
  const statuses: string[] = [];
  const host = new TranscriberHost(fakeSpawner({ crashOnPush: 3 }, log), (s) => statuses.push(s.state));
  await host.configure({ model: 'fake', provider: 'cpu', lm: true, threads: 1 });
  const file = recording('b.wav', 7);
  const finals: { text: string; start: number }[] = [];
  host.addFeed('b', file, 0, { onFinals: (segs) => finals.push(...segs), onPartial: () => undefined });
  await host.finishFeed('b');
  assert.equal(log.spawns, 2, 'respawned once');
  assert.ok(statuses.includes('restarting'));
  // Every second of audio is covered exactly once, in order, despite the crash.
  const starts = finals.map((f) => f.start);
  assert.deepEqual(starts, [0, 1, 2, 3, 4, 5, 6]);
  await host.dispose();
});

test('without a model the status says so and finishing feeds resolve at once (capture never waits)', async () => {
  const log = { spawns: 0, pushes: 0, streamsStartedAt: [] as number[] };
  const statuses: { state: string; message: string }[] = [];
  const host = new TranscriberHost(fakeSpawner({ noModel: true }, log), (s) => statuses.push(s));
  await host.configure({ model: 'fake', provider: 'cpu', lm: true, threads: 1 });
  assert.equal(statuses.at(-1)?.state, 'unavailable');
  assert.match(statuses.at(-1)?.message ?? '', /model not built yet/);
  host.addFeed('c', recording('c.wav', 1), 0, { onFinals: () => assert.fail('no finals without a model'), onPartial: () => undefined });
  await host.finishFeed('c');
  assert.equal(log.pushes, 0);
  await host.dispose();
});

test('an ignored adaptation profile shows as the ready status message, and a good load has none', async () => {
  const log = { spawns: 0, pushes: 0, streamsStartedAt: [] as number[] };
  const statuses: { state: string; message: string }[] = [];
  const host = new TranscriberHost(fakeSpawner({}, log), (s) => statuses.push(s));
  await host.configure({ model: 'fake', provider: 'cpu', lm: true, threads: 1, profile: 'Board room' });
  assert.equal(statuses.at(-1)?.state, 'ready');
  assert.match(statuses.at(-1)?.message ?? '', /profile 'Board room' ignored: .*using the base model/);
  await host.configure({ model: 'fake', provider: 'cpu', lm: true, threads: 1 });
  assert.deepEqual(statuses.at(-1), { state: 'ready', message: '', provider: 'cpu', model: 'fake' });
  await host.dispose();
});

test('reconfiguring while the worker is still loading starts a worker with the new config (no engine left stuck loading)', async () => {
  const log = { spawns: 0, pushes: 0, streamsStartedAt: [] as number[] };
  const statuses: { state: string; model: string }[] = [];
  const host = new TranscriberHost(fakeSpawner({ initMs: 50 }, log), (s) => statuses.push(s));
  const first = host.configure({ model: 'fake', provider: 'cpu', lm: true, threads: 1 });
  await host.configure({ model: 'other', provider: 'cpu', lm: true, threads: 1, profile: 'Board room' });
  await first;
  assert.equal(log.spawns, 2);
  assert.deepEqual({ state: host.currentStatus.state, model: host.currentStatus.model }, { state: 'ready', model: 'other' });
  await host.dispose();
});
