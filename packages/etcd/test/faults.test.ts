// Fault tests for kubets-etcd: three member processes on loopback under a write load of 16
// concurrent writers (each write retried through another member on an error or a timeout, as an
// etcd client with several endpoints does), with members SIGKILLed mid-load and restarted on their
// data dirs. Whatever was killed, afterwards:
//   - every acknowledged put is there with its value, at the revision its response header named;
//   - the revision history (a watch on the whole key space from revision 2) has every revision
//     from 2 to the current one exactly once, in order, one put each, and nothing nobody wrote;
//   - all three members agree: same revision, same serializable range, same watch history.
// The checks read each member itself (serializable ranges, watches) once it has caught up.
import t, { type Test } from 'tap';
import { type Cluster, startCluster } from './support/cluster.js';
import { eventually } from './support/etcd-client.js';
import {
  type HistoryEvent, type WriteLoad,
  findLeader, memberStatus, rangeAll, snapshotFiles, startWriteLoad, unb64Kv, watchHistory,
} from './support/fault-load.js';

const WRITERS = 16;
const MEMBERS = [0, 1, 2];

/** Keeps at most `n` problems (and says how many there were) so a failure stays readable. */
function sample(problems: string[], n = 15): string[] {
  return problems.length <= n ? problems : [...problems.slice(0, n), `... and ${problems.length - n} more`];
}

/** All members caught up with each other: same revision, commit and applied index. Returns the revision. */
async function converged(c: Cluster, atLeast: number): Promise<number> {
  return eventually(`all members at the same revision (>= ${atLeast}) and applied index`, async () => {
    const st = await Promise.all(MEMBERS.map((i) => memberStatus(c.clientUrls[i]!)));
    if (st.some((s) => s === undefined)) return undefined;
    const [a, ...rest] = st as NonNullable<(typeof st)[number]>[];
    if (a!.revision < atLeast) return undefined;
    for (const s of rest) {
      if (s.revision !== a!.revision || s.raftAppliedIndex !== a!.raftAppliedIndex || s.raftIndex !== a!.raftIndex) return undefined;
    }
    if (a!.raftAppliedIndex !== a!.raftIndex) return undefined;
    return a!.revision;
  }, 20_000);
}

const line = (e: HistoryEvent) => `${e.modRevision} ${e.type} ${e.key} ${e.value} c${e.createRevision} v${e.version}`;

/**
 * The checks every scenario ends with, once the load has stopped and every member runs again.
 */
async function checkCluster(t: Test, c: Cluster, load: WriteLoad): Promise<void> {
  const maxAcked = load.acked.reduce((m, a) => Math.max(m, a.revision), 0);
  const rev = await converged(c, maxAcked);
  t.comment(`current revision ${rev}; ${load.acked.length} writes acknowledged, ${load.failures()} attempts failed and were retried`);

  // Same data on every member, read from the member itself.
  const ranges = await Promise.all(MEMBERS.map((i) => rangeAll(c.clientUrls[i]!, true)));
  for (const i of MEMBERS) {
    t.ok(ranges[i] !== undefined, `member ${i} answers a serializable range`);
    t.equal(ranges[i]?.revision, rev, `member ${i}'s serializable range is at revision ${rev}`);
  }
  const kvs = ranges[0]!.kvs.map(unb64Kv);
  for (const i of MEMBERS.slice(1)) {
    const other = ranges[i]!.kvs.map(unb64Kv);
    const diff: string[] = [];
    const n = Math.max(kvs.length, other.length);
    for (let k = 0; k < n; k++) {
      const a = kvs[k] === undefined ? '(none)' : JSON.stringify(kvs[k]);
      const b = other[k] === undefined ? '(none)' : JSON.stringify(other[k]);
      if (a !== b) diff.push(`#${k}: member 0 ${a}, member ${i} ${b}`);
    }
    t.same(sample(diff), [], `member ${i} holds exactly member 0's ${kvs.length} keys (values, revisions, versions)`);
  }

  // Every acknowledged write is there with its value, at its acknowledged revision. (A retried
  // write's earlier attempt failed at the client, so it may have been applied as well, but only
  // before the retry: nobody writes the key after its acknowledged put.)
  const byKey = new Map(kvs.map((kv) => [kv.key, kv]));
  const missing: string[] = [];
  for (const a of load.acked) {
    const kv = byKey.get(a.key);
    const acked = `${a.key}: ${a.value} acknowledged at revision ${a.revision} by member ${a.member} at ${load.rel(a.at)}`;
    if (kv === undefined) {
      missing.push(`${acked}; the key is absent`);
    } else if (kv.value === a.value) {
      if (kv.modRevision !== a.revision) missing.push(`${acked}; its mod_revision is ${kv.modRevision}`);
    } else {
      const o = load.attempts.get(kv.value);
      const why = o === undefined || o.key !== a.key ? 'which no writer sent for this key'
        : `an attempt sent to member ${o.member} at ${load.rel(o.sentAt)} that ${o.outcome === 'failed' ? `failed at the client at ${load.rel(o.endedAt)} (${o.error})` : o.outcome}`;
      missing.push(`${acked}; the key holds ${kv.value} at revision ${kv.modRevision}: ${why}`);
    }
  }
  t.same(sample(missing), [], `all ${load.acked.length} acknowledged writes are present with their values and revisions`);

  // The revision history, from each member.
  const histories = await Promise.all(MEMBERS.map((i) => watchHistory(c.clientUrls[i]!, 2, rev)));
  const h = histories[0]!;
  const gaps: string[] = [];
  for (let k = 0; k < h.length; k++) {
    if (h[k]!.modRevision !== k + 2) {
      gaps.push(`event #${k} is at revision ${h[k]!.modRevision}, expected ${k + 2} (previous ${k > 0 ? h[k - 1]!.modRevision : '-'})`);
      if (gaps.length > 15) break;
    }
  }
  t.same(gaps, [], 'the watch history from revision 2 has every revision exactly once, in order');
  t.equal(h.length, rev - 1, `the watch history has one event per revision, 2..${rev}`);
  t.equal(h.filter((e) => e.type !== 'PUT').length, 0, 'every event is a put');

  const phantom: string[] = [];
  const seen = new Map<string, number>();
  for (const e of h) {
    const a = load.attempts.get(e.value);
    if (a === undefined || a.key !== e.key) phantom.push(`revision ${e.modRevision}: ${e.key} = ${e.value}, which no writer sent for that key`);
    const before = seen.get(e.value);
    if (before !== undefined) phantom.push(`revision ${e.modRevision}: ${e.key} = ${e.value} was already applied at revision ${before}`);
    seen.set(e.value, e.modRevision);
  }
  t.same(sample(phantom), [], 'every put in the history is a distinct attempt a writer sent (nothing applied twice or invented)');
  const appliedFailed = [...seen.keys()].filter((v) => load.attempts.get(v)?.outcome === 'failed').length;
  if (appliedFailed > 0) t.comment(`${appliedFailed} attempts that failed at the client (error or timeout) were applied anyway`);

  const notInHistory: string[] = [];
  for (const a of load.acked) {
    const e = h[a.revision - 2];
    if (e === undefined || e.key !== a.key || e.value !== a.value) {
      notInHistory.push(`${a.key} = ${a.value} acknowledged at ${a.revision}; the history has ${e === undefined ? 'nothing' : `${e.key} = ${e.value}`} there`);
    }
  }
  t.same(sample(notInHistory), [], 'every acknowledged put is in the history at its acknowledged revision');

  const lastByKey = new Map<string, HistoryEvent>();
  for (const e of h) lastByKey.set(e.key, e);
  const stale: string[] = [];
  for (const [key, e] of lastByKey) {
    const kv = byKey.get(key);
    if (kv === undefined || kv.value !== e.value || kv.modRevision !== e.modRevision || kv.createRevision !== e.createRevision || kv.version !== e.version) {
      stale.push(`${key}: history ends with ${line(e)}, range has ${JSON.stringify(kv)}`);
    }
  }
  if (byKey.size !== lastByKey.size) stale.push(`the range has ${byKey.size} keys, the history ${lastByKey.size}`);
  t.same(sample(stale), [], 'the range is the end state of the history');

  const lines0 = h.map(line);
  for (const i of MEMBERS.slice(1)) {
    const other = histories[i]!.map(line);
    const diff: string[] = [];
    for (let k = 0; k < Math.max(lines0.length, other.length) && diff.length < 15; k++) {
      if (lines0[k] !== other[k]) diff.push(`#${k}: member 0 ${lines0[k] ?? '(none)'}, member ${i} ${other[k] ?? '(none)'}`);
    }
    t.same(diff, [], `member ${i}'s watch history is member 0's (${other.length} events)`);
  }
}

t.test('SIGKILL of the leader under write load', async (t) => {
  const c = await startCluster({ kind: 'kubets' });
  const load = startWriteLoad(c.clientUrls, { writers: WRITERS, prefix: 'leader' });
  t.teardown(async () => {
    await load.stop();
    await c.stop();
  });

  await eventually('300 writes acknowledged before the kill', async () => (load.acked.length >= 300 ? true : undefined), 20_000);
  const leader = await findLeader(c.clientUrls, MEMBERS);
  const survivors = MEMBERS.filter((i) => i !== leader);
  const killedAt = Date.now();
  await c.kill(leader);
  t.comment(`killed the leader, member ${leader}, at ${load.rel(killedAt)}, after ${load.acked.length} acknowledged writes`);

  const newLeader = await findLeader(c.clientUrls, survivors);
  t.not(newLeader, leader, `the survivors elected member ${newLeader}`);
  await eventually('300 writes acknowledged while the old leader is down', async () => (load.acksSince(killedAt) >= 300 ? true : undefined), 20_000);
  t.ok(load.acksSince(killedAt) >= 300, `${load.acksSince(killedAt)} writes were acknowledged with member ${leader} down`);

  t.comment(`${Date.now() - killedAt} ms from the kill to 300 acknowledged writes without member ${leader}`);
  const restartedAt = Date.now();
  await c.restart(leader);
  t.comment(`restarted member ${leader} at ${load.rel(restartedAt)}; healthy again at ${load.rel(Date.now())}`);
  const backAt = Date.now();
  await eventually('200 writes acknowledged after the restart', async () => (load.acksSince(backAt) >= 200 ? true : undefined), 20_000);
  await load.stop();
  t.comment(`errors seen by the writers, a sample: ${JSON.stringify(load.errorSamples.slice(0, 5))}`);

  await checkCluster(t, c, load);
});

t.test('SIGKILL of all three members under write load', async (t) => {
  const c = await startCluster({ kind: 'kubets' });
  const load = startWriteLoad(c.clientUrls, { writers: WRITERS, prefix: 'all' });
  t.teardown(async () => {
    await load.stop();
    await c.stop();
  });

  await eventually('500 writes acknowledged before the kill', async () => (load.acked.length >= 500 ? true : undefined), 20_000);
  await Promise.all(MEMBERS.map((i) => c.kill(i)));
  t.comment(`killed all three members at ${load.rel(Date.now())}, after ${load.acked.length} acknowledged writes`);

  // The writers keep trying meanwhile: each goes round all three members before the restart.
  const failuresAtKill = load.failures();
  await eventually('every writer failed through all three members', async () => (load.failures() >= failuresAtKill + 3 * WRITERS ? true : undefined), 20_000);
  const restartedAt = Date.now();
  await Promise.all(MEMBERS.map((i) => c.restart(i)));
  await findLeader(c.clientUrls, MEMBERS);
  t.comment(`restarted all three at ${load.rel(restartedAt)}; healthy again at ${load.rel(Date.now())}`);
  const backAt = Date.now();
  await eventually('300 writes acknowledged after the restart', async () => (load.acksSince(backAt) >= 300 ? true : undefined), 20_000);
  await load.stop();

  await checkCluster(t, c, load);
});

t.test('a follower killed and restarted after the others compacted their logs through snapshots', async (t) => {
  const SNAPSHOT_COUNT = 100;
  const c = await startCluster({ kind: 'kubets', extraFlags: [`--snapshot-count=${SNAPSHOT_COUNT}`] });
  const load = startWriteLoad(c.clientUrls, { writers: WRITERS, prefix: 'snapshot' });
  t.teardown(async () => {
    await load.stop();
    await c.stop();
  });

  await eventually('200 writes acknowledged before the kill', async () => (load.acked.length >= 200 ? true : undefined), 20_000);
  const leader = await findLeader(c.clientUrls, MEMBERS);
  const follower = MEMBERS.find((i) => i !== leader)!;
  const survivors = MEMBERS.filter((i) => i !== follower);
  await c.kill(follower);
  // The follower's log cannot reach past what the leader had then, plus what was in flight.
  const leaderIndexAtKill = (await memberStatus(c.clientUrls[leader]!))?.raftIndex;
  t.ok(leaderIndexAtKill !== undefined, 'the leader answers status after the kill');
  const followerLogBound = leaderIndexAtKill! + 4 * WRITERS;
  t.comment(`killed follower ${follower} at ${load.rel(Date.now())}; its log ends at or before index ${followerLogBound}`);

  // Each survivor keeps its log from (its newest snapshot - snapshot-count/2) on: once both
  // snapshotted well past the follower's log, whichever leads must send it a snapshot.
  const needed = followerLogBound + SNAPSHOT_COUNT / 2 + 2 * SNAPSHOT_COUNT;
  await eventually(`both survivors snapshotted past index ${needed}`, async () => {
    const snaps = await Promise.all(survivors.map((i) => snapshotFiles(c.dataDir(i))));
    return snaps.every((s) => s.length > 0 && s[s.length - 1]!.index >= needed) ? snaps : undefined;
  }, 30_000);
  t.pass(`both survivors hold snapshots past index ${needed}`);

  const survivorSnaps = new Set((await Promise.all(survivors.map((i) => snapshotFiles(c.dataDir(i))))).flat().map((s) => s.name));
  const restartedAt = Date.now();
  await c.restart(follower);
  t.comment(`restarted follower ${follower} at ${load.rel(restartedAt)}; healthy again at ${load.rel(Date.now())}`);
  // Evidence of InstallSnapshot (informational: a snapshot the leader sent is saved under the
  // leader's <term>-<index> name, though under load it may already have been rotated out).
  for (const s of (await Promise.all(survivors.map((i) => snapshotFiles(c.dataDir(i))))).flat()) survivorSnaps.add(s.name);
  const received = (await snapshotFiles(c.dataDir(follower))).filter((s) => survivorSnaps.has(s.name) && s.index > followerLogBound);
  t.comment(`snapshots on the restarted follower that a survivor also holds: ${received.map((s) => s.name).join(', ') || 'none seen'}`);
  const backAt = Date.now();
  await eventually('200 writes acknowledged after the restart', async () => (load.acksSince(backAt) >= 200 ? true : undefined), 20_000);
  await load.stop();

  const followerSnaps = await snapshotFiles(c.dataDir(follower));
  t.ok(followerSnaps.some((s) => s.index > followerLogBound), `the restarted follower holds a snapshot past index ${followerLogBound}: ${followerSnaps.map((s) => s.name).join(', ')}`);

  await checkCluster(t, c, load);
});
