/**
 * The host side of the contract: a full set of typed handlers, bound identically by the Electron
 * main process (IPC) and the browser-mode server (WebSocket). Inbound payloads are validated here.
 */
import { isRequestChannel, requests, type EventChannel, type EventOf, type RequestChannel, type RequestOf, type ResponseOf } from './channels.js';
import { ContractError } from './schema.js';

export type RequestHandlers = { [C in RequestChannel]: (payload: RequestOf<C>) => Promise<ResponseOf<C>> };

export type EventSink = <C extends EventChannel>(channel: C, payload: EventOf<C>) => void;

/** Validates the channel name and request payload, runs the handler, validates its response. */
export async function dispatchRequest(handlers: RequestHandlers, channel: unknown, payload: unknown): Promise<unknown> {
  if (!isRequestChannel(channel)) throw new ContractError('request', `unknown channel ${JSON.stringify(channel)}`);
  const spec = requests[channel];
  const req = spec.req.parse(payload ?? {}, channel);
  const handler = handlers[channel] as (p: unknown) => Promise<unknown>;
  const res = await handler(req);
  return spec.res.parse(res, `${channel} response`);
}
