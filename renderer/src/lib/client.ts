/** Picks the transport: Electron's preload bridge when present, else the WebSocket with the URL's token. */
import type { HushClient } from '../../../electron/core/contract/client.js';
import { IpcClient } from './transport/ipc.js';
import { WsClient } from './transport/ws.js';

export function createClient(): HushClient | null {
  if (window.hushscribe) return new IpcClient(window.hushscribe);
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  // A restarted host prints a new token: opening its URL in this tab only changes the hash.
  window.addEventListener('hashchange', () => {
    if (new URLSearchParams(location.hash.slice(1)).get('token') !== token) location.reload();
  });
  return token ? new WsClient(token) : null;
}
