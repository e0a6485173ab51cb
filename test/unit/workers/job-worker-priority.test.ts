/**
 * Background jobs (the high-accuracy pass, adaptation) must not take the cores from capture, live
 * transcription and the UI: the job worker lowers its own priority before it serves anything.
 */
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { constants, getPriority } from 'node:os';
import { test } from 'node:test';
import { RpcPeer } from '../../../electron/core/contract/rpc.js';
import { parseWireMessage } from '../../../electron/core/contract/wire.js';
import { repoPath } from '../../helpers/paths.js';

test('the background job worker runs at the lowest CPU priority', async () => {
  const child = fork(repoPath('electron/workers/jobs.ts'), [], {
    execArgv: ['--import', 'tsx'],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const peer = new RpcPeer((m) => child.send(m), null, null);
    child.on('message', (m: unknown) => void peer.receive(parseWireMessage(m)));
    // An answer means the worker's start-up (where it lowers its priority) is done.
    assert.deepEqual(await peer.request('cancel', {}), { cancelled: false });
    assert.equal(getPriority(child.pid), constants.priority.PRIORITY_LOW);
  } finally {
    child.kill('SIGKILL');
  }
});
