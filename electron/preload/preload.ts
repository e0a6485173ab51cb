/**
 * The preload: exposes the contract as `window.hushscribe` through contextBridge, and nothing else.
 * Channel names are checked here and payloads again in main (the process boundary).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { isEventChannel, isRequestChannel } from '../core/contract/channels.js';
import type { BridgeResult, HushBridge } from '../core/contract/client.js';
import { IPC } from './ipc-names.js';

const bridge: HushBridge = {
  request(channel: string, payload: unknown): Promise<BridgeResult> {
    if (!isRequestChannel(channel)) return Promise.resolve({ ok: false, err: { code: 'contract', message: `unknown channel ${channel}` } });
    return ipcRenderer.invoke(IPC.request, channel, payload) as Promise<BridgeResult>;
  },
  onEvent(handler: (channel: string, payload: unknown) => void): () => void {
    const listener = (_e: IpcRendererEvent, channel: unknown, payload: unknown) => {
      if (isEventChannel(channel)) handler(channel, payload);
    };
    ipcRenderer.on(IPC.event, listener);
    return () => {
      ipcRenderer.removeListener(IPC.event, listener);
    };
  },
  sendFrame(frame: Uint8Array): void {
    if (frame instanceof Uint8Array) ipcRenderer.send(IPC.frame, frame);
  },
};

contextBridge.exposeInMainWorld('hushscribe', bridge);
