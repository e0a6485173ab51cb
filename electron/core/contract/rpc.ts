/**
 * A transport-agnostic RPC peer over WireMessage: used by the WebSocket client and server and by
 * the host ↔ transcriber-worker link. Payload validation is done by the typed wrappers around it.
 */
import { HushError } from '../errors.js';
import type { WireError, WireMessage } from './wire.js';

/** An error that crossed a process boundary: the remote's code and one-line user message. */
export class RemoteError extends HushError {}

export type RequestHandler = (channel: string, payload: unknown) => Promise<unknown>;
export type EventHandler = (channel: string, payload: unknown) => void;

export function toWireError(err: unknown): WireError {
  if (err instanceof HushError) return { code: err.code, message: err.userMessage };
  if (err instanceof Error) return { code: 'error', message: err.message.split('\n')[0] };
  return { code: 'error', message: String(err) };
}

export class RpcPeer {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private closed: WireError | null = null;

  constructor(
    private readonly send: (msg: WireMessage) => void,
    private readonly onRequest: RequestHandler | null,
    private readonly onEvent: EventHandler | null,
  ) {}

  request(channel: string, payload: unknown): Promise<unknown> {
    if (this.closed) return Promise.reject(new RemoteError(this.closed.code, this.closed.message));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      try {
        this.send({ t: 'req', id, ch: channel, p: payload });
      } catch (err) {
        this.pending.delete(id);
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  emit(channel: string, payload: unknown): void {
    if (!this.closed) this.send({ t: 'evt', ch: channel, p: payload });
  }

  /** Feed every inbound message here. */
  async receive(msg: WireMessage): Promise<void> {
    if (msg.t === 'res') {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.v);
      else p.reject(new RemoteError(msg.err.code, msg.err.message));
    } else if (msg.t === 'evt') {
      this.onEvent?.(msg.ch, msg.p);
    } else if (msg.t === 'req') {
      if (!this.onRequest) {
        this.send({ t: 'res', id: msg.id, ok: false, err: { code: 'contract', message: `no requests accepted here (${msg.ch})` } });
        return;
      }
      try {
        const v = await this.onRequest(msg.ch, msg.p);
        if (!this.closed) this.send({ t: 'res', id: msg.id, ok: true, v });
      } catch (err) {
        if (!this.closed) this.send({ t: 'res', id: msg.id, ok: false, err: toWireError(err) });
      }
    }
  }

  /** Rejects everything pending; later requests fail at once. */
  close(reason: WireError = { code: 'closed', message: 'connection closed' }): void {
    this.closed = reason;
    for (const p of this.pending.values()) p.reject(new RemoteError(reason.code, reason.message));
    this.pending.clear();
  }

  get pendingCount(): number {
    return this.pending.size;
  }
}
