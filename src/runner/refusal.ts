// Problems found before anything was touched, as the one error a run refuses with. When every
// problem is a kernel fault this host cannot run, the input is fine and the machine is not: the
// error carries FL_KERNEL_FAULT_UNAVAILABLE (exit code 5, not 4), names the steps, and says how
// to get the same cut another way.
import { ErrorCodes, FaultlineError, type ErrorDetail } from '../core/errors.ts';

export const KERNEL_WAY_OUT = 'cut the same links with the proxy-level `isolate` (isolate: <node> becomes node: <node>) or `zones` (same from, to and oneWay), which need no root; or run faultline as root on the machine that runs the Docker engine, with iptables and nsenter installed';

/** `invalid`: the headline when the input is at fault, e.g. `experiment "x" is not valid`. */
export function refusal(problems: ErrorDetail[], invalid: string, scope = ''): FaultlineError {
  if (problems.length && problems.every((p) => p.code === ErrorCodes.KERNEL_FAULT_UNAVAILABLE)) {
    const steps = problems.map((p) => p.path).join(', ');
    return new FaultlineError(ErrorCodes.KERNEL_FAULT_UNAVAILABLE, `${scope}${steps} ${problems.length > 1 ? 'cut' : 'cuts'} links in the kernel (partition_kernel), which this host cannot do; nothing was touched`, KERNEL_WAY_OUT, { details: problems });
  }
  // Problems that all share a code of their own (e.g. the store kinds cannot answer) raise that code.
  const shared = problems[0]?.code !== undefined && problems.every((p) => p.code === problems[0]!.code) ? problems[0]!.code : ErrorCodes.BAD_EXPERIMENT;
  return new FaultlineError(shared, `${invalid} (${problems.length} problem${problems.length > 1 ? 's' : ''})`, 'correct each field listed above; nothing was touched', { details: problems });
}
