/** Browser mode's worker spawner: the transcriber as a forked Node process running the TS entry through tsx. */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseWireMessage } from '../core/contract/wire.js';
import { logger } from '../core/log.js';
import type { SpawnWorker } from './service/transcriber-host.js';

const log = logger('worker-node');

export const spawnNodeWorker: SpawnWorker = () => {
  const entry = fileURLToPath(new URL('../workers/transcriber.ts', import.meta.url));
  const child = fork(entry, [], {
    execArgv: ['--import', import.meta.resolve('tsx')],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  log.debug(`spawned transcriber worker ${child.pid}`);
  return {
    send: (msg) => {
      if (child.connected) child.send(msg);
    },
    onMessage: (h) =>
      child.on('message', (m: unknown) => {
        try {
          h(parseWireMessage(m));
        } catch (err) {
          log.warn('bad message from worker', err);
        }
      }),
    onExit: (h) => child.on('exit', (code) => h(code)),
    kill: () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
};
