/**
 * The host side of the contract: a full set of typed handlers, bound identically by the Electron
 * main process (IPC) and the browser-mode server (WebSocket); the workers serve their own tables
 * (host ↔ transcriber, host ↔ job worker) through the same dispatch. Inbound payloads are validated here.
 */
import { requests, type ChannelSpec, type EventChannel, type EventOf } from './channels.js';
import { ContractError, type Infer } from './schema.js';

export type EventSink = <C extends EventChannel>(channel: C, payload: EventOf<C>) => void;

/** A full set of handlers for one request table of the contract (UI ↔ host, host ↔ worker, host ↔ job worker). */
export type HandlersFor<T extends Record<string, ChannelSpec>> = { [C in keyof T]: (payload: Infer<T[C]['req']>) => Promise<Infer<T[C]['res']>> };

/**
 * Validates the channel name against `table` and the request payload, runs the handler, validates
 * its response: every door onto a request table dispatches through here, so none can skip a check.
 * `link` names the table in the error (e.g. 'request', 'worker', 'jobs').
 */
export async function dispatchOn<T extends Record<string, ChannelSpec>>(table: T, handlers: HandlersFor<T>, link: string, channel: unknown, payload: unknown): Promise<unknown> {
  if (typeof channel !== 'string' || !Object.prototype.hasOwnProperty.call(table, channel)) throw new ContractError(link, `unknown channel ${JSON.stringify(channel)}`);
  const spec = table[channel];
  const req = spec.req.parse(payload ?? {}, channel);
  const handler = handlers[channel] as (p: unknown) => Promise<unknown>;
  return spec.res.parse(await handler(req), `${channel} response`);
}

/** The UI ↔ host table's handlers, and its dispatch. */
export type RequestHandlers = HandlersFor<typeof requests>;

export function dispatchRequest(handlers: RequestHandlers, channel: unknown, payload: unknown): Promise<unknown> {
  return dispatchOn(requests, handlers, 'request', channel, payload);
}
