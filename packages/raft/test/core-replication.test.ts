// Log replication (Raft §5.3, §5.4.2; thesis §10.2 batching and pipelining; etcd's flow control).
import t from 'tap';
import { InvariantError } from '../src/core/assert.js';
import { newMessage } from '../src/core/message.js';
import { entries, storageWith, TestCluster, TestNode } from '../src/sim/cluster.js';
import type { Message, NodeId } from '../src/types.js';

function msg(type: Message['type'], from: number, to: number, fields: Partial<Message> = {}): Message {
  return newMessage(type, to, { from, ...fields });
}

function terms(n: TestNode): number[] {
  const log = n.raft.log;
  const out: number[] = [];
  for (let i = log.firstIndex(); i <= log.lastIndex(); i++) out.push(log.term(i)!);
  return out;
}

/** A node made leader by hand: it campaigns (no PreVote) and gets the votes it needs. */
function electByHand(n: TestNode, voters: NodeId[]): void {
  n.node.campaign();
  for (const id of voters) if (id !== n.id) n.node.step(msg('voteResp', id, n.id, { term: n.raft.term }));
  if (n.raft.role !== 'leader') throw new Error('not elected');
}

t.test('the leader replicates an entry and commits it once a majority has it (§5.3)', async (t) => {
  const c = new TestCluster([1, 2, 3, 4, 5]);
  c.campaign(1);
  c.isolate(4);
  c.isolate(5);
  c.propose(1, 'a');
  for (const id of [1, 2, 3]) t.same(c.get(id).appliedData(), ['a'], `node ${id} applied it`);
  t.same(c.get(4).appliedData(), [], 'the cut-off node has not');
  c.heal();
  c.tickAll(2);
  t.same(c.get(4).appliedData(), ['a'], 'it catches up once reachable');
});

t.test('a follower refuses an append whose previous entry does not match (§5.3) and hints where to resume', async (t) => {
  const n = new TestNode(2, { storage: storageWith([1, 2, 3], [1, 1, 2, 2, 2], { term: 3 }) });
  // The leader of term 4 believes we have 7/3.
  n.node.step(msg('app', 1, 2, { term: 4, index: 7, logTerm: 3, entries: [], commit: 0 }));
  const resp = n.drain().find((m) => m.type === 'appResp')!;
  t.equal(resp.reject, true);
  t.equal(resp.index, 7, 'names the rejected index');
  t.equal(resp.rejectHint, 5, 'our last index <= 7 whose term is <= 3');
  t.equal(resp.logTerm, 2, 'and its term');
  t.same(terms(n), [1, 1, 2, 2, 2], 'the log is untouched');
});

t.test('a follower drops a conflicting suffix and takes the leader\'s entries (§5.3)', async (t) => {
  const n = new TestNode(2, { storage: storageWith([1, 2, 3], [1, 1, 2, 2, 2], { term: 3 }) });
  n.node.step(msg('app', 1, 2, { term: 3, index: 2, logTerm: 1, entries: entries([3, 3], 3), commit: 3 }));
  t.same(terms(n), [1, 1, 3, 3]);
  t.equal(n.raft.log.committed, 3, 'commit follows the leader, bounded by what this append proved');
  const resp = n.drain().find((m) => m.type === 'appResp')!;
  t.same([resp.reject, resp.index], [false, 4]);
});

t.test('a follower never commits past the entries the message vouched for', async (t) => {
  const n = new TestNode(2, { storage: storageWith([1, 2, 3], [1, 1, 1, 1], { term: 2 }) });
  // Our entries 3 and 4 may differ from the leader's; the append covers up to 2 only.
  n.node.step(msg('app', 1, 2, { term: 2, index: 1, logTerm: 1, entries: entries([1], 2), commit: 4 }));
  t.equal(n.raft.log.committed, 2);
});

t.test('an append below the commit index is answered with the commit index and changes nothing', async (t) => {
  const n = new TestNode(2, { storage: storageWith([1, 2, 3], [1, 1, 1], { term: 1, commit: 3 }) });
  n.node.step(msg('app', 1, 2, { term: 2, index: 1, logTerm: 1, entries: entries([2, 2], 2), commit: 3 }));
  t.same(terms(n), [1, 1, 1]);
  t.same(n.drain().map((m) => [m.type, m.index, m.reject]), [['appResp', 3, false]]);
});

t.test('overwriting a committed entry is a bug, and the log refuses to go on', async (t) => {
  const n = new TestNode(2, { storage: storageWith([1, 2, 3], [1, 1, 1], { term: 1, commit: 3 }) });
  t.throws(() => n.raft.log.maybeAppend(1, 1, 3, entries([2, 2], 2)), InvariantError);
  t.throws(() => n.raft.log.append(entries([2], 3)), InvariantError);
  t.throws(() => n.raft.log.commitTo(4), InvariantError, 'commit beyond the last index');
});

// Figure 7: the leader of term 8 and followers (a)..(f); each follower ends with the leader's log.
const leaderLog = [1, 1, 1, 4, 4, 5, 5, 6, 6, 6];
const followers: Record<string, number[]> = {
  a: [1, 1, 1, 4, 4, 5, 5, 6, 6],
  b: [1, 1, 1, 4],
  c: [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6],
  d: [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7],
  e: [1, 1, 1, 4, 4, 4, 4],
  f: [1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3],
};

for (const [name, flog] of Object.entries(followers)) {
  t.test(`Figure 7 (${name}): the leader brings the follower's log in line with its own`, async (t) => {
    const storages = new Map([
      [1, storageWith([1, 2, 3], leaderLog, { term: 7 })],
      [2, storageWith([1, 2, 3], flog, { term: Math.max(7, ...flog) })],
      [3, storageWith([1, 2, 3], leaderLog, { term: 7 })],
    ]);
    const c = new TestCluster([1, 2, 3], { preVote: false }, storages);
    c.campaign(1);
    t.equal(c.get(1).raft.role, 'leader');
    t.equal(c.get(1).raft.term, 8);
    c.propose(1, 'x');
    t.same(terms(c.get(2)), [...leaderLog, 8, 8], 'follower log equals the leader log');
    t.same(terms(c.get(3)), [...leaderLog, 8, 8]);
  });
}

t.test('Figure 8: a leader does not commit an entry of an earlier term by counting replicas (§5.4.2)', async (t) => {
  // S1 was leader of term 2 and got index 2 to S2 only; S5 led term 3 meanwhile.
  // Now S1 leads term 4 and has replicated index 2 (term 2) to S3: a majority has it.
  const s1 = new TestNode(1, { storage: storageWith([1, 2, 3, 4, 5], [1, 2], { term: 3, commit: 1 }), preVote: false });
  electByHand(s1, [2, 3]);
  t.equal(s1.raft.term, 4);
  t.same(terms(s1), [1, 2, 4], 'the leader appended its no-op');
  s1.drain();
  s1.node.step(msg('appResp', 2, 1, { term: 4, index: 2 }));
  s1.node.step(msg('appResp', 3, 1, { term: 4, index: 2 }));
  t.equal(s1.raft.log.committed, 1, 'index 2 is on S1, S2, S3 but is not committed: S5 could still overwrite it');
  s1.node.step(msg('appResp', 2, 1, { term: 4, index: 3 }));
  t.equal(s1.raft.log.committed, 1, 'the term-4 entry is on 2 of 5');
  s1.node.step(msg('appResp', 3, 1, { term: 4, index: 3 }));
  t.equal(s1.raft.log.committed, 3, 'once an entry of its term is on a majority, it and everything before are committed');
});

t.test('Figure 8 end to end: the uncommitted old-term entry may be overwritten, and nobody applied it', async (t) => {
  const storages = new Map([
    [1, storageWith([1, 2, 3, 4, 5], [1, 2], { term: 2, commit: 1 })],
    [2, storageWith([1, 2, 3, 4, 5], [1, 2], { term: 2, commit: 1 })],
    [3, storageWith([1, 2, 3, 4, 5], [1], { term: 2, commit: 1 })],
    [4, storageWith([1, 2, 3, 4, 5], [1], { term: 2, commit: 1 })],
    [5, storageWith([1, 2, 3, 4, 5], [1, 3], { term: 3, commit: 1 })],
  ]);
  const c = new TestCluster([1, 2, 3, 4, 5], { preVote: false }, storages);
  // S5 (log ending in term 3) wins with S3 and S4.
  c.cutLink(5, 1);
  c.cutLink(5, 2);
  c.campaign(5);
  t.equal(c.get(5).raft.role, 'leader');
  c.tickAll(1);
  c.heal();
  t.same(terms(c.get(3)).slice(0, 2), [1, 3], 'S3 has S5\'s entry at index 2');
  for (const id of [1, 2, 3, 4, 5]) t.notOk(c.get(id).applied.some((e) => e.index === 2 && e.term === 2), `node ${id} never applied 2/2`);
});

t.test('fast backtracking: a divergent follower is repaired in one round trip per term, not per entry', async (t) => {
  // The follower has 50 entries of term 2 the leader never had; the leader has 50 of term 3.
  const fl = [1, ...Array<number>(50).fill(2)];
  const ll = [1, ...Array<number>(50).fill(3)];
  const storages = new Map([
    [1, storageWith([1, 2, 3], ll, { term: 3 })],
    [2, storageWith([1, 2, 3], fl, { term: 3 })],
    [3, storageWith([1, 2, 3], ll, { term: 3 })],
  ]);
  const c = new TestCluster([1, 2, 3], { preVote: false }, storages);
  let appsTo2 = 0;
  const orig = c.deliver.bind(c);
  c.deliver = (msgs) => {
    orig(msgs);
  };
  const n2 = c.get(2);
  const step = n2.node.step.bind(n2.node);
  n2.node.step = (m: Message) => {
    if (m.type === 'app') appsTo2++;
    step(m);
  };
  c.campaign(1);
  t.same(terms(n2), [...ll, 4]);
  t.ok(appsTo2 <= 4, `converged with ${appsTo2} appends`);
});

t.test('flow control: at most maxInflightMsgs appends are in flight to a follower', async (t) => {
  const n = new TestNode(1, { storage: storageWith([1, 2]), preVote: false, maxInflightMsgs: 3, maxSizePerMsg: 1 });
  electByHand(n, [2]);
  n.drain();
  // The follower confirms the no-op: it moves to replicate (pipelined) state.
  n.node.step(msg('appResp', 2, 1, { term: n.raft.term, index: n.raft.log.lastIndex() }));
  n.drain();
  for (let i = 0; i < 10; i++) n.node.propose(new TextEncoder().encode(`p${i}`));
  const apps = n.drain().filter((m) => m.type === 'app' && m.entries.length > 0);
  t.equal(apps.length, 3, 'three appends of one entry, then it waits');
  // An acknowledgement frees the window.
  const last = apps[0]!.entries[apps[0]!.entries.length - 1]!.index;
  n.node.step(msg('appResp', 2, 1, { term: n.raft.term, index: last }));
  t.equal(n.drain().filter((m) => m.type === 'app' && m.entries.length > 0).length, 1, 'one slot freed, one more append');
});

t.test('flow control: maxInflightBytes caps the bytes in flight', async (t) => {
  const n = new TestNode(1, { storage: storageWith([1, 2]), preVote: false, maxInflightMsgs: 100, maxInflightBytes: 300, maxSizePerMsg: 1 });
  electByHand(n, [2]);
  n.drain();
  n.node.step(msg('appResp', 2, 1, { term: n.raft.term, index: n.raft.log.lastIndex() }));
  n.drain();
  for (let i = 0; i < 10; i++) n.node.propose(new Uint8Array(84)); // 100 bytes each with the entry header
  const apps = n.drain().filter((m) => m.type === 'app' && m.entries.length > 0);
  t.equal(apps.length, 3, '3 x 100 bytes fill the 300-byte window');
});

t.test('batching: an append carries as many entries as fit in maxSizePerMsg', async (t) => {
  const n = new TestNode(1, { storage: storageWith([1, 2]), preVote: false, maxSizePerMsg: 1000 });
  electByHand(n, [2]);
  n.drain();
  for (let i = 0; i < 20; i++) n.node.propose(new Uint8Array(184)); // 200 bytes each
  n.drain();
  // The follower probes from the start: the leader sends everything it can in one message.
  n.node.step(msg('appResp', 2, 1, { term: n.raft.term, index: 1 }));
  const apps = n.drain().filter((m) => m.type === 'app');
  t.ok(apps.length >= 1);
  t.equal(apps[0]!.entries.length, 5, '5 x 200 bytes fit in 1000');
});

t.test('probe state: one append at a time until the follower answers', async (t) => {
  const n = new TestNode(1, { storage: storageWith([1, 2]), preVote: false });
  electByHand(n, [2]);
  n.node.propose(new TextEncoder().encode('a'));
  n.node.propose(new TextEncoder().encode('b'));
  const apps = n.drain().filter((m) => m.type === 'app' && m.to === 2);
  t.equal(apps.length, 1, 'only the first probe went out');
  const st = n.node.status().progress!.get(2)!;
  t.equal(st.state, 'probe');
  t.equal(st.paused, true);
});

t.test('the leader tells a follower a commit index no higher than what that follower has', async (t) => {
  const c = new TestCluster([1, 2, 3]);
  c.campaign(1);
  c.isolate(3);
  for (let i = 0; i < 5; i++) c.propose(1, `e${i}`);
  c.heal();
  c.holdTypes.add('heartbeat');
  c.tick(1);
  const hb = c.held.find((m) => m.to === 3)!;
  t.ok(hb.commit <= c.get(3).raft.log.lastIndex(), 'heartbeat commit is capped by the follower\'s match');
});

t.test('Ready: a vote response is sent only with the hard state that records the vote', async (t) => {
  const n = new TestNode(1, { storage: storageWith([1, 2, 3]) });
  n.node.step(msg('vote', 2, 1, { term: 1 }));
  const rd = n.node.ready();
  t.same(rd.hardState, { term: 1, vote: 2, commit: 0 });
  t.equal(rd.mustSync, true, 'must be fsynced before the messages go out');
  t.same(rd.messages.map((m) => m.type), ['voteResp']);
  n.node.advance(rd);
});

t.test('Ready: a commit-only change need not be fsynced', async (t) => {
  const n = new TestNode(2, { storage: storageWith([1, 2, 3], [1, 1], { term: 1 }) });
  n.node.step(msg('heartbeat', 1, 2, { term: 1, commit: 2 }));
  const rd = n.node.ready();
  t.same(rd.hardState, { term: 1, vote: 0, commit: 2 });
  t.equal(rd.mustSync, false);
  t.equal(rd.committedEntries.length, 2);
  n.node.advance(rd);
  t.notOk(n.node.hasReady());
});

t.test('Ready: ready() twice without advance() is a contract violation', async (t) => {
  const n = new TestNode(1, { storage: storageWith([1, 2, 3]) });
  n.node.step(msg('vote', 2, 1, { term: 1 }));
  n.node.ready();
  t.throws(() => n.node.ready(), InvariantError);
});

t.test('Ready: messages stepped between ready() and advance() go to the next Ready', async (t) => {
  const n = new TestNode(2, { storage: storageWith([1, 2, 3], [1], { term: 1 }) });
  n.node.step(msg('app', 1, 2, { term: 1, index: 1, logTerm: 1, entries: entries([1], 2), commit: 1 }));
  const rd1 = n.node.ready();
  t.same(rd1.entries.map((e) => e.index), [2]);
  // While rd1 is being persisted, the next append arrives.
  n.node.step(msg('app', 1, 2, { term: 1, index: 2, logTerm: 1, entries: entries([1], 3), commit: 2 }));
  n.storage.append(rd1.entries);
  if (rd1.hardState) n.storage.setHardState(rd1.hardState);
  n.node.advance(rd1);
  const rd2 = n.node.ready();
  t.same(rd2.entries.map((e) => e.index), [3], 'only the new entry');
  t.same(rd2.messages.map((m) => [m.type, m.index]), [['appResp', 3]]);
  n.node.advance(rd2);
});

t.test('a batch of proposals travels as one append per follower and commits together', async (t) => {
  const c = new TestCluster([1, 2, 3]);
  c.campaign(1);
  const leader = c.get(1);
  leader.node.proposeBatch(['x', 'y', 'z'].map((s) => new TextEncoder().encode(s)));
  const out = leader.drain();
  const apps = out.filter((m) => m.type === 'app');
  t.equal(apps.length, 2, 'one append message per follower');
  for (const m of apps) t.same(m.entries.map((e) => new TextDecoder().decode(e.data)), ['x', 'y', 'z']);
  c.deliver(out);
  c.stabilize();
  for (const id of [1, 2, 3]) t.same(c.get(id).appliedData(), ['x', 'y', 'z'], `node ${id} applied the batch in order`);
});

t.test('a batch proposed on a follower is forwarded whole', async (t) => {
  const c = new TestCluster([1, 2, 3]);
  c.campaign(1);
  c.get(2).node.proposeBatch(['p', 'q'].map((s) => new TextEncoder().encode(s)));
  const fwd = c.get(2).drain().filter((m) => m.type === 'prop');
  t.equal(fwd.length, 1);
  t.equal(fwd[0]!.entries.length, 2);
  c.deliver(fwd);
  c.stabilize();
  t.same(c.get(3).appliedData(), ['p', 'q']);
});
