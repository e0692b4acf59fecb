// After a run: every replica converges on the same applied log (same index, same digest), and
// every acknowledged proposal is in every replica's state machine.
import type { BenchCluster, MemberStatus } from './cluster.js';

export interface DurabilityReport {
  replicasAgree: boolean;
  appliedIndex: number;
  lostAcknowledged: number;
}

export async function checkDurability(cluster: BenchCluster, acknowledged: number[], timeoutMs = 60_000): Promise<DurabilityReport> {
  const deadline = Date.now() + timeoutMs;
  let statuses: (MemberStatus | undefined)[] = [];
  for (;;) {
    statuses = await Promise.all(cluster.members.map((m) => cluster.status(m.config.id)));
    const s0 = statuses[0];
    const agree = s0 !== undefined && statuses.every((s) => s && s.applied === s0.applied && s.digest === s0.digest && s.commit === s0.applied);
    if (agree) break;
    if (Date.now() > deadline) return { replicasAgree: false, appliedIndex: -1, lostAcknowledged: -1 };
    await new Promise((r) => setTimeout(r, 50));
  }
  let lost = 0;
  for (const m of cluster.members) {
    const ids = await cluster.ids(m.config.id);
    for (const id of acknowledged) if (!ids.has(id)) lost++;
  }
  return { replicasAgree: true, appliedIndex: statuses[0]!.applied, lostAcknowledged: lost };
}
