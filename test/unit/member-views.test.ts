// Who counts as a replica, from the answers the nodes give (Patroni 3.0.2's /cluster and
// /patroni, Redis 7's ROLE, as seen on the reference mesh), without Docker.
import { describe, expect, it } from 'vitest';
import { postgresViews, type ClusterMember, type Replication } from '../../src/mesh/postgres-members.ts';
import { redisViews, type RoleReply } from '../../src/mesh/redis-members.ts';
import { describeMember } from '../../src/mesh/member-view.ts';

const leader: ClusterMember = { name: 'pg-a', role: 'leader', state: 'running' };
const streaming = new Map<string, Replication>([['pg-b', { application_name: 'pg-b', state: 'streaming', sync_state: 'sync' }]]);
const pgRoles = (cluster: ClusterMember[] | undefined, repl: Map<string, Replication> | undefined) =>
  Object.fromEntries([...postgresViews(['pg-a', 'pg-b'], cluster, repl)].map(([m, v]) => [m, describeMember(m, v)]));

describe('Postgres members', () => {
  it('a replica streaming from the leader counts, with its lag', () => {
    expect(pgRoles([leader, { name: 'pg-b', role: 'sync_standby', state: 'running', lag: 0 }], streaming))
      .toEqual({ 'pg-a': 'pg-a: primary', 'pg-b': 'pg-b: replica (streaming from pg-a, lag 0 B, sync)' });
  });

  it('a replica by role that is stopped, starting, or not in the leader\'s pg_stat_replication does not', () => {
    expect(pgRoles([leader, { name: 'pg-b', role: 'replica', state: 'starting' }], streaming)['pg-b']).toBe('pg-b: not counted as a replica: state starting');
    expect(pgRoles([leader, { name: 'pg-b', role: 'replica', state: 'stopped' }], streaming)['pg-b']).toBe('pg-b: not counted as a replica: state stopped');
    expect(pgRoles([leader, { name: 'pg-b', role: 'replica', state: 'running', lag: 'unknown' }], new Map())['pg-b']).toBe('pg-b: not counted as a replica: not streaming from pg-a');
    expect(pgRoles([leader, { name: 'pg-b', role: 'replica', state: 'running' }], undefined)['pg-b']).toBe('pg-b: not counted as a replica: pg-a did not say who streams from it');
    expect(pgRoles([{ name: 'pg-b', role: 'replica', state: 'running' }], undefined)).toEqual({
      'pg-a': 'pg-a: down (not in Patroni\'s cluster)', 'pg-b': 'pg-b: not counted as a replica: no primary to stream from',
    });
    expect(pgRoles(undefined, undefined)['pg-a']).toBe('pg-a: down (no Patroni answered)');
  });
});

const redisNodes = [{ name: 'redis-a', service: 'redis-a', ports: { redis: 6379 } }, { name: 'redis-b', service: 'redis-b', ports: { redis: 6380 } }];
const redisRoles = (a: RoleReply | undefined, b: RoleReply | undefined) =>
  Object.fromEntries([...redisViews(redisNodes, new Map([['redis-a', a], ['redis-b', b]]))].map(([m, v]) => [m, describeMember(m, v)]));
const master: RoleReply = ['master', 1000, [['redis-b', '6380', '990']]];

describe('Redis members', () => {
  it('a replica connected to the master, and listed by it, counts', () => {
    expect(redisRoles(master, ['slave', 'redis-a', 6379, 'connected', 990]))
      .toEqual({ 'redis-a': 'redis-a: primary', 'redis-b': 'redis-b: replica (streaming from redis-a, lag 10 B)' });
    // A master that names its replicas by IP (no replica-announce-ip) is matched by port.
    expect(redisRoles(['master', 5, [['172.18.0.3', '6380', '5']]], ['slave', 'redis-a', 6379, 'connected', 5])['redis-b']).toBe('redis-b: replica (streaming from redis-a, lag 0 B)');
  });

  it('one still connecting, following another node, or unlisted by the master does not', () => {
    expect(redisRoles(['master', 1000, []], ['slave', 'redis-a', 6379, 'handshake', -1])['redis-b']).toBe('redis-b: not counted as a replica: link to redis-a: handshake');
    expect(redisRoles(['master', 1000, []], ['slave', 'redis-a', 6379, 'connected', 1000])['redis-b']).toBe('redis-b: not counted as a replica: redis-a does not list it as a connected replica');
    expect(redisRoles(undefined, ['slave', 'redis-a', 6379, 'connected', 1000])).toEqual({ 'redis-a': 'redis-a: down (no answer to ROLE)', 'redis-b': 'redis-b: not counted as a replica: no master to stream from' });
    // A restarted ex-master is a second master until Sentinel demotes it.
    expect(redisRoles(master, ['master', 0, []])).toEqual({ 'redis-a': 'redis-a: primary', 'redis-b': 'redis-b: primary' });
  });

  it('a master that also lists a witness (a Redis node outside the store) still has to list the member', () => {
    const witness = { name: 'redis-c', service: 'redis-c', ports: { redis: 6381 } };
    const views = (m: RoleReply) => Object.fromEntries([...redisViews(redisNodes, new Map([['redis-a', m], ['redis-b', ['slave', 'redis-a', 6379, 'connected', 990]]]), [...redisNodes, witness])].map(([k, v]) => [k, describeMember(k, v)]));
    expect(views(['master', 1000, [['redis-c', '6381', '1000'], ['redis-b', '6380', '990']]])['redis-b']).toBe('redis-b: replica (streaming from redis-a, lag 10 B)');
    // Known to be the witness, so not an address the master might use for the member.
    expect(views(['master', 1000, [['redis-c', '6381', '1000']]])['redis-b']).toBe('redis-b: not counted as a replica: redis-a does not list it as a connected replica');
  });
});
