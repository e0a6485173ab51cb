/**
 * Background jobs (the high-accuracy pass, adaptation) in a process of their own: one process per
 * job, spawned on demand, killed when the job ends. The worker lowers its own priority, so the live
 * path keeps the cores and the app stays responsive.
 */
import { jobEvents, jobRequests, isJobEventChannel, type JobEventChannel, type JobEventOf, type JobRequestChannel, type JobRequestOf, type JobResponseOf } from '../../core/contract/channels.js';
import { RpcPeer } from '../../core/contract/rpc.js';
import { logger } from '../../core/log.js';
import type { SpawnWorker } from './transcriber-host.js';

const log = logger('jobs');

export type JobEventHandler = <C extends JobEventChannel>(channel: C, payload: JobEventOf<C>) => void;

export interface RunningJob<T> {
  readonly done: Promise<T>;
  /** Asks the job to stop; kills the process if it has not ended within `graceMs`. */
  cancel(graceMs?: number): void;
}

export function runJob<C extends JobRequestChannel>(spawn: SpawnWorker, channel: C, payload: JobRequestOf<C>, onEvent?: JobEventHandler): RunningJob<JobResponseOf<C>> {
  const link = spawn();
  let ended = false;
  const peer = new RpcPeer(
    (m) => link.send(m),
    null,
    (ch, p) => {
      if (!isJobEventChannel(ch)) return;
      try {
        onEvent?.(ch, jobEvents[ch].parse(p, ch) as JobEventOf<typeof ch>);
      } catch (err) {
        log.warn(`bad job event ${ch}`, err);
      }
    },
  );
  link.onMessage((m) => void peer.receive(m));
  link.onExit((code) => {
    peer.close({ code: 'worker', message: `background job stopped (exit ${code ?? 'signal'})` });
  });
  const done = (async () => {
    try {
      const raw = await peer.request(channel, payload);
      return jobRequests[channel].res.parse(raw, `job ${channel}`) as JobResponseOf<C>;
    } finally {
      ended = true;
      link.kill();
    }
  })();
  return {
    done,
    cancel(graceMs = 5000) {
      if (ended) return;
      peer.request('cancel', {}).catch(() => undefined);
      setTimeout(() => {
        if (!ended) link.kill();
      }, graceMs).unref();
    },
  };
}
