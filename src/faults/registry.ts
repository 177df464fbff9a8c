// Every fault kind, looked up by name. Adding a kind = one file + one line here.
import type { z } from 'zod';
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
import exec from './node-exec.ts';
import isolate from './partition-isolate.ts';
import zones from './partition-zones.ts';
import { bridge, majorityMinority } from './partition-quorum.ts';
import partitionKernel from './partition-kernel.ts';
import storm from './load-storm.ts';

const kinds = [
  latency, bandwidth, blackhole, timeout, reset, slicer, limitData, slowClose, linkDown,
  kill, stop, pause, restart, crashLoop, exec,
  isolate, zones, majorityMinority, bridge, partitionKernel,
  storm,
] as const;

/**
 * A fault as an experiment writes it: one member per kind, told apart by `kind`, each with exactly
 * its kind's fields (from its schema, so the type and the check cannot disagree). An unknown
 * kind or a misspelt field is a compile error.
 */
export type FaultInput = z.input<(typeof kinds)[number]['schema']>;
export type FaultKindName = FaultInput['kind'];

export const registry: ReadonlyMap<string, FaultKind<unknown>> = new Map(kinds.map((k): [string, FaultKind<unknown>] => [k.kind, k]));
export const faultKindNames = (): string[] => [...registry.keys()];
