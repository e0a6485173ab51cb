/** Browser mode's worker spawners: the transcriber (and background jobs) as forked Node processes running the TS entry through tsx. */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { validatedListener } from '../core/contract/wire.js';
import { logger } from '../core/log.js';
import type { SpawnWorker } from './service/transcriber-host.js';

const log = logger('worker-node');

export const spawnNodeWorker: SpawnWorker = () => spawnNode('transcriber');

/** A background job process (high-accuracy pass, adaptation). */
export const spawnNodeJobWorker: SpawnWorker = () => spawnNode('jobs');

function spawnNode(name: 'transcriber' | 'jobs'): ReturnType<SpawnWorker> {
  const entry = fileURLToPath(new URL(`../workers/${name}.ts`, import.meta.url));
  const child = fork(entry, [], {
    execArgv: ['--import', import.meta.resolve('tsx')],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  log.debug(`spawned ${name} worker ${child.pid}`);
  return {
    send: (msg) => {
      if (child.connected) child.send(msg);
    },
    onMessage: (h) => child.on('message', validatedListener(h, (problem, err) => log.warn(problem, err))),
    onExit: (h) => child.on('exit', (code) => h(code)),
    kill: () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
