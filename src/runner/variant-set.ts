// The variants of one run: applied and verified before the timeline, reverted after it, each step
// journaled as it happens. The values read before the first change are journaled before that
// change (`variant-apply`), like a fault's `touch`, so a run killed at any point can be reverted
// from its journal (recover.ts). revert() is idempotent: the normal path and every exit call it.
import type { VariantsRecord } from '../core/run-result.ts';
import type { Target } from '../config/target.ts';
import type { VariantUse } from '../config/variant.ts';
import type { Journal } from '../history/journal.ts';
import { applyVariants, revertVariants } from '../variants/apply.ts';
import { resolveVariant } from '../variants/check.ts';
import { describeReadings } from '../report/format.ts';
import type { Readings } from '../variants/types.ts';
import { withTimeout } from './probe.ts';

const APPLY_TIMEOUT_MS = 30_000;

export class VariantSet {
  /** What the run's result says of them (null: the experiment asked for none). */
  record: VariantsRecord | null = null;
  private before: Readings | undefined;
  private reverting: Promise<void> | undefined;
  private readonly o: { target: Target; journal: Journal; uses: VariantUse[]; say: (l: string) => void };

  constructor(o: { target: Target; journal: Journal; uses: VariantUse[]; say: (l: string) => void }) {
    this.o = o;
  }

  /** Apply and verify every variant; false (journaled, with why) when they are not all in force. */
  async apply(): Promise<boolean> {
    const { target, journal, uses, say } = this.o;
    if (!uses.length) return true;
    const resolved = uses.map(resolveVariant);
    const variants = resolved.map((r) => ({ name: r.name, params: r.params, description: r.description, custom: r.custom }));
    this.record = { variants, values: null, checks: [], touched: false, reverted: null };
    const names = variants.map((v) => v.name).join(', ');
    try {
      const a = await withTimeout(applyVariants(target, resolved, {
        timeoutMs: APPLY_TIMEOUT_MS,
        onBefore: (before) => {
          this.before = before;
          this.record!.touched = true;
          journal.write('variant-apply', { variants, before });
        },
      }), APPLY_TIMEOUT_MS + 30_000, `applying variants ${names}`);
      Object.assign(this.record, { values: a.values, checks: a.checks });
      journal.write('variant-applied', { variants, values: a.values, checks: a.checks, ms: a.ms });
      say(`variant ${names} in force (read back in ${a.ms} ms): ${[...describeReadings(a.values), ...a.checks].join('; ')}`);
      return true;
    } catch (e) {
      this.record.error = (e as Error).message;
      journal.write('variant-failed', { variants, error: this.record.error });
      say(`variant ${names} not in force: ${this.record.error}`);
      return false;
    }
  }

  /** Put back what was there before and read it back; a failure is journaled and recorded, not thrown. */
  revert(): Promise<void> {
    return (this.reverting ??= this.doRevert());
  }

  private async doRevert(): Promise<void> {
    if (!this.before || !this.record) return;
    const { target, journal, say } = this.o;
    try {
      const r = await withTimeout(revertVariants(target, this.before, { timeoutMs: APPLY_TIMEOUT_MS }), APPLY_TIMEOUT_MS + 30_000, 'reverting variants');
      this.record.reverted = { ok: true, values: r.values };
      journal.write('variant-reverted', { values: r.values, ms: r.ms });
      say(`variant ${this.record.variants.map((v) => v.name).join(', ')} reverted (read back in ${r.ms} ms): ${describeReadings(r.values).join('; ')}`);
    } catch (e) {
      this.record.reverted = { ok: false, error: (e as Error).message };
      journal.write('variant-revert-failed', { error: (e as Error).message });
      say(`variant NOT reverted: ${(e as Error).message}; run \`faultline reset\``);
    }
  }
}
