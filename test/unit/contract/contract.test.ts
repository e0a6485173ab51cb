import assert from 'node:assert/strict';
import { test } from 'node:test';
import { events, jobEvents, jobRequests, requests, workerRequests } from '../../../electron/core/contract/channels.js';
import { dispatchOn, dispatchRequest, type HandlersFor, type RequestHandlers } from '../../../electron/core/contract/host.js';
import { RpcPeer } from '../../../electron/core/contract/rpc.js';
import { ContractError } from '../../../electron/core/contract/schema.js';
import { decodeFrame, decodeJson, encodeFrame, encodeJson, fromBase64, toBase64, type WireMessage } from '../../../electron/core/contract/wire.js';

test('request validators refuse wrong types, unknown keys and oversize strings', () => {
  assert.throws(() => requests['capture.start'].req.parse({ title: 3, channels: [0] }), ContractError);
  assert.throws(() => requests['capture.start'].req.parse({ title: 'x', channels: [2] }), /expected one of/);
  assert.throws(() => requests['library.rename'].req.parse({ sessionId: 'a', title: 'b', extra: 1 }), /unexpected key 'extra'/);
  assert.throws(() => requests['library.rename'].req.parse({ sessionId: 'a'.repeat(101), title: 'b' }), /longer than/);
  assert.deepEqual(requests['settings.set'].req.parse({ provider: 'gpu' }), { provider: 'gpu' });
  assert.throws(() => requests['settings.set'].req.parse({ provider: 'tpu' }));
});

test('event and worker payloads are validated with the path of the bad field', () => {
  const bad = { sessionId: 's', channel: 0, finals: [{ sessionId: 's', channel: 0, start: 0, end: 1, text: 'x', words: [{ text: 'x', start: 0, end: 1, confidence: 2 }] }], partial: null };
  assert.throws(() => events['transcript.update'].parse(bad, 'transcript.update'), /finals\[0\]\.words\[0\]\.confidence: above 1/);
  assert.throws(() => workerRequests.push.req.parse({ stream: 0, pcm: [1, 2] }), /expected bytes/);
});

test('bytes survive the JSON wire as base64, for every length', () => {
  for (let n = 0; n < 20; n++) {
    const b = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 255);
    assert.deepEqual(fromBase64(toBase64(b)), b);
    assert.equal(toBase64(b), Buffer.from(b).toString('base64'));
  }
  const msg: WireMessage = { t: 'req', id: 1, ch: 'library.import', p: { importId: 'i', name: 'a.wav', bytes: new Uint8Array([1, 2, 255]) } };
  assert.deepEqual(decodeJson(encodeJson(msg)), msg);
});

test('a Node Buffer goes over the wire as bytes too, not as its toJSON object', () => {
  const sent: WireMessage = { t: 'req', id: 2, ch: 'library.import', p: { importId: 'i', name: 'a.wav', bytes: Buffer.from([0, 128, 255]) } };
  const got = decodeJson(encodeJson(sent));
  assert.ok(got.t === 'req');
  assert.deepEqual((got.p as { bytes: unknown }).bytes, new Uint8Array([0, 128, 255]));
});

test('audio frames round-trip in binary and malformed frames are refused', () => {
  const pcm = Int16Array.from({ length: 320 }, (_, i) => (i - 160) * 200);
  const f = decodeFrame(encodeFrame({ channel: 1, seq: 4_000_000_000, pcm }));
  assert.equal(f.channel, 1);
  assert.equal(f.seq, 4_000_000_000);
  assert.deepEqual(f.pcm, pcm);
  assert.throws(() => decodeFrame(new Uint8Array(7)), ContractError);
  const bad = encodeFrame({ channel: 0, seq: 0, pcm });
  bad[1] = 5;
  assert.throws(() => decodeFrame(bad), /bad channel/);
});

test('dispatch validates the channel, the request and the response', async () => {
  const handlers = { 'library.delete': async () => ({ deleted: 'yes' }), 'capture.state': async () => ({ sessionId: null, state: 'idle', durationS: 0 }) } as unknown as RequestHandlers;
  await assert.rejects(dispatchRequest(handlers, 'nope', {}), /unknown channel/);
  await assert.rejects(dispatchRequest(handlers, 'library.delete', { sessionId: 7 }), /expected string/);
  await assert.rejects(dispatchRequest(handlers, 'library.delete', { sessionId: 'a' }), /library.delete response/);
  assert.deepEqual(await dispatchRequest(handlers, 'capture.state', {}), { sessionId: null, state: 'idle', durationS: 0 });
});

test('the job worker\'s table dispatches through the same checks: a UI channel is unknown there', async () => {
  const handlers = { cancel: async () => ({ cancelled: 'no' }) } as unknown as HandlersFor<typeof jobRequests>;
  await assert.rejects(dispatchOn(jobRequests, handlers, 'jobs', 'capture.state', {}), /jobs.*unknown channel "capture.state"/);
  await assert.rejects(dispatchOn(jobRequests, handlers, 'jobs', 'transcribeFile', { path: 'a.wav', model: 'student', threads: 1 }), /expected one of/);
  await assert.rejects(dispatchOn(jobRequests, handlers, 'jobs', 'cancel', {}), /cancel response/);
});

test('an RPC peer pair carries requests, typed errors and events, and fails pending calls on close', async () => {
  const seen: string[] = [];
  const link: { a?: RpcPeer } = {};
  const b = new RpcPeer(
    (m) => void link.a?.receive(m),
    async (ch, p) => {
      if (ch === 'boom') throw new ContractError('x', 'broken');
      return { echo: p };
    },
    null,
  );
  const a = new RpcPeer((m) => void b.receive(m), null, (ch) => seen.push(ch));
  link.a = a;
  assert.deepEqual(await a.request('echo', 5), { echo: 5 });
  await assert.rejects(a.request('boom', null), (e: Error & { code?: string }) => e.code === 'contract' && /broken/.test(e.message));
  b.emit('tick', {});
  assert.deepEqual(seen, ['tick']);
  const silent = new RpcPeer(() => undefined, null, null);
  const pending = silent.request('x', 1);
  silent.close();
  await assert.rejects(pending, /closed/);
});

test('high-accuracy and adaptation channels validate their payloads', () => {
  assert.deepEqual(requests['highAccuracy.start'].req.parse({ sessionId: 's' }), { sessionId: 's' });
  assert.deepEqual(requests['highAccuracy.start'].req.parse({ sessionId: 's', model: 'fixture' }), { sessionId: 's', model: 'fixture' });
  assert.throws(() => requests['highAccuracy.start'].req.parse({ sessionId: 's', model: '/etc/passwd' }), /expected one of/);
  assert.throws(() => events['highAccuracy.progress'].parse({ sessionId: 's', fraction: 1.5, stage: 'running' }), /fraction: above 1/);
  assert.throws(() => events['highAccuracy.progress'].parse({ sessionId: 's', fraction: 0.5, stage: 'paused' }), /stage: expected one of/);
  events['highAccuracy.progress'].parse({ sessionId: 's', fraction: 1, stage: 'done', segments: 3, flagged: 1 });
  // Stored segments carry the flag and the pass's text.
  requests['library.saveSegments'].req.parse({ sessionId: 's', segments: [{ sessionId: 's', channel: 0, start: 0, end: 1, text: 'x', words: [], edited: true, flagged: true, highAccuracyText: 'y' }] });
  assert.throws(() => requests['library.saveSegments'].req.parse({ sessionId: 's', segments: [{ sessionId: 's', channel: 0, start: 0, end: 1, text: 'x', words: [], flagged: 'yes' }] }), /flagged: expected boolean/);

  assert.deepEqual(requests['adapt.start'].req.parse({ jobId: 'j', name: 'office', sessionIds: ['a', 'b'] }), { jobId: 'j', name: 'office', sessionIds: ['a', 'b'] });
  assert.throws(() => requests['adapt.start'].req.parse({ jobId: 'j', name: 'x'.repeat(65), sessionIds: [] }), /name: longer than 64/);
  assert.throws(() => requests['adapt.start'].req.parse({ jobId: 'j', name: 'n', sessionIds: 'a' }), /sessionIds: expected array/);
  assert.throws(() => requests['adapt.cancel'].req.parse({}), /jobId: expected string/);
  assert.throws(() => requests['adapt.apply'].req.parse({ name: 3 }), /expected string/);
  assert.deepEqual(requests['adapt.apply'].req.parse({ name: '' }), { name: '' });
  assert.throws(() => requests['adapt.delete'].req.parse({ name: 'a', force: true }), /unexpected key 'force'/);
  requests['adapt.profiles'].res.parse({ profiles: [{ name: 'p', createdAt: '2026-01-01', baseModelVersion: 'v1', werBefore: 20, werAfter: 18, sources: 2 }], active: 'p' });
  requests['adapt.profiles'].res.parse({ profiles: [{ name: 'p', createdAt: '2026-01-01', baseModelVersion: 'v1', werBefore: 20, werAfter: 18, sure: { werBefore: 9, werAfter: 7, words: 30 }, sources: 2 }], active: 'p' });
  assert.throws(() => requests['adapt.profiles'].res.parse({ profiles: [{ name: 'p', createdAt: '', baseModelVersion: 'v', werBefore: -1, werAfter: 0, sources: 1 }], active: '' }), /werBefore: below 0/);
  requests['adapt.check'].res.parse({ ready: false, message: 'the student model is not built yet' });

  const ok = { jobId: 'j', stage: 'training', fraction: 0.4, etaSeconds: 30, detail: 'epoch 1/8' };
  assert.deepEqual(events['adapt.progress'].parse(ok), ok);
  events['adapt.progress'].parse({ ...ok, stage: 'done', fraction: 1, etaSeconds: 0, result: { name: 'p', werBefore: 20, werAfter: 21, sure: { werBefore: 10, werAfter: 12, words: 25 }, judgedOn: 'sure', kept: false, notSavedReason: 'no gain' } });
  assert.throws(() => events['adapt.progress'].parse({ ...ok, result: { name: 'p', werBefore: 1, werAfter: 1, sure: { werBefore: 1, werAfter: 1, words: 3 }, judgedOn: 'some', kept: true, notSavedReason: null } }), /result\.judgedOn/);
  assert.throws(() => events['adapt.progress'].parse({ ...ok, etaSeconds: -3 }), /etaSeconds: below 0/);
  assert.throws(() => events['adapt.progress'].parse({ ...ok, result: { name: 'p', werBefore: 1, werAfter: 1, sure: { werBefore: 1, werAfter: 1, words: 3 }, judgedOn: 'all', kept: 'no', notSavedReason: null } }), /result\.kept: expected boolean/);

  assert.deepEqual(requests['settings.set'].req.parse({ highAccuracyPass: false, adaptEnabled: true, adaptProfile: 'p' }), { highAccuracyPass: false, adaptEnabled: true, adaptProfile: 'p' });
  assert.throws(() => requests['settings.set'].req.parse({ adaptEnabled: 'on' }), /adaptEnabled: expected boolean/);
});

test('job worker channels validate requests and progress events', () => {
  jobRequests.transcribeFile.req.parse({ path: '/r/ch0.wav', model: 'teacher', threads: 1 });
  assert.throws(() => jobRequests.transcribeFile.req.parse({ path: '/r/ch0.wav', model: '/tmp/evil.onnx', threads: 1 }), /model: expected one of/);
  jobRequests.adapt.req.parse({ name: 'p', rows: [{ id: 'a', audio: '/a.wav', durationSeconds: 40 }] });
  assert.throws(() => jobRequests.adapt.req.parse({ name: 'p', rows: [{ id: 'a', audio: '/a.wav' }] }), /rows\[0\]\.durationSeconds: expected finite number/);
  assert.throws(() => jobEvents['job.adaptProgress'].parse({ phase: 'done', fraction: 1, etaSeconds: null, detail: '' }), /phase: expected one of/);
  jobEvents['job.fileProgress'].parse({ audioSeconds: 3.2 });
});

test('a recording can carry its own adaptation profile, and the engine reports load warnings', () => {
  assert.deepEqual(requests['capture.start'].req.parse({ title: 't', channels: [0], profile: 'Board room' }), { title: 't', channels: [0], profile: 'Board room' });
  assert.deepEqual(requests['capture.start'].req.parse({ title: 't', channels: [0] }), { title: 't', channels: [0] });
  assert.throws(() => requests['capture.start'].req.parse({ title: 't', channels: [0], profile: 'x'.repeat(65) }), /profile: longer than 64/);
  const meta = { id: 's', title: 't', createdAt: 1, durationS: 2, state: 'done', channels: [0], profile: 'Board room' };
  assert.deepEqual(requests['library.list'].res.parse([meta]), [meta]);
  workerRequests.init.res.parse({ provider: 'cpu', modelName: 'm', warnings: ["profile 'p' ignored: corrupt profile; using the base model"] });
  assert.throws(() => workerRequests.init.res.parse({ provider: 'cpu', modelName: 'm' }), /warnings: expected array/);
});
