// Store kind `generic`: any store whose members answer one question with primary or replica (an
// HTTP endpoint, an SQL query, a command run inside the node: see generic-role.ts), declared as
// its `role`. Without a `role` it is only a set of members: faults may name them, but it cannot
// tell its primary, so role selectors and role SLOs are refused for it. No manager, no placement;
// the answer says nothing of whom a replica streams from.
import { z } from 'zod';
import type { ErrorDetail } from '../core/errors.ts';
import { CredentialsSchema, type TargetNode } from '../config/target.ts';
import { askRole, probePort, roleOfAnswer, roleProbe, RoleProbeSchema } from './generic-role.ts';
import { membersPublish } from './member-ports.ts';
import type { MemberView } from './member-view.ts';
import { defineStoreKind, type Capability } from './types.ts';

const WITH_ROLE: ReadonlySet<Capability> = new Set(['primary', 'replicas', 'observe']);
const NONE: ReadonlySet<Capability> = new Set();
const WHEN = 'with a role probe';

const Spec = z.object({ role: RoleProbeSchema.optional(), credentials: CredentialsSchema.optional() }).loose();

export default defineStoreKind({
  kind: 'generic',
  title: 'a store answering a role probe',
  schema: Spec,
  offers: { primary: WHEN, replicas: WHEN, observe: WHEN },
  capabilities: (spec) => (spec.role ? WITH_ROLE : NONE),
  check(t, name, store, spec): ErrorDetail[] {
    if (!spec.role) return [];
    const port = probePort(spec.role);
    const problems = port ? membersPublish(t, name, store, port, 'its role probe asks') : [];
    if ('sql' in spec.role && !spec.credentials) problems.push({ path: `stores.${name}.credentials`, message: `store ${name}'s role probe is an SQL query, and the store declares no login`, fix: 'add credentials { user, password, database }' });
    return problems;
  },
  async members(ctx) {
    const role = ctx.spec.role;
    const view = async (m: TargetNode): Promise<MemberView> => {
      if (!role) return { role: 'member', detail: 'no role probe declared' };
      try {
        const answer = await askRole(ctx.target, m, role, ctx.spec.credentials);
        return { role: roleOfAnswer(role, answer), detail: `answered ${JSON.stringify(answer.trim().slice(0, 40))}` };
      } catch (e) {
        return { role: 'down', detail: (e as Error).message };
      }
    };
    return new Map(await Promise.all(ctx.members.map(async (m) => [m.name, await view(m)] as const)));
  },
  sources: (spec) => (spec.role ? [['role-probe', probePort(spec.role) ?? null]] : []),
  roleSource: (spec) => (spec.role ? 'role-probe' : undefined),
  probe: (ctx, member, timeoutMs) => roleProbe(ctx.target, member, ctx.spec.role!, ctx.spec.credentials, timeoutMs),
});
