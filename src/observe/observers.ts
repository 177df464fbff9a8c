// The observe layer's entry: a poller per node and source, one shared ticker, a watch of Patroni's
// keys on every etcd member, and a subscription to every Sentinel's events. Only changes reach the
// sink; the caller stamps them with its own clock. What cannot be watched is said, not guessed.
import type { Store, Target } from '../config/target.ts';
import { ErrorCodes, FaultlineError } from '../core/errors.ts';
import type { Observation, SentinelEvent } from '../history/model.ts';
import { appReadyProbe } from './app-ready.ts';
import { Changes } from './changes.ts';
import { watchPatroniDcs, type DcsWatch } from './dcs-watch.ts';
import { haproxyProbe } from './haproxy.ts';
import { patroniProbe } from './patroni.ts';
import { pgRecoveryProbe, type PgCredentials } from './pg-recovery.ts';
import { Poller, type Probe, type Reading } from './poller.ts';
import { redisRoleProbe } from './redis-role.ts';
import { sentinelMasterProbe } from './sentinel-master.ts';
import { subscribeSentinel } from './sentinel-events.ts';
import { startTicker } from './ticker.ts';
import { declaredMasterName, watchList, type Source, type SourcesOf, type Watch } from './watch-list.ts';

export interface ObserverSink {
  observe(o: Omit<Observation, 't'>): void;
  sentinelEvent(e: Omit<SentinelEvent, 't'>): void;
}

/** A node and source not watched, and why: a check can then say "no evidence" instead of guessing. */
export interface ObserveSkip { node: string; source: Source; store?: string; reason: string }

export interface ObserverOptions {
  /** Minimum polls per second per node and source (default 20). */
  hz?: number;
  /** Postgres login for pg_is_in_recovery(), for every Postgres store (default: each store's `credentials`). */
  pg?: PgCredentials;
  /**
   * Where the `patroni` source reads each member's state and role: "dcs" watches the member keys
   * in etcd (default where the store declares `patroni` and has etcd consensus nodes), "rest"
   * polls GET /patroni on each member at hz.
   */
  patroniVia?: 'dcs' | 'rest';
  /** How often each etcd member is asked a range to prove it still answers (default 1000 ms: changes arrive on the stream at once, this only bounds how long a silent member goes unnoticed). */
  dcsCheckMs?: number;
  /** How often each app reports its readiness on its stream, probing its stores (default 200 ms). */
  appReadyEveryMs?: number;
  /** Sentinel master name (default: the target's redis store's masterName, else "mymaster"). */
  redisMasterName?: string;
  /** The sources on each store member, as its store's kind says (default: by node kind). */
  sourcesOf?: SourcesOf;
  /** Probes a store kind builds itself (the `role-probe` source), given the per-poll timeout. */
  probeOf?: (w: Watch, timeoutMs: number) => Probe | undefined;
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
  /** Per etcd member watched: whether it answers, changes streamed, streams opened. */
  streams: Record<string, { connected: boolean; events: number; streams: number }>;
}

export interface Observers {
  stop(): Promise<void>;
  /** The latest value per "node:source". */
  current(): Map<string, string>;
  stats(): ObserverStats;
  /** What is not watched, and why (also for targets that simply lack the evidence). */
  skipped: ObserveSkip[];
}

// Ticks run this much faster than hz, so one poll overrunning its tick (a skipped tick) or a late
// timer still leaves at least hz polls a second.
const HEADROOM = 1.25;
/** How long a promotion under way is watched closely (poll back to back). */
const BURST_MS = 3000;

type Settings = Required<Pick<ObserverOptions, 'redisMasterName' | 'timeoutMs' | 'connectTimeoutMs' | 'appReadyEveryMs'>>;

// Client-side timeouts are the connect timeout, the longest a poll may take; the poller aborts
// sooner when the connection was already open.
function probeFor(t: Target, w: Watch, o: Settings, pg: PgCredentials | undefined, probeOf: ObserverOptions['probeOf']): Probe {
  switch (w.source) {
    case 'role-probe': {
      const p = probeOf?.(w, o.connectTimeoutMs);
      if (!p) throw new Error(`no probe for ${w.node}'s role-probe source: its store kind builds it`);
      return p;
    }
    case 'patroni': return patroniProbe(t.host, w.port, o.connectTimeoutMs);
    case 'pg-recovery': return pgRecoveryProbe(t.host, w.port, pg!, o.connectTimeoutMs);
    case 'redis-role': return redisRoleProbe(t.host, w.port, o.connectTimeoutMs);
    case 'sentinel': return sentinelMasterProbe(t.host, w.port, o.redisMasterName, o.connectTimeoutMs);
    case 'app-ready': return appReadyProbe(t.host, w.port, { everyMs: o.appReadyEveryMs, slowMs: o.timeoutMs, silenceMs: o.connectTimeoutMs, timeoutMs: o.connectTimeoutMs });
    case 'haproxy': return haproxyProbe(t.host, w.port, (w.store && t.stores[w.store]?.members) || [], o.connectTimeoutMs);
    case 'dcs-leader': throw new Error('dcs-leader is a watch, not a poll');
  }
}

/** The etcd members a Patroni store's DCS watch asks, when it can be watched there. */
function dcsOf(t: Target, s: Store, watches: Watch[]): { node: string; port: number }[] {
  const consensus = Array.isArray(s.consensus) ? (s.consensus as unknown[]) : [];
  return watches.filter((w) => w.source === 'dcs-leader' && consensus.includes(w.node)).map((w) => ({ node: w.node, port: w.port }));
}

export async function startObservers(target: Target, sink: ObserverSink, opts: ObserverOptions = {}): Promise<Observers> {
  const hz = opts.hz ?? 20;
  if (!(hz > 0 && hz <= 1000)) throw new FaultlineError(ErrorCodes.BAD_INPUT, `observer rate ${hz} Hz is out of range`, 'pass hz between 1 and 1000 (default 20)');
  if (opts.patroniVia !== undefined && opts.patroniVia !== 'dcs' && opts.patroniVia !== 'rest') {
    throw new FaultlineError(ErrorCodes.BAD_INPUT, `patroniVia "${String(opts.patroniVia)}" is not a way to observe Patroni`, 'pass "dcs" (watch the member keys in etcd) or "rest" (poll GET /patroni)');
  }
  const o: Settings = {
    redisMasterName: opts.redisMasterName ?? declaredMasterName(target) ?? 'mymaster',
    timeoutMs: opts.timeoutMs ?? 250, connectTimeoutMs: opts.connectTimeoutMs ?? 1000, appReadyEveryMs: opts.appReadyEveryMs ?? 200,
  };
  const all = watchList(target, opts.sourcesOf); // throws before any connection is opened
  const skipped: ObserveSkip[] = [];
  const skip = (w: Watch, reason: string): void => void skipped.push({ node: w.node, source: w.source, ...(w.store ? { store: w.store } : {}), reason });

  // Patroni stores watched in etcd: their members' `patroni` source comes from there, not from polls.
  const dcsStores = Object.entries(target.stores).filter(([, s]) => s.patroni && opts.patroniVia !== 'rest' && dcsOf(target, s, all).length > 0);
  const fromDcs = new Set(dcsStores.flatMap(([, s]) => s.members));
  const polled: { w: Watch; pg: PgCredentials | undefined }[] = [];
  for (const w of all) {
    const store = w.store ? target.stores[w.store] : undefined;
    if (w.source === 'dcs-leader') {
      if (dcsStores.some(([name]) => name === w.store)) continue;
      skip(w, !w.store ? 'not a consensus node of any store' : opts.patroniVia === 'rest' ? 'patroniVia "rest": Patroni is polled over REST, etcd is not watched'
        : `store ${w.store} declares no patroni {scope, namespace}, so its keys in etcd are unknown`);
      continue;
    }
    if (w.source === 'patroni' && fromDcs.has(w.node)) continue;
    const pg = opts.pg ?? store?.credentials;
    if (w.source === 'pg-recovery' && !pg) {
      skip(w, `no Postgres login: declare credentials {user, password, database} on store ${w.store ?? '(none)'}`);
      continue;
    }
    polled.push({ w, pg });
  }

  const changes = new Changes();
  let sinkErrors = 0;
  const deliver = (fn: () => void): void => {
    try {
      fn();
    } catch {
      sinkErrors++;
    }
  };
  const byKey = new Map<string, Poller>();
  // The system announcing a promotion: watch its members' own answers closely for a moment.
  const burstStore = (store: string | undefined, source: Source): void => {
    for (const m of (store && target.stores[store]?.members) || []) byKey.get(`${m}:${source}`)?.burst(BURST_MS);
  };
  const report = (node: string, source: Source, store: string | undefined, r: Reading): void => {
    if (!changes.update(`${node}:${source}`, r.value, r.epoch === undefined ? undefined : String(r.epoch))) return;
    deliver(() => sink.observe({ source, node, ...(store ? { store } : {}), value: r.value, ...(r.epoch !== undefined ? { epoch: r.epoch } : {}) }));
    // The DCS leader key expiring or changing hands: a Postgres promotion follows.
    if (source === 'dcs-leader') burstStore(store, 'pg-recovery');
  };
  /** Sentinel picks the replica it promotes ("+selected-slave slave redis-b:6380 ..."): watch its ROLE closely. */
  const onSentinel = (channel: string, message: string): void => {
    if (channel !== '+selected-slave' && channel !== '+failover-state-send-slaveof-noone') return;
    const node = /^slave ([^: ]+):/.exec(message)?.[1];
    if (node) byKey.get(`${node}:redis-role`)?.burst(BURST_MS);
  };
  const pollers = polled.map(({ w, pg }) => {
    const key = `${w.node}:${w.source}`;
    const poller = new Poller(probeFor(target, w, o, pg, opts.probeOf), o, (value, epoch) => report(w.node, w.source, w.store, { value, ...(epoch !== undefined ? { epoch } : {}) }));
    byKey.set(key, poller);
    return { key, poller };
  });
  const dcs: DcsWatch[] = dcsStores.map(([name, s]) => watchPatroniDcs(target.host, dcsOf(target, s, all), { namespace: s.patroni!.namespace, scope: s.patroni!.scope, members: s.members }, {
    leader: (node, value) => report(node, 'dcs-leader', name, { value }),
    member: (node, r) => report(node, 'patroni', name, r),
  }, { checkMs: opts.dcsCheckMs ?? 1000, timeoutMs: o.connectTimeoutMs }));
  const subscriptions = Object.entries(target.nodes)
    .filter(([, n]) => n.kind === 'sentinel' && n.hostPorts.sentinel !== undefined)
    .map(([name, n]) => subscribeSentinel(target.host, n.hostPorts.sentinel!, (channel, message) => {
      deliver(() => sink.sentinelEvent({ sentinel: name, channel, message }));
      onSentinel(channel, message);
    }));
  await Promise.all(subscriptions.map((s) => s.ready));

  const started = performance.now();
  const ticker = startTicker(1000 / (hz * HEADROOM), () => pollers.forEach((p) => p.poller.tick()));
  // The first tick ran already: wait for its answers (and each etcd member's first range), so every node has a value when this resolves.
  await Promise.all([...pollers.map((p) => p.poller.firstPoll), ...dcs.map((d) => d.ready)]);

  let stopping: Promise<void> | undefined;
  return {
    stop: () => (stopping ??= (async () => {
      ticker.stop();
      await Promise.all([...pollers.map((p) => p.poller.stop()), ...dcs.map((d) => d.close()), ...subscriptions.map((s) => s.close())]);
    })()),
    current: () => changes.snapshot(),
    stats: () => {
      const byPoller = Object.fromEntries(pollers.map((p) => [p.key, p.poller.polls]));
      const polls = pollers.reduce((sum, p) => sum + p.poller.polls, 0);
      const seconds = (performance.now() - started) / 1000;
      return { polls, perSecond: seconds > 0 ? polls / seconds : 0, byPoller, sinkErrors, streams: Object.assign({}, ...dcs.map((d) => d.stats())) as ObserverStats['streams'] };
    },
    skipped,
  };
}
