// A replica is a member that replicates: a restarted ex-primary is not counted by the role probe
// while it starts or reconnects, only once it streams from the new primary. Each poll is printed
// against what the old probe read (the role alone: Patroni's /cluster role, Redis's ROLE).
import { describe, expect, it } from 'vitest';
import { currentPrimary, patroniRoles, redisCommand } from '../../src/index.ts';
import { ProbeSchema } from '../../src/config/probe.ts';
import { runProbe } from '../../src/runner/probe.ts';
import { hostPort, nodes, target, waitFor, waitHealthy } from './helpers.ts';

interface Sample { t: number; ok: boolean; roleOnly: boolean; detail: string }

const probeOf = (store: string) => ProbeSchema.parse({ name: `${store} roles`, role: { store, primaries: 1, replicas: 1 } });

/** Poll the probe from `t0` until it has passed `passes` times in a row. */
async function pollUntilCounted(store: string, t0: number, roleOnly: () => Promise<boolean>, timeoutMs: number): Promise<Sample[]> {
  const samples: Sample[] = [];
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const [r, naive] = await Promise.all([runProbe(probeOf(store), target), roleOnly().catch(() => false)]);
    samples.push({ t: Math.round(performance.now() - t0), ok: r.ok, roleOnly: naive, detail: r.detail });
    if (samples.slice(-3).length === 3 && samples.slice(-3).every((s) => s.ok)) return samples;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`${store}: the probe never counted the restarted member; last: ${samples.at(-1)?.detail}`);
}

/** The distinct states seen, each with the time it was first seen (ms after the restart). */
const timeline = (samples: Sample[], member: string) => {
  const lines: string[] = [];
  let last = '';
  for (const s of samples) {
    const mine = s.detail.split('; ').find((p) => p.startsWith(`${member}:`)) ?? `${member}: ?`;
    const line = `${mine}${s.roleOnly ? ' [role-only: replica]' : ''}${s.ok ? ' => ok' : ''}`;
    if (line !== last) lines.push(`  +${s.t} ms ${line}`);
    last = line;
  }
  return lines.join('\n');
};

function report(store: string, member: string, samples: Sample[]) {
  const firstRoleOnly = samples.find((s) => s.roleOnly)?.t;
  const firstOk = samples.find((s) => s.ok)!.t;
  const gap = samples.filter((s) => s.roleOnly && !s.ok);
  console.log(`[replica-probe] ${store}: ${member} restarted; role alone says replica from +${firstRoleOnly ?? '-'} ms, ` +
    `the probe counts it from +${firstOk} ms (${gap.length} polls in between would have passed before)\n${timeline(samples, member)}`);
  return gap;
}

describe('the role probe counts only streaming replicas', () => {
  it('Postgres: a restarted ex-primary counts once it streams from the new primary', async () => {
    const primary = (await currentPrimary(target, 'postgres'))!;
    const other = target.stores.postgres!.members.find((m) => m !== primary)!;
    expect((await runProbe(probeOf('postgres'), target)).ok).toBe(true);
    await nodes.kill(primary, 'SIGKILL');
    await waitFor(`${other} promoted`, async () => (await currentPrimary(target, 'postgres')) === other, 40_000, 200);
    const t0 = performance.now();
    await nodes.start(primary);
    const samples = await pollUntilCounted('postgres', t0, async () => ['replica', 'sync_standby'].includes((await patroniRoles(target)).get(primary) ?? ''), 90_000);
    const gap = report('postgres', primary, samples);
    // Counted only while the new primary lists it streaming; the role alone said replica earlier.
    expect(samples.filter((s) => s.ok).every((s) => s.detail.includes(`${primary}: replica (streaming from ${other}`))).toBe(true);
    expect(gap.length).toBeGreaterThan(0);
    const r = await fetch(`http://${target.host}:${hostPort(other, 'patroni')}/patroni`).then((x) => x.json()) as { replication?: { application_name: string; state: string }[] };
    expect(r.replication?.find((x) => x.application_name === primary)?.state).toBe('streaming');
    await waitHealthy();
  }, 180_000);

  it('Redis: a restarted ex-master counts once it streams from the new master', async () => {
    const master = (await currentPrimary(target, 'redis'))!;
    const other = target.stores.redis!.members.find((m) => m !== master)!;
    expect((await runProbe(probeOf('redis'), target)).ok).toBe(true);
    await nodes.kill(master, 'SIGKILL');
    await waitFor(`${other} promoted`, async () => (await currentPrimary(target, 'redis')) === other, 20_000, 50);
    const t0 = performance.now();
    await nodes.start(master);
    const samples = await pollUntilCounted('redis', t0, async () => ((await redisCommand(target.host, hostPort(master, 'redis'), ['ROLE'])) as string[])[0] === 'slave', 60_000);
    report('redis', master, samples);
    expect(samples.filter((s) => s.ok).every((s) => s.detail.includes(`${master}: replica (streaming from ${other}`))).toBe(true);
    // Whatever was seen before it streamed (a second master, a link still connecting), it was not counted.
    expect(samples.filter((s) => !s.ok).every((s) => !s.detail.includes(`${master}: replica`))).toBe(true);
    await waitHealthy();
  }, 120_000);
});
