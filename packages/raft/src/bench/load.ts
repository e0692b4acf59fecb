// Concurrent proposers against the cluster's leader over HTTP. Each proposer sends one 256-byte
// (by default) proposal at a time and records it as acknowledged only on a 200, which the replica
// sends once the entry is committed and applied. On errors (a killed leader, a dropped proposal)
// it retries with a new proposal once a leader is known again.
import { Agent, request } from 'undici';
import type { BenchCluster } from './cluster.js';
import { encodeProposal, proposalId } from './ledger.js';

export interface LoadOptions {
  proposers: number;
  entryBytes: number;
  durationMs: number;
}

export interface LoadResult {
  /** Proposal ids acknowledged as committed. */
  acknowledged: number[];
  latenciesMs: number[];
  /** When each acknowledgement arrived, in ms since the load started. */
  ackAtMs: number[];
  errors: number;
  elapsedMs: number;
}

export async function runLoad(cluster: BenchCluster, opts: LoadOptions): Promise<LoadResult> {
  const agent = new Agent({ connections: opts.proposers * 2, keepAliveTimeout: 30_000 });
  const result: LoadResult = { acknowledged: [], latenciesMs: [], ackAtMs: [], errors: 0, elapsedMs: 0 };
  let leader: number | undefined = await cluster.waitForLeader();
  const start = performance.now();
  const end = start + opts.durationMs;
  let finished = false;

  // The leader moves when one is killed: poll the members' own view.
  const watchLeader = (async () => {
    while (!finished) {
      const l = await cluster.leader();
      if (l !== undefined) leader = l;
      await new Promise((r) => setTimeout(r, 100));
    }
  })();

  const proposer = async (p: number) => {
    let seq = 0;
    while (performance.now() < end) {
      const target = leader;
      if (target === undefined || !cluster.isUp(target)) {
        await new Promise((r) => setTimeout(r, 10));
        continue;
      }
      const s = ++seq;
      const t0 = performance.now();
      try {
        const r = await request(`${cluster.url(target)}/propose`, {
          method: 'POST', body: encodeProposal(p, s, opts.entryBytes), dispatcher: agent, headersTimeout: 10_000, bodyTimeout: 10_000,
        });
        await r.body.dump();
        if (r.statusCode !== 200) throw new Error(`status ${r.statusCode}`);
        const t1 = performance.now();
        result.acknowledged.push(proposalId(p, s));
        result.latenciesMs.push(t1 - t0);
        result.ackAtMs.push(t1 - start);
      } catch {
        result.errors++;
        if (leader === target) leader = undefined;
        await new Promise((r) => setTimeout(r, 10));
      }
    }
  };

  await Promise.all(Array.from({ length: opts.proposers }, (_, p) => proposer(p + 1)));
  result.elapsedMs = performance.now() - start;
  finished = true;
  await watchLeader;
  await agent.close();
  return result;
}

export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
