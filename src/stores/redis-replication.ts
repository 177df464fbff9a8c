// Store kind `redis-replication`: plain Redis replication, no manager. Roles from each server's
// ROLE (a replica counts when connected to the one master, and that master lists it). It cannot
// move its primary: nothing but an operator's REPLICAOF does.
import { z } from 'zod';
import { membersOfKind, membersPublish } from './member-ports.ts';
import { redisMembers } from './redis-members.ts';
import { defineStoreKind, type Capability } from './types.ts';

const CAN: ReadonlySet<Capability> = new Set(['primary', 'replicas', 'upstreams', 'observe']);

export default defineStoreKind({
  kind: 'redis-replication',
  title: 'plain Redis replication',
  schema: z.object({}).loose(),
  offers: { primary: '', replicas: '', upstreams: '', observe: '' },
  capabilities: () => CAN,
  check: (t, name, store) => membersPublish(t, name, store, 'redis', 'the redis-replication kind sends ROLE to'),
  infer: (t, store) => membersOfKind(t, store, 'redis'),
  members: (ctx) => redisMembers(ctx.target, ctx.members),
  sources: () => [['redis-role', 'redis']],
  roleSource: () => 'redis-role',
});
