// The etcd side of `kubets status`: every member's own view (its id, the leader it follows, the
// Raft term), asked of each member directly, so a member that is down or cut off shows as such.
import { probeJson } from '../launch/http-probe.js';

export interface MemberStatus {
  name: string;
  url: string;
  reachable: boolean;
  id?: string;
  leaderId?: string;
  raftTerm?: string;
  dbSize?: string;
}

export async function memberStatus(name: string, url: string): Promise<MemberStatus> {
  const s = await probeJson(`${url}/v3/maintenance/status`, { method: 'POST', body: '{}', timeoutMs: 1500 });
  if (s === undefined) return { name, url, reachable: false };
  const header = (s.header ?? {}) as Record<string, unknown>;
  return {
    name, url, reachable: true,
    id: String(header.member_id ?? ''),
    leaderId: String(s.leader ?? '0'),
    raftTerm: String(s.raftTerm ?? header.raft_term ?? ''),
    dbSize: String(s.dbSize ?? ''),
  };
}

/** The name of the member the reachable majority follows, if they agree on one. */
export function leaderName(members: MemberStatus[]): string | undefined {
  const votes = new Map<string, number>();
  for (const m of members) if (m.reachable && m.leaderId !== '0' && m.leaderId !== undefined) votes.set(m.leaderId, (votes.get(m.leaderId) ?? 0) + 1);
  const [leaderId, n] = [...votes.entries()].sort((a, b) => b[1] - a[1])[0] ?? [];
  if (leaderId === undefined || n! <= members.length / 2) return undefined;
  return members.find((m) => m.id === leaderId)?.name;
}
