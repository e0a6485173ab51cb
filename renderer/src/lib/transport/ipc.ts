/** The Electron transport: the preload's `window.hushscribe` bridge. */
import { EventHub, validateResponse, type HushBridge, type HushClient } from '../../../../electron/core/contract/client.js';
import { isEventChannel, type EventChannel, type EventOf, type RequestChannel, type RequestOf, type ResponseOf } from '../../../../electron/core/contract/channels.js';
import { RemoteError } from '../../../../electron/core/contract/rpc.js';
import { encodeFrame, type AudioFrame } from '../../../../electron/core/contract/wire.js';

export class IpcClient implements HushClient {
  readonly transport = 'ipc' as const;
  private readonly hub = new EventHub();

  constructor(private readonly bridge: HushBridge) {
    bridge.onEvent((channel, payload) => {
      if (isEventChannel(channel)) this.hub.dispatch(channel, payload);
    });
  }

  async request<C extends RequestChannel>(channel: C, payload: RequestOf<C>): Promise<ResponseOf<C>> {
    const res = await this.bridge.request(channel, payload);
    if (!res.ok) throw new RemoteError(res.err.code, res.err.message);
    return validateResponse(channel, res.v);
  }

  on<C extends EventChannel>(channel: C, handler: (payload: EventOf<C>) => void): () => void {
    return this.hub.on(channel, handler);
  }

  sendFrame(frame: AudioFrame): void {
    this.bridge.sendFrame(encodeFrame(frame));
  }

  audioUrl(sessionId: string): string {
    return `/audio/${encodeURIComponent(sessionId)}.wav`;
  }

  onConnection(handler: (up: boolean) => void): () => void {
    handler(true);
    return () => undefined;
  }
}
