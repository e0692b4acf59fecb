// `npm run bench --workspace packages/raft -- [--duration 10] [--proposers 64] [--bytes 256] [--kill leader|follower]`
// Three replica processes on loopback with real WAL files and the ws transport; concurrent
// proposers for the duration; one JSON line with commits per second and p50/p99 commit latency.
// With --kill, one replica is SIGKILLed a third of the way in and restarted at two thirds.
// Exits 1 if an acknowledged entry is missing from any replica, the replicas disagree, or
// nothing committed while the killed replica was down.
import { parseArgs } from 'node:util';
import { runBenchmark } from './run.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    proposers: { type: 'string', default: '64' },
    bytes: { type: 'string', default: '256' },
    kill: { type: 'string' },
    'tick-ms': { type: 'string', default: '100' },
    'snapshot-entries': { type: 'string', default: '10000' },
  },
});
if (values.kill !== undefined && values.kill !== 'leader' && values.kill !== 'follower') {
  console.error('--kill takes leader or follower');
  process.exit(2);
}
const result = await runBenchmark({
  durationMs: Number(values.duration) * 1000,
  proposers: Number(values.proposers),
  entryBytes: Number(values.bytes),
  kill: values.kill as 'leader' | 'follower' | undefined,
  tickMs: Number(values['tick-ms']),
  snapshotEntries: Number(values['snapshot-entries']),
});
console.log(JSON.stringify(result));
const ok = result.replicasAgree && result.lostAcknowledged === 0 && (result.killed === undefined || result.killed.commitsWhileDown > 0);
process.exit(ok ? 0 : 1);
