// Who counts as a replica, from the answers the nodes give (Patroni 3.0.2's /patroni and
// /cluster, Postgres 15's pg_stat_wal_receiver and pg_stat_replication, Redis 7's ROLE, as seen
// on the reference mesh), without Docker.
import { describe, expect, it } from 'vitest';
import { patroniManager, patroniViews, type ClusterMember, type PatroniSelf } from '../../src/stores/patroni-members.ts';
import { redisViews, type RoleReply } from '../../src/stores/redis-members.ts';
import { streamingViews, type StreamingAnswer } from '../../src/stores/streaming-members.ts';
import { describeMember } from '../../src/stores/member-view.ts';

const primarySelf: PatroniSelf = { role: 'master', state: 'running', replication: [{ application_name: 'pg-b', state: 'streaming', sync_state: 'sync' }] };
const cluster: ClusterMember[] = [{ name: 'pg-a', role: 'leader', state: 'running' }, { name: 'pg-b', role: 'sync_standby', state: 'running', lag: 0 }];
/** c null: /cluster did not answer. */
const pgRoles = (a: PatroniSelf | undefined, b: PatroniSelf | undefined, c: ClusterMember[] | null = cluster) =>
  Object.fromEntries([...patroniViews(['pg-a', 'pg-b'], new Map([['pg-a', a], ['pg-b', b]]), c ?? undefined)].map(([m, v]) => [m, describeMember(m, v)]));

describe('Postgres members under Patroni', () => {
  it('a replica streaming from the primary counts, with its lag from /cluster', () => {
    expect(pgRoles(primarySelf, { role: 'replica', state: 'running' }))
      .toEqual({ 'pg-a': 'pg-a: primary', 'pg-b': 'pg-b: replica (streaming from pg-a, lag 0 B, sync)' });
    expect(pgRoles(primarySelf, { role: 'replica', state: 'running' }, null)['pg-b']).toBe('pg-b: replica (streaming from pg-a, lag unknown, sync)');
  });

  it('a replica by role that is stopped, starting, or not in the primary\'s pg_stat_replication does not', () => {
    expect(pgRoles(primarySelf, { role: 'replica', state: 'starting' })['pg-b']).toBe('pg-b: not counted as a replica: state starting');
    expect(pgRoles(primarySelf, { role: 'replica', state: 'stopped' })['pg-b']).toBe('pg-b: not counted as a replica: state stopped');
    expect(pgRoles({ ...primarySelf, replication: [] }, { role: 'replica', state: 'running' })['pg-b']).toBe('pg-b: not counted as a replica: not streaming from pg-a');
    expect(pgRoles(undefined, { role: 'replica', state: 'running' })).toEqual({
      'pg-a': 'pg-a: down (Patroni did not answer)', 'pg-b': 'pg-b: not counted as a replica: no primary to stream from',
    });
  });

  it('each member speaks for itself: two saying primary are two primaries, whatever the leader key says', () => {
    expect(pgRoles(primarySelf, { role: 'master', state: 'running' })).toEqual({ 'pg-a': 'pg-a: primary', 'pg-b': 'pg-b: primary' });
  });

  it("the manager is the DCS leader key, as /cluster reports it; none or two leaders name no primary", () => {
    expect(patroniManager({ members: cluster, via: 'pg-b' })).toMatchObject({ primary: 'pg-a', by: "Patroni's leader key (/cluster on pg-b)" });
    expect(patroniManager({ members: [{ name: 'pg-a', role: 'replica', state: 'running' }], via: 'pg-a' }).primary).toBeNull();
    expect(patroniManager(undefined)).toEqual({ primary: null, by: 'Patroni (no member answered /cluster)' });
  });
});

const pgNodes = [{ name: 'pg-a', service: 'pg-a', ports: { postgres: 5432 } }, { name: 'pg-b', service: 'pg-b', ports: { postgres: 5433 } }];
const streaming = (a: StreamingAnswer | undefined, b: StreamingAnswer | undefined) =>
  Object.fromEntries([...streamingViews(pgNodes, new Map([['pg-a', a], ['pg-b', b]]), 'watcher')].map(([m, v]) => [m, describeMember(m, v)]));
const sender: StreamingAnswer = { inRecovery: false, senders: [{ application_name: 'pg-b', state: 'streaming', sync_state: 'async', lag: 120 }] };
const receiving: StreamingAnswer = { inRecovery: true, receiver: { status: 'streaming', sender_host: 'pg-a', sender_port: 5432 } };

describe('plain Postgres streaming replication', () => {
  it('a standby whose WAL receiver streams from the one primary, listed by it, is a replica with the primary\'s lag', () => {
    expect(streaming(sender, receiving)).toEqual({ 'pg-a': 'pg-a: primary', 'pg-b': 'pg-b: replica (streaming from pg-a, lag 120 B)' });
    // The primary lists standbys that set no application_name as "walreceiver": matched by the receiver's own word.
    expect(streaming({ inRecovery: false, senders: [{ application_name: 'walreceiver', state: 'streaming', sync_state: 'async', lag: 0 }] }, receiving)['pg-b'])
      .toBe('pg-b: replica (streaming from pg-a, lag unknown)');
    // An IP as sender host: matched by port.
    expect(streaming(sender, { inRecovery: true, receiver: { status: 'streaming', sender_host: '10.0.0.7', sender_port: 5432 } })['pg-b']).toMatch(/^pg-b: replica/);
  });

  it('a standby not streaming, streaming from elsewhere, unlisted, or unseen for lack of privileges is not counted, and says why', () => {
    expect(streaming(sender, { inRecovery: true, receiver: null })['pg-b']).toBe('pg-b: not counted as a replica: in recovery, no WAL receiver');
    expect(streaming(sender, { inRecovery: true, receiver: { status: 'waiting', sender_host: 'pg-a', sender_port: 5432 } })['pg-b']).toBe('pg-b: not counted as a replica: WAL receiver waiting from pg-a');
    expect(streaming(sender, { inRecovery: true, receiver: { status: 'streaming', sender_host: 'pg-c', sender_port: 5499 } })['pg-b']).toBe('pg-b: not counted as a replica: streams from pg-c:5499, not the primary pg-a');
    expect(streaming({ inRecovery: false, senders: [] }, receiving)['pg-b']).toBe('pg-b: not counted as a replica: pg-a does not list it streaming');
    expect(streaming(sender, { inRecovery: true, receiver: { status: null, sender_host: null, sender_port: null } })['pg-b']).toBe('pg-b: not counted as a replica: watcher cannot see its WAL receiver (grant it pg_monitor)');
    expect(streaming(undefined, receiving)).toEqual({ 'pg-a': 'pg-a: down (no answer to pg_is_in_recovery())', 'pg-b': 'pg-b: not counted as a replica: no primary to stream from' });
    expect(streaming(sender, { inRecovery: false, senders: [] })).toEqual({ 'pg-a': 'pg-a: primary', 'pg-b': 'pg-b: primary' });
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
});
