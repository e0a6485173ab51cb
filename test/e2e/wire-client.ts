/**
 * A second contract client from a Node test or bench process: the same RpcPeer, wire codec and
 * response/event validation as the page's WebSocket transport, so a test talks to the host exactly
 * as the UI does. It also keeps every event the host pushes, for assertions after the fact.
 */
import WebSocket from 'ws';
import { validateEvent, validateResponse } from '../../electron/core/contract/client.js';
import { isEventChannel, type EventChannel, type EventOf, type RequestChannel, type RequestOf, type ResponseOf } from '../../electron/core/contract/channels.js';
import { RpcPeer } from '../../electron/core/contract/rpc.js';
import { decodeJson, encodeFrame, encodeJson, type AudioFrame } from '../../electron/core/contract/wire.js';

export class WireClient {
  readonly events: { ch: EventChannel; p: unknown }[] = [];
  private readonly listeners = new Set<(ch: EventChannel, p: unknown) => void>();
  private readonly peer: RpcPeer;

  private constructor(private readonly ws: WebSocket, keepEvents: boolean) {
    this.peer = new RpcPeer(
      (msg) => ws.send(encodeJson(msg)),
      null,
      (ch, p) => {
        if (!isEventChannel(ch)) return;
        if (keepEvents) this.events.push({ ch, p });
        for (const l of this.listeners) l(ch, p);
      },
    );
    ws.on('message', (data, isBinary) => {
      if (!isBinary) void this.peer.receive(decodeJson(String(data)));
    });
    ws.on('close', () => this.peer.close({ code: 'disconnected', message: 'the host closed the connection' }));
  }

  /** Connects with the token in the host's URL. keepEvents: false for long runs that only listen. */
  static async open(url: string, keepEvents = true): Promise<WireClient> {
    const u = new URL(url);
    const token = new URLSearchParams(u.hash.slice(1)).get('token') ?? '';
    const ws = new WebSocket(`ws://${u.host}/ws?token=${encodeURIComponent(token)}`);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    return new WireClient(ws, keepEvents);
  }

  async request<C extends RequestChannel>(ch: C, p: RequestOf<C>): Promise<ResponseOf<C>> {
    return validateResponse(ch, await this.peer.request(ch, p));
  }

  /** The events of one channel received so far, validated. */
  of<C extends EventChannel>(ch: C): EventOf<C>[] {
    return this.events.filter((e) => e.ch === ch).map((e) => validateEvent(ch, e.p));
  }

  on<C extends EventChannel>(ch: C, handler: (p: EventOf<C>) => void): () => void {
    const l = (c: EventChannel, p: unknown): void => {
      if (c === ch) handler(validateEvent(ch, p));
    };
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  sendFrame(frame: AudioFrame): void {
    this.ws.send(encodeFrame(frame));
  }

  /** Bytes queued in the socket, not yet sent (for pacing a fast sender). */
  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  close(): void {
    this.ws.close();
  }
}
