/**
 * The worker's end of its link to the host: Electron's utility-process parentPort when present,
 * otherwise Node's child_process IPC channel (browser mode). Both carry WireMessage objects.
 */
import { parseWireMessage, type WireMessage } from '../core/contract/wire.js';

interface ParentPortLike {
  on(event: 'message', listener: (e: { data: unknown }) => void): unknown;
  postMessage(message: unknown): void;
}

export interface WorkerPort {
  send(msg: WireMessage): void;
  onMessage(handler: (msg: WireMessage) => void): void;
}

export function workerPort(): WorkerPort {
  const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
  if (parentPort) {
    return {
      send: (msg) => parentPort.postMessage(msg),
      onMessage: (h) => parentPort.on('message', (e) => h(parseWireMessage(e.data))),
    };
  }
  if (typeof process.send === 'function') {
    // The host died (even by SIGKILL): do not linger as an orphan.
    process.on('disconnect', () => process.exit(0));
    return {
      send: (msg) => process.send?.(msg),
      onMessage: (h) => process.on('message', (m: unknown) => h(parseWireMessage(m))),
    };
  }
  throw new Error('the transcriber worker must be started by the host');
}
