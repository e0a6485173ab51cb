/** The browser-mode transport: the contract over a WebSocket to 127.0.0.1, with the page's token. */
import { EventHub, validateResponse, type HushClient } from '../../../../electron/core/contract/client.js';
import { isEventChannel, type EventChannel, type EventOf, type RequestChannel, type RequestOf, type ResponseOf } from '../../../../electron/core/contract/channels.js';
import { RpcPeer } from '../../../../electron/core/contract/rpc.js';
import { decodeJson, encodeFrame, encodeJson, type AudioFrame } from '../../../../electron/core/contract/wire.js';

export class WsClient implements HushClient {
  readonly transport = 'websocket' as const;
  private readonly hub = new EventHub();
  private ws: WebSocket | null = null;
  private peer: RpcPeer | null = null;
  private up = false;
  private waiters: (() => void)[] = [];
  private readonly connListeners = new Set<(up: boolean) => void>();
  private retry = 0;

  constructor(private readonly token: string) {
    this.connect();
  }

  private connect(): void {
    const ws = new WebSocket(`ws://${location.host}/ws?token=${encodeURIComponent(this.token)}`);
    ws.binaryType = 'arraybuffer';
    const peer = new RpcPeer(
      (msg) => ws.send(encodeJson(msg)),
      null,
      (channel, payload) => {
        if (isEventChannel(channel)) this.hub.dispatch(channel, payload);
      },
    );
    ws.onopen = () => {
      this.retry = 0;
      this.setUp(true);
      for (const w of this.waiters.splice(0)) w();
    };
    ws.onmessage = (e: MessageEvent) => {
      if (typeof e.data === 'string') void peer.receive(decodeJson(e.data));
    };
    ws.onclose = () => {
      peer.close({ code: 'disconnected', message: 'lost the connection to Hushscribe' });
      if (this.ws === ws) {
        this.ws = null;
        this.peer = null;
        this.setUp(false);
        const delay = Math.min(5000, 250 * 2 ** this.retry++);
        setTimeout(() => this.connect(), delay);
      }
    };
    this.ws = ws;
    this.peer = peer;
  }

  private setUp(up: boolean): void {
    if (this.up === up) return;
    this.up = up;
    for (const l of this.connListeners) l(up);
  }

  private ready(): Promise<void> {
    if (this.up) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async request<C extends RequestChannel>(channel: C, payload: RequestOf<C>): Promise<ResponseOf<C>> {
    await this.ready();
    if (!this.peer) throw new Error('not connected');
    return validateResponse(channel, await this.peer.request(channel, payload));
  }

  on<C extends EventChannel>(channel: C, handler: (payload: EventOf<C>) => void): () => void {
    return this.hub.on(channel, handler);
  }

  sendFrame(frame: AudioFrame): void {
    const ws = this.ws;
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(encodeFrame(frame));
  }

  audioUrl(sessionId: string): string {
    return `/audio/${encodeURIComponent(sessionId)}.wav?token=${encodeURIComponent(this.token)}`;
  }

  onConnection(handler: (up: boolean) => void): () => void {
    this.connListeners.add(handler);
    handler(this.up);
    return () => this.connListeners.delete(handler);
  }
}
