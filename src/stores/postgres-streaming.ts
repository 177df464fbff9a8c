// Store kind `postgres-streaming`: plain Postgres streaming replication, no manager. Roles from
// each server's pg_is_in_recovery(), who streams from whom from pg_stat_wal_receiver and
// pg_stat_replication, all with the store's own credentials (which need pg_monitor to see the
// replication views). It cannot move its primary: nothing but an operator promotes a standby.
import { z } from 'zod';
import { CredentialsSchema } from '../config/target.ts';
import { membersOfKind, membersPublish } from './member-ports.ts';
import { streamingMembers } from './streaming-members.ts';
import { defineStoreKind, type Capability } from './types.ts';

const CAN: ReadonlySet<Capability> = new Set(['primary', 'replicas', 'upstreams', 'observe']);

export default defineStoreKind({
  kind: 'postgres-streaming',
  title: 'plain Postgres streaming replication',
  schema: z.object({ credentials: CredentialsSchema }).loose(),
  offers: { primary: '', replicas: '', upstreams: '', observe: '' },
  capabilities: () => CAN,
  check: (t, name, store) => membersPublish(t, name, store, 'postgres', 'the postgres-streaming kind asks pg_is_in_recovery() on'),
  infer: (t, store) => membersOfKind(t, store, 'postgres'),
  members: (ctx) => streamingMembers(ctx.target, ctx.members, ctx.spec.credentials),
  sources: () => [['pg-recovery', 'postgres']],
  roleSource: () => 'pg-recovery',
});
