// iptables run by the host inside a container's network namespace (nsenter -t <pid> -n): the
// container needs neither NET_ADMIN nor an iptables of its own. The price is the host: root, the
// two binaries, and the engine on this machine (a container's PID means nothing elsewhere).
import { ErrorCodes, FaultlineError } from '../core/errors.ts';
import { dockerEndpointHost, isLoopback } from './endpoints.ts';
import { exec } from './exec.ts';

const FIX = 'run faultline as root on the machine that runs the Docker engine, with iptables (and its iptables-restore) and nsenter (util-linux) installed; or use the proxy-level `zones` / `isolate` faults, which need none of this';

let binaries: Promise<string | undefined> | undefined;
const missingBinaries = (): Promise<string | undefined> => (binaries ??= (async () => {
  for (const bin of ['iptables', 'iptables-restore', 'nsenter']) {
    const ok = await exec(bin, ['--version'], { timeoutMs: 5000 }).then((r) => r.code === 0, () => false);
    if (!ok) return `no working \`${bin}\` on this host's PATH`;
  }
  return undefined;
})());

/** Why kernel-level faults cannot run here, or undefined when they can. */
export async function kernelFaultsUnavailable(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  if (process.platform !== 'linux') return `kernel-level faults need a Linux host (this is ${process.platform})`;
  const engine = dockerEndpointHost(env);
  if (engine && !isLoopback(engine)) return `the Docker engine is at ${engine}, not on this machine (DOCKER_HOST), so its container PIDs cannot be entered from here`;
  if (process.getuid?.() !== 0) return 'kernel-level faults need root (to enter a container\'s network namespace)';
  return missingBinaries();
}

export async function requireKernelFaults(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const why = await kernelFaultsUnavailable(env);
  if (why) throw new FaultlineError(ErrorCodes.KERNEL_FAULT_UNAVAILABLE, why, FIX);
}

/** One iptables call in the netns of `pid`; -w waits for the xtables lock instead of failing. */
async function iptables(pid: number, args: string[]): Promise<{ code: number; stderr: string; stdout: string }> {
  return exec('nsenter', ['-t', String(pid), '-n', 'iptables', '-w', ...args], { timeoutMs: 15_000 });
}

/** Delete a rule; one that is not there (healed already, or gone with a restarted container) is fine. */
async function deleteRule(pid: number, rule: string[]): Promise<void> {
  const r = await iptables(pid, ['-D', ...rule]);
  if (r.code !== 0 && !/does a matching rule exist|No chain\/target\/match/i.test(r.stderr)) {
    throw new FaultlineError(ErrorCodes.KERNEL_FAULT_UNAVAILABLE, `iptables -D ${rule.join(' ')} failed in the netns of PID ${pid}: ${r.stderr.trim()}`, FIX);
  }
}

/** A rule as an iptables-restore line: words quoted where they hold anything but plain characters. */
const restoreLine = (op: '-I' | '-D', rule: string[]): string =>
  [op, ...rule].map((w) => (/^[\w.,:/!+=@-]+$/.test(w) ? w : `"${w.replace(/(["\\])/g, '\\$1')}"`)).join(' ');

/**
 * Add (or delete) several rules in the netns of `pid` in one iptables-restore transaction: they
 * take effect together or not at all, in one process instead of one per rule (a cut that lands
 * rule by rule is a cut that starts at no one moment). --noflush keeps every other rule.
 */
export async function applyRules(pid: number, op: 'insert' | 'delete', rules: string[][]): Promise<void> {
  if (!rules.length) return;
  const input = `*filter\n${rules.map((r) => restoreLine(op === 'insert' ? '-I' : '-D', r)).join('\n')}\nCOMMIT\n`;
  const r = await exec('nsenter', ['-t', String(pid), '-n', 'iptables-restore', '--noflush', '-w'], { input, timeoutMs: 15_000 });
  if (r.code === 0) return;
  if (op === 'insert') throw new FaultlineError(ErrorCodes.KERNEL_FAULT_UNAVAILABLE, `iptables-restore of ${rules.length} rule(s) failed in the netns of PID ${pid}: ${r.stderr.trim()}`, FIX);
  // One rule already gone fails the whole transaction: delete one by one, where a missing rule is fine.
  for (const rule of rules) await deleteRule(pid, rule);
}

/** The filter-table rules whose comment starts with `prefix`, each as the args after -A. */
export async function rulesWithComment(pid: number, prefix: string): Promise<string[][]> {
  const r = await iptables(pid, ['-S']);
  if (r.code !== 0) throw new FaultlineError(ErrorCodes.KERNEL_FAULT_UNAVAILABLE, `iptables -S failed in the netns of PID ${pid}: ${r.stderr.trim()}`, FIX);
  // -S may quote a comment (nf_tables' iptables always does).
  const words = (line: string) => [...line.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((m) => m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!);
  const ours = (w: string[]) => w[0] === '-A' && w.includes('--comment') && (w[w.indexOf('--comment') + 1] ?? '').startsWith(prefix);
  return r.stdout.split('\n').map(words).filter(ours).map((w) => w.slice(1));
}
