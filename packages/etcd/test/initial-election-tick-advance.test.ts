// --initial-election-tick-advance, as etcd's adjustTicks: a member that boots fast-forwards its
// election clock (electionTicks-2 once both its peers are connected; electionTicks-1 at once when
// it is the only member), so a fresh cluster elects its first leader about two ticks plus the
// randomized part after boot instead of a whole election timeout later. These check that the
// advance happens (its log line, etcd's) and still elects a leader, and that the flag turns it off.
// How much sooner is measured, not asserted (see the README).
import t from 'tap';
import { startEtcdCluster } from '@kubets/testing';
import { call } from './support/etcd-client.js';

// Ten ticks of 300 ms: a member that boots late on a busy machine (test files run in parallel)
// still connects long before the others' own 3 s election timeout would elect without it.
const timing = ['--election-timeout=3000', '--heartbeat-interval=300', '--log-level=info'];

/** The pino lines among a member's log lines that carry this message. */
function logged(lines: string[], msg: string): Record<string, unknown>[] {
  return lines.flatMap((l) => {
    if (!l.startsWith('{')) return [];
    const entry = JSON.parse(l) as Record<string, unknown>;
    return entry.msg === msg ? [entry] : [];
  });
}

const forwarded = 'initialized peer connections; fast-forwarding election ticks';

async function leaderOf(clientUrl: string): Promise<string> {
  const status = await call(clientUrl, '/v3/maintenance/status');
  return String(status.body.leader);
}

t.test('a fresh three-member cluster fast-forwards electionTicks-2 ticks once both peers connect, and elects a leader', async (t) => {
  const c = await startEtcdCluster({ kind: 'kubets', flags: timing });
  t.teardown(() => c.stop());
  const advanced = [0, 1, 2].flatMap((i) => logged(c.logs(i), forwarded));
  // A member that hears a leader before its second peer connects (one that booted late) skips it.
  t.ok(advanced.length >= 1, 'at least one member fast-forwarded');
  for (const line of advanced) {
    t.equal(line.forwardTicks, 8, 'electionTicks (10) - 2');
    t.equal(line.electionTicks, 10);
    t.equal(line.activeRemoteMembers, 2, 'after both peers connected');
  }
  const leaders = await Promise.all(c.clientUrls.map(leaderOf));
  t.not(leaders[0], '0', 'a leader is elected');
  t.same(leaders, [leaders[0], leaders[0], leaders[0]], 'every member names the same leader');
});

t.test('with --initial-election-tick-advance=false no member fast-forwards, and a leader is still elected', async (t) => {
  const c = await startEtcdCluster({ kind: 'kubets', flags: [...timing, '--initial-election-tick-advance=false'] });
  t.teardown(() => c.stop());
  for (const i of [0, 1, 2]) {
    t.same(logged(c.logs(i), forwarded), [], `member ${i} did not fast-forward`);
    t.equal(logged(c.logs(i), 'skipping initial election tick advance').length, 1, `member ${i} says it skipped the advance`);
  }
  t.not(await leaderOf(c.clientUrls[0]!), '0', 'a leader is elected');
});

t.test('a single member fast-forwards electionTicks-1 ticks at once, even with the advance turned off (as etcd)', async (t) => {
  const c = await startEtcdCluster({ kind: 'kubets', members: 1, flags: [...timing, '--initial-election-tick-advance=false'] });
  t.teardown(() => c.stop());
  const lines = logged(c.logs(0), 'started as single-node; fast-forwarding election ticks');
  t.equal(lines.length, 1);
  t.equal(lines[0]?.forwardTicks, 9, 'electionTicks (10) - 1');
  t.not(await leaderOf(c.clientUrls[0]!), '0', 'it leads');
});
