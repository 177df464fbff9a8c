// What a store member is, and why the harness thinks so: "replica" only for a member that is
// streaming from the store's current primary; one that is a replica by configuration but
// starting, stopped or disconnected is a "standby" and is not counted.
export type Role = 'primary' | 'replica' | 'standby' | 'member' | 'down' | 'unknown' | string;

export interface MemberView {
  role: Role;
  /** Why, for people: "streaming from pg-a, lag 0 B", "state starting". */
  detail: string;
  /** The node it streams from, when it is a replica. */
  upstream?: string;
  /** Bytes behind its upstream, when known. */
  lagBytes?: number;
}

export const describeMember = (name: string, v: MemberView): string =>
  v.role === 'standby' ? `${name}: not counted as a replica: ${v.detail}` : `${name}: ${v.role}${v.detail ? ` (${v.detail})` : ''}`;
