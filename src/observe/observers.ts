// The observe layer's entry: a poller per node and source, one shared ticker, and a subscription to
// every Sentinel's events. Only changes reach the sink; the caller stamps them with its own clock.
import type { Target } from '../config/target.ts';
import { ErrorCodes, FaultlineError } from '../core/errors.ts';
import type { Observation, SentinelEvent } from '../history/model.ts';
import { appReadyProbe } from './app-ready.ts';
import { Changes } from './changes.ts';
import { patroniProbe } from './patroni.ts';
import { pgRecoveryProbe, REFERENCE_PG, type PgCredentials } from './pg-recovery.ts';
import { Poller, type Probe } from './poller.ts';
import { redisRoleProbe } from './redis-role.ts';
import { sentinelMasterProbe } from './sentinel-master.ts';
import { subscribeSentinel } from './sentinel-events.ts';
import { startTicker } from './ticker.ts';
import { declaredMasterName, watchList, type Watch } from './watch-list.ts';

export interface ObserverSink {
  observe(o: Omit<Observation, 't'>): void;
  sentinelEvent(e: Omit<SentinelEvent, 't'>): void;
}

export interface ObserverOptions {
  /** Minimum polls per second per node and source (default 20). */
  hz?: number;
  /** Postgres login for pg_is_in_recovery() (default app/app/app, the reference mesh's). */
  pg?: PgCredentials;
  /** Sentinel master name (default: the target's redis store's masterName, else "mymaster"). */
  redisMasterName?: string;
  /** Per-request timeout; an unanswered poll counts as "down" once it passes (default 250 ms). */
  timeoutMs?: number;
  /** Timeout of a poll that must (re)connect first: TCP, and for Postgres a login (default 1000 ms). */
  connectTimeoutMs?: number;
}

export interface ObserverStats {
  /** Polls completed by all pollers since start. */
  polls: number;
  /** polls / seconds since start. */
  perSecond: number;
  /** Polls completed per "node:source". */
  byPoller: Record<string, number>;
  /** Sink calls that threw (swallowed so observation goes on). */
  sinkErrors: number;
}

export interface Observers {
  stop(): Promise<void>;
  /** The latest value per "node:source". */
  current(): Map<string, string>;
  stats(): ObserverStats;
}

// Ticks run this much faster than hz, so one poll overrunning its tick (a skipped tick) or a late
// timer still leaves at least hz polls a second.
const HEADROOM = 1.25;

type Settings = Required<Pick<ObserverOptions, 'pg' | 'redisMasterName' | 'timeoutMs' | 'connectTimeoutMs'>>;

// Client-side timeouts are the connect timeout, the longest a poll may take; the poller aborts
// sooner when the connection was already open.
function probeFor(t: Target, w: Watch, o: Settings): Probe {
  switch (w.source) {
    case 'patroni': return patroniProbe(t.host, w.port, o.connectTimeoutMs);
    case 'pg-recovery': return pgRecoveryProbe(t.host, w.port, o.pg, o.connectTimeoutMs);
    case 'redis-role': return redisRoleProbe(t.host, w.port, o.connectTimeoutMs);
    case 'sentinel': return sentinelMasterProbe(t.host, w.port, o.redisMasterName, o.connectTimeoutMs);
    case 'app-ready': return appReadyProbe(t.host, w.port, o.connectTimeoutMs);
    default: throw new FaultlineError(ErrorCodes.INTERNAL, `no poller for source ${w.source}`, 'report this as a faultline bug');
  }
}

export async function startObservers(target: Target, sink: ObserverSink, opts: ObserverOptions = {}): Promise<Observers> {
  const hz = opts.hz ?? 20;
  if (!(hz > 0 && hz <= 1000)) throw new FaultlineError(ErrorCodes.BAD_INPUT, `observer rate ${hz} Hz is out of range`, 'pass hz between 1 and 1000 (default 20)');
  const o: Settings = {
    pg: opts.pg ?? REFERENCE_PG, redisMasterName: opts.redisMasterName ?? declaredMasterName(target) ?? 'mymaster',
    timeoutMs: opts.timeoutMs ?? 250, connectTimeoutMs: opts.connectTimeoutMs ?? 1000,
  };
  const watches = watchList(target); // throws before any connection is opened

  const changes = new Changes();
  let sinkErrors = 0;
  const deliver = (fn: () => void): void => {
    try {
      fn();
    } catch {
      sinkErrors++;
    }
  };
  const pollers = watches.map((w) => {
    const key = `${w.node}:${w.source}`;
    const poller = new Poller(probeFor(target, w, o), o, (value) => {
      if (changes.update(key, value)) deliver(() => sink.observe({ source: w.source, node: w.node, ...(w.store ? { store: w.store } : {}), value }));
    });
    return { key, poller };
  });
  const subscriptions = Object.entries(target.nodes)
    .filter(([, n]) => n.kind === 'sentinel' && n.hostPorts.sentinel !== undefined)
    .map(([name, n]) => subscribeSentinel(target.host, n.hostPorts.sentinel!, (channel, message) => deliver(() => sink.sentinelEvent({ sentinel: name, channel, message }))));
  await Promise.all(subscriptions.map((s) => s.ready));

  const started = performance.now();
  const ticker = startTicker(1000 / (hz * HEADROOM), () => pollers.forEach((p) => p.poller.tick()));
  // The first tick ran already: wait for its answers, so every node has a value when this resolves.
  await Promise.all(pollers.map((p) => p.poller.firstPoll));

  let stopping: Promise<void> | undefined;
  return {
    stop: () => (stopping ??= (async () => {
      ticker.stop();
      await Promise.all([...pollers.map((p) => p.poller.stop()), ...subscriptions.map((s) => s.close())]);
    })()),
    current: () => changes.snapshot(),
    stats: () => {
      const byPoller = Object.fromEntries(pollers.map((p) => [p.key, p.poller.polls]));
      const polls = pollers.reduce((sum, p) => sum + p.poller.polls, 0);
      const seconds = (performance.now() - started) / 1000;
      return { polls, perSecond: seconds > 0 ? polls / seconds : 0, byPoller, sinkErrors };
    },
  };
}
