/** The Electron door's worker spawner: the transcriber in a utility process. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { utilityProcess } from 'electron';
import { validatedListener } from '../core/contract/wire.js';
import { logger } from '../core/log.js';
import type { SpawnWorker } from '../server/service/transcriber-host.js';

const log = logger('worker-utility');

export const spawnUtilityWorker: SpawnWorker = () => spawnUtility('transcriber', 'Hushscribe transcriber');

/** Background jobs (high-accuracy pass, adaptation) in their own utility process; it lowers its own priority. */
export const spawnUtilityJobWorker: SpawnWorker = () => spawnUtility('jobs', 'Hushscribe background job');

function spawnUtility(entry: string, serviceName: string): ReturnType<SpawnWorker> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const child = utilityProcess.fork(path.join(here, '..', 'workers', `${entry}.js`), [], {
    serviceName,
    stdio: 'inherit',
  });
  let alive = true;
  child.on('exit', () => (alive = false));
  return {
    send: (msg) => {
      if (alive) child.postMessage(msg);
    },
    onMessage: (h) => child.on('message', validatedListener(h, (problem, err) => log.warn(problem, err))),
    onExit: (h) => child.on('exit', (code) => h(code)),
    kill: () => {
      if (alive) child.kill();
    },
  };
}
