// The durability check, as a test: three replica processes with real WAL files and the ws
// transport under load; SIGKILL the leader (then, in a second run, a follower) mid-run and
// restart it on its data dir. No acknowledged entry may be lost, the survivors must go on
// committing, and the restarted replica must converge on the same log (small snapshot intervals
// make it catch up through InstallSnapshot as well as through the log).
import t from 'tap';
import { runBenchmark } from '../src/bench/run.js';

for (const kill of ['leader', 'follower'] as const) {
  t.test(`SIGKILL of the ${kill} under load loses no committed entry`, async (t) => {
    const r = await runBenchmark({ durationMs: 4500, proposers: 16, entryBytes: 256, kill, tickMs: 50, snapshotEntries: 300 });
    t.comment(JSON.stringify(r));
    t.ok(r.commits > 0, 'proposals were committed');
    t.ok(r.replicasAgree, 'all three replicas applied the same log');
    t.equal(r.lostAcknowledged, 0, 'every acknowledged entry is in every replica');
    t.ok(r.killed !== undefined && r.killed.commitsWhileDown > 0, 'commits went on while a majority was up');
    t.ok(r.snapshotsSaved > 0, 'the log was compacted through snapshots');
    if (kill === 'follower') t.ok(r.snapshotsInstalled > 0, 'the restarted follower caught up through InstallSnapshot');
  });
}
