// The hollow-mode figure of the kubelet benchmark: how many hollow nodes one process keeps alive
// with leases renewed on time. Starts a test cluster, runs N hollow nodes in this process, lets
// them renew for a window after all are registered, and prints one JSON line: nodes, how long
// registration took, lease renewal lateness (against each node's schedule) p50/p99/max, how many
// Leases the API server holds fresh (renewed within leaseDurationSeconds) at the end, and the
// process's resident memory, with this process's event-loop delay and the machine's load beside
// them (on a shared machine the API server, not this process, is what makes renewals late).
//
//   node dist/src/hollow/bench.js [--nodes 1000] [--window-seconds 60] [--members 3]
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Lease } from '@kubets/api';
import { latencySummary, runBenchmark } from '@kubets/testing';
import { runHollowNodes } from './hollow-nodes.js';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const nodes = flag('nodes', 1000);
const windowMs = flag('window-seconds', 60) * 1000;
const members = flag('members', 3);
const leaseDurationSeconds = 40;
const renewIntervalMs = 10_000;
const logger = { info() {}, warn: (o: object, m: string) => process.stderr.write(`${m} ${JSON.stringify(o)}\n`), error: (o: object, m: string) => process.stderr.write(`${m} ${JSON.stringify(o)}\n`) };

await runBenchmark({ members }, async (cluster) => {
  const lateness: number[] = [];
  let measuring = false;
  const started = Date.now();
  const hollow = await runHollowNodes({
    client: cluster.client, count: nodes, logger, leaseDurationSeconds, leaseRenewIntervalMs: renewIntervalMs,
    onLeaseRenewed: (_node, late) => {
      if (measuring) lateness.push(late);
    },
  });
  try {
    await hollow.registered();
    const registeredInMs = Date.now() - started;
    // One renew interval to settle: renewals that fell due while a thousand registrations ran are start-up, not steady state.
    await new Promise((r) => setTimeout(r, renewIntervalMs));
    // This process's own event-loop delay tells a slow process apart from a slow API server.
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    measuring = true;
    await new Promise((r) => setTimeout(r, windowMs)); // the measurement window itself
    measuring = false;
    loopDelay.disable();
    const now = Date.now();
    const leases = (await cluster.client.listAll<Lease>('leases.coordination.k8s.io', 'kube-node-lease')).items;
    const fresh = leases.filter((l) => hollow.nodeNames.includes(l.metadata?.name ?? '') && now - Date.parse(l.spec?.renewTime ?? '') < leaseDurationSeconds * 1000).length;
    const late = latencySummary(lateness);
    return {
      bench: 'kubelet-hollow-nodes',
      nodes,
      registeredInMs,
      windowSeconds: windowMs / 1000,
      leaseRenewals: lateness.length,
      leaseRenewLatenessP50Ms: late.p50Ms,
      leaseRenewLatenessP99Ms: late.p99Ms,
      leaseRenewLatenessMaxMs: late.maxMs,
      leasesFresh: fresh,
      eventLoopDelayP99Ms: Math.round(loopDelay.percentile(99) / 1e6),
      loadAverage1m: Number(loadavg()[0]!.toFixed(1)),
      rssMB: Math.round(process.memoryUsage().rss / 2 ** 20),
    };
  } finally {
    await hollow.stop();
  }
});
