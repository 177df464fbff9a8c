// Each mesh file starts on a steady mesh and must leave it steady (see unsteady() in helpers.ts).
// A file that leaves it disturbed fails itself, by name, and the mesh is restored for the next
// file, so one broken file is one failure rather than a cascade through every file after it.
import { afterAll, beforeAll, expect } from 'vitest';
import { resetTarget, status } from '../../src/index.ts';
import { nodes, target, unsteady, waitHealthy } from './helpers.ts';

async function restore(): Promise<string> {
  const t0 = Date.now();
  const r = await resetTarget(target);
  let restarted: string[] = [];
  await waitHealthy(60_000).catch(async () => {
    // Running yet unhealthy a minute after the reset (a client stuck after a failover): restart it.
    restarted = (await status(target)).nodes.filter((n) => n.state === 'running' && n.health === 'unhealthy').map((n) => n.node);
    for (const n of restarted) await nodes.restart(n, 2);
    await waitHealthy(120_000);
  });
  return `reset (${r.toxicsRemoved} toxics, ${r.proxiesEnabled} proxies enabled, started ${r.nodesStarted.join(', ') || 'none'}, ${r.kernelRulesRemoved} kernel rules${restarted.length ? `, restarted ${restarted.join(', ')}` : ''}) and steady again in ${((Date.now() - t0) / 1000).toFixed(1)} s`;
}

beforeAll(async () => {
  // Right after `up` (or an earlier file's restart), replicas may still be catching up.
  const why = await unsteady();
  if (why.length) await waitHealthy(60_000).catch(async () => console.log(`[mesh] before ${expect.getState().testPath}: unsteady (${why.join('; ')}); ${await restore()}`));
}, 300_000);

afterAll(async () => {
  let left: string[] = [];
  await waitHealthy(60_000).catch(async () => { left = await unsteady(); });
  if (!left.length) return;
  const how = await restore();
  expect.fail(`this file left the mesh unsteady: ${left.join('; ')}; ${how}`);
}, 300_000);
