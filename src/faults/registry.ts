// Every fault kind, looked up by name. Adding a kind = one file + one line here.
import type { FaultKind } from './types.ts';
import latency from './link-latency.ts';
import bandwidth from './link-bandwidth.ts';
import blackhole from './link-blackhole.ts';
import timeout from './link-timeout.ts';
import reset from './link-reset.ts';
import slicer from './link-slicer.ts';
import limitData from './link-limit-data.ts';
import slowClose from './link-slow-close.ts';
import linkDown from './link-down.ts';
import kill from './node-kill.ts';
import stop from './node-stop.ts';
import pause from './node-pause.ts';
import restart from './node-restart.ts';
import crashLoop from './node-crash-loop.ts';
import isolate from './partition-isolate.ts';
import zones from './partition-zones.ts';
import { bridge, majorityMinority } from './partition-quorum.ts';
import partitionKernel from './partition-kernel.ts';

const kinds: FaultKind<unknown>[] = [
  latency, bandwidth, blackhole, timeout, reset, slicer, limitData, slowClose, linkDown,
  kill, stop, pause, restart, crashLoop,
  isolate, zones, majorityMinority, bridge, partitionKernel,
];

export const registry: ReadonlyMap<string, FaultKind<unknown>> = new Map(kinds.map((k) => [k.kind, k]));
export const faultKindNames = (): string[] => [...registry.keys()];
