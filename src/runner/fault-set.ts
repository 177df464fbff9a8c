// The faults of one run: injected through a recording context (each touch journaled before it
// happens), healed one by one or all at once (newest first), each heal bounded and retried once.
import type { FaultRecord } from '../core/run-result.ts';
import type { Target } from '../config/target.ts';
import { injectFault } from '../faults/interpreter.ts';
import type { ActiveFault } from '../faults/types.ts';
import type { Journal } from '../history/journal.ts';
import { Nodes } from '../runtime/docker.ts';
import { ToxiproxyApi } from '../runtime/toxiproxy.ts';
import type { PlannedFault } from './plan.ts';
import { withTimeout } from './probe.ts';
import { recordingContext } from './recorder.ts';
import { sleep } from './timeline.ts';

const HEAL_TIMEOUT_MS = 30_000;

export type { FaultRecord } from '../core/run-result.ts';

export class FaultSet {
  readonly records: Map<string, FaultRecord>;
  /** Footprint keys of everything injected: what cleanup verification looks at. */
  readonly touched = new Set<string>();
  readonly healErrors: string[] = [];
  private readonly active: { id: string; fault: ActiveFault }[] = [];
  private readonly live: { toxiproxy: ToxiproxyApi; nodes: Nodes };
  private readonly target: Target;
  private readonly runId: string;
  private readonly journal: Journal;
  private readonly say: (l: string) => void;

  constructor(o: { target: Target; runId: string; journal: Journal; faults: PlannedFault[]; say: (l: string) => void }) {
    this.target = o.target;
    this.runId = o.runId;
    this.journal = o.journal;
    this.say = o.say;
    this.records = new Map(o.faults.map((f) => [f.id, { id: f.id, name: f.name, path: f.path, kind: f.fault.kind }]));
    this.live = { toxiproxy: new ToxiproxyApi(o.target.toxiproxyUrl), nodes: new Nodes(o.target) };
  }

  async inject(f: PlannedFault): Promise<void> {
    const rec = this.records.get(f.id)!;
    this.journal.write('fault-inject', { id: f.id, path: f.path, spec: f.fault });
    const ctx = recordingContext(this.target, this.runId, (key) => {
      this.touched.add(key);
      this.journal.write('touch', { id: f.id, key });
    }, { ...this.live, note: (type, data) => this.journal.write(type, { id: f.id, ...data }) });
    try {
      const a = await injectFault(f.fault, ctx, f.id);
      this.active.push({ id: f.id, fault: a });
      Object.assign(rec, { description: a.description, injectedMs: this.journal.now() });
      this.journal.write('fault-injected', { id: f.id, kind: f.fault.kind, description: a.description });
      this.say(`+${(this.journal.now() / 1000).toFixed(2)} s inject ${f.id}: ${a.description}`);
    } catch (e) {
      rec.error = (e as Error).message;
      this.journal.write('fault-inject-failed', { id: f.id, error: rec.error });
      throw e;
    }
  }

  async heal(id: string): Promise<void> {
    const i = this.active.findIndex((a) => a.id === id);
    if (i < 0) return;
    const { fault } = this.active.splice(i, 1)[0]!;
    // Bounded, so a hung engine cannot keep the run alive; a leftover is then found and reported.
    const attempt = () => withTimeout(fault.heal(), HEAL_TIMEOUT_MS, `healing ${id}`);
    try {
      await attempt();
    } catch {
      await sleep(500, new AbortController().signal);
      await attempt(); // heals are idempotent (once): a retry runs again only because the first rejected
    }
    this.records.get(id)!.healedMs = this.journal.now();
    this.journal.write('fault-healed', { id });
    this.say(`+${(this.journal.now() / 1000).toFixed(2)} s heal ${id}`);
  }

  /** Heal whatever is still active, newest first; a heal that fails is recorded, not thrown. */
  async healAll(): Promise<void> {
    for (const { id } of [...this.active].reverse()) {
      await this.heal(id).catch((e: Error) => {
        this.healErrors.push(`${id}: ${e.message}`);
        this.journal.write('fault-heal-failed', { id, error: e.message });
      });
    }
  }
}
