import assert from 'node:assert/strict';
import { test } from 'node:test';
import { events, requests, workerRequests } from '../../../electron/core/contract/channels.js';
import { dispatchRequest, type RequestHandlers } from '../../../electron/core/contract/host.js';
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
