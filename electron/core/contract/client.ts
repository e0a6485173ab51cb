/**
 * The one interface the renderer talks to. Two transports implement it: Electron IPC (through the
 * preload's `window.hushscribe` bridge) and WebSocket (browser mode). Both validate what comes back.
 */
import { events, requests, type EventChannel, type EventOf, type RequestChannel, type RequestOf, type ResponseOf } from './channels.js';
import type { AudioFrame } from './wire.js';

export interface HushClient {
  readonly transport: 'ipc' | 'websocket';
  request<C extends RequestChannel>(channel: C, payload: RequestOf<C>): Promise<ResponseOf<C>>;
  on<C extends EventChannel>(channel: C, handler: (payload: EventOf<C>) => void): () => void;
  /** Fire-and-forget 20 ms audio frames on the fast path. */
  sendFrame(frame: AudioFrame): void;
  /** A URL the UI can play a session's audio from. */
  audioUrl(sessionId: string): string;
  /** Connection up/down (browser mode loses it when the host dies). */
  onConnection(handler: (up: boolean) => void): () => void;
}

/** What the preload exposes as `window.hushscribe`: raw, untyped, channel-checked by both sides. */
export interface HushBridge {
  request(channel: string, payload: unknown): Promise<BridgeResult>;
  onEvent(handler: (channel: string, payload: unknown) => void): () => void;
  sendFrame(frame: Uint8Array): void;
}

export type BridgeResult = { ok: true; v: unknown } | { ok: false; err: { code: string; message: string } };

export function validateResponse<C extends RequestChannel>(channel: C, value: unknown): ResponseOf<C> {
  return requests[channel].res.parse(value, `${channel} response`) as ResponseOf<C>;
}

export function validateRequest<C extends RequestChannel>(channel: C, value: unknown): RequestOf<C> {
  return requests[channel].req.parse(value, channel) as RequestOf<C>;
}

export function validateEvent<C extends EventChannel>(channel: C, value: unknown): EventOf<C> {
  return events[channel].parse(value, channel) as EventOf<C>;
}

/** Fan-out of typed event handlers, shared by both transports. */
export class EventHub {
  private readonly handlers = new Map<string, Set<(p: unknown) => void>>();

  on<C extends EventChannel>(channel: C, handler: (payload: EventOf<C>) => void): () => void {
    let set = this.handlers.get(channel);
    if (!set) this.handlers.set(channel, (set = new Set()));
    const h = handler as (p: unknown) => void;
    set.add(h);
    return () => set.delete(h);
  }

  dispatch(channel: EventChannel, payload: unknown): void {
    const set = this.handlers.get(channel);
    if (!set || set.size === 0) return;
    const value = validateEvent(channel, payload);
    for (const h of set) h(value);
  }
}
