// Leader election (Raft §5.2, §5.4.1; thesis §9.6 PreVote, §6.2 CheckQuorum), in the words of
// the paper: each test names the rule it checks.
import t from 'tap';
import { newMessage } from '../src/core/message.js';
import { storageWith, TestCluster, TestNode } from '../src/sim/cluster.js';
import type { Message } from '../src/types.js';

function msg(type: Message['type'], from: number, to: number, fields: Partial<Message> = {}): Message {
  return newMessage(type, to, { from, ...fields });
}

/** Ticks a node until its election timer fires (at most 2 * electionTick). */
function timeOut(n: TestNode): void {
  for (let i = 0; i < 20 && n.raft.role === 'follower'; i++) n.node.tick();
}

t.test('a follower that hears nothing for an election timeout becomes candidate (§5.2)', async (t) => {
  const n = new TestNode(1, { storage: storageWith([1, 2, 3]), preVote: false });
  timeOut(n);
  t.equal(n.raft.role, 'candidate');
  t.equal(n.raft.term, 1, 'it increments its term');
  t.equal(n.raft.vote, 1, 'it votes for itself');
  const out = n.drain();
  t.same(out.map((m) => [m.type, m.to, m.term]).sort(), [['vote', 2, 1], ['vote', 3, 1]], 'it asks every other voter');
});

t.test('the election timeout is random in [electionTick, 2*electionTick)', async (t) => {
  const seen = new Set<number>();
  for (let id = 1; id <= 200; id++) {
    const n = new TestNode(id, { storage: storageWith([id, id + 1000]), preVote: false, electionTick: 10 });
    let ticks = 0;
    while (n.raft.role === 'follower') {
      n.node.tick();
      ticks++;
    }
    t.ok(ticks >= 10 && ticks < 20, `timeout ${ticks} within [10, 20)`);
    seen.add(ticks);
  }
  t.ok(seen.size > 5, 'timeouts are spread out');
});

t.test('a voter grants at most one vote per term, first come first served (§5.2)', async (t) => {
  const n = new TestNode(1, { storage: storageWith([1, 2, 3]) });
  n.node.step(msg('vote', 2, 1, { term: 1 }));
  n.node.step(msg('vote', 3, 1, { term: 1 }));
  const out = n.drain().filter((m) => m.type === 'voteResp');
  t.same(
    out.map((m) => [m.to, m.reject]),
    [
      [2, false],
      [3, true],
    ],
  );
  t.equal(n.storage.hardStateNow().vote, 2, 'the vote is persisted');
  // A repeated request from the same candidate gets the same answer.
  n.node.step(msg('vote', 2, 1, { term: 1 }));
  t.same(n.drain().map((m) => [m.type, m.reject]), [['voteResp', false]]);
});

t.test('a voter refuses a candidate whose log is less up to date (§5.4.1)', async (t) => {
  // Our log: terms [1, 1, 2]. Last entry 3/2.
  const cases: [string, number, number, boolean][] = [
    ['lower last term', 5, 1, true],
    ['same last term, shorter log', 2, 2, true],
    ['same last term, same length', 3, 2, false],
    ['same last term, longer log', 4, 2, false],
    ['higher last term, shorter log', 1, 3, false],
  ];
  for (const [name, index, logTerm, reject] of cases) {
    const n = new TestNode(1, { storage: storageWith([1, 2, 3], [1, 1, 2], { term: 2 }) });
    n.node.step(msg('vote', 2, 1, { term: 3, index, logTerm }));
    const resp = n.drain().find((m) => m.type === 'voteResp');
    t.equal(resp?.reject, reject, name);
  }
});

t.test('a message with a higher term makes any node a follower of that term (§5.1)', async (t) => {
  const c = new TestCluster([1, 2, 3]);
  c.campaign(1);
  const leader = c.get(1);
  t.equal(leader.raft.role, 'leader');
  const term = leader.raft.term;
  leader.node.step(msg('appResp', 3, 1, { term: term + 5, index: 0 }));
  t.equal(leader.raft.role, 'follower');
  t.equal(leader.raft.term, term + 5);
  t.equal(leader.raft.vote, 0, 'no vote in the new term');
});

t.test('a node answers a stale leader with its term, so the stale leader steps down', async (t) => {
  const n = new TestNode(1, { storage: storageWith([1, 2, 3], [1], { term: 5 }) });
  n.node.step(msg('heartbeat', 2, 1, { term: 3 }));
  const out = n.drain();
  t.same(out.map((m) => [m.type, m.to, m.term]), [['appResp', 2, 5]]);
  n.node.step(msg('preVote', 3, 1, { term: 4, index: 1, logTerm: 1 }));
  t.same(n.drain().map((m) => [m.type, m.term, m.reject]), [['preVoteResp', 5, true]], 'a stale preVote is rejected with our term');
});

t.test('a candidate that hears from a leader of its term becomes a follower (§5.2)', async (t) => {
  const n = new TestNode(1, { storage: storageWith([1, 2, 3]), preVote: false });
  timeOut(n);
  n.drain();
  n.node.step(msg('app', 2, 1, { term: 1, index: 0, logTerm: 0 }));
  t.equal(n.raft.role, 'follower');
  t.equal(n.raft.lead, 2);
});

t.test('three and five nodes elect exactly one leader, and everyone follows it', async (t) => {
  for (const size of [3, 5]) {
    const ids = Array.from({ length: size }, (_, i) => i + 1);
    const c = new TestCluster(ids);
    for (let i = 0; i < 50 && !c.leader(); i++) c.tickAll();
    const leader = c.leader();
    t.ok(leader, `${size} nodes: a leader was elected`);
    c.tickAll(3);
    const leaders = ids.filter((id) => c.get(id).raft.role === 'leader');
    t.equal(leaders.length, 1, `${size} nodes: one leader`);
    for (const id of ids) t.equal(c.get(id).raft.lead, leaders[0], `${size} nodes: node ${id} follows it`);
  }
});

t.test('split votes resolve: candidates time out at different moments and retry', async (t) => {
  // Four voters, two candidates at once in the same term: nobody can get 3 of 4 votes.
  const c = new TestCluster([1, 2, 3, 4], { preVote: false });
  c.holdTypes.add('vote');
  c.get(1).node.campaign();
  c.get(2).node.campaign();
  c.stabilize();
  c.holdTypes.clear();
  // Deliver 1's request to 3 and 2's to 4: a 2-2 split in the same term.
  const held = c.held.splice(0);
  c.deliver(held.filter((m) => (m.from === 1 && m.to === 3) || (m.from === 2 && m.to === 4) || m.to === 1 || m.to === 2));
  t.equal(c.get(1).raft.role, 'candidate');
  t.equal(c.get(2).raft.role, 'candidate');
  t.equal(c.get(1).raft.term, c.get(2).raft.term, 'same term, split');
  for (let i = 0; i < 100 && !c.leader(); i++) c.tickAll();
  t.ok(c.leader(), 'randomized timeouts break the tie');
  const terms = new Map<number, number>();
  for (const n of c.nodes.values()) if (n.raft.role === 'leader') terms.set(n.raft.term, (terms.get(n.raft.term) ?? 0) + 1);
  for (const [term, count] of terms) t.equal(count, 1, `one leader in term ${term}`);
});

t.test('PreVote: a node that cannot win does not bump its term (thesis §9.6)', async (t) => {
  const c = new TestCluster([1, 2, 3]);
  c.campaign(1);
  c.propose(1, 'x');
  const term = c.get(1).raft.term;
  // Node 3 is cut off and times out again and again.
  c.isolate(3);
  for (let i = 0; i < 100; i++) c.tick(3);
  t.equal(c.get(3).raft.term, term, 'the isolated node stays at its term');
  t.equal(c.get(3).raft.role, 'preCandidate');
  // It rejoins: the leader is not deposed.
  c.heal();
  c.tickAll(5);
  t.equal(c.get(1).raft.role, 'leader', 'the stable leader keeps its role');
  t.equal(c.get(1).raft.term, term, 'and its term');
  t.equal(c.get(3).raft.lead, 1, 'the rejoined node follows it');
});

t.test('without PreVote, the same partitioned node would disrupt the leader on rejoin', async (t) => {
  const c = new TestCluster([1, 2, 3], { preVote: false, checkQuorum: false });
  c.campaign(1);
  const term = c.get(1).raft.term;
  c.isolate(3);
  for (let i = 0; i < 100; i++) c.tick(3);
  t.ok(c.get(3).raft.term > term + 3, 'its term ran away');
  c.heal();
  c.tickAll(30);
  t.ok(c.get(1).raft.term > term, 'the cluster had to move to a higher term');
});

t.test('PreVote is granted only to an up-to-date log and for a future term, without a vote', async (t) => {
  const n = new TestNode(1, { storage: storageWith([1, 2, 3], [1, 2], { term: 2 }) });
  n.node.step(msg('preVote', 2, 1, { term: 3, index: 2, logTerm: 2 }));
  n.node.step(msg('preVote', 3, 1, { term: 3, index: 1, logTerm: 1 }));
  const out = n.drain();
  t.same(
    out.map((m) => [m.to, m.type, m.term, m.reject]),
    [
      [2, 'preVoteResp', 3, false],
      [3, 'preVoteResp', 2, true],
    ],
  );
  t.equal(n.raft.term, 2, 'a preVote never changes our term');
  t.equal(n.raft.vote, 0, 'nor our vote');
});

t.test('CheckQuorum: a leader that does not hear from a majority for an election timeout steps down', async (t) => {
  const c = new TestCluster([1, 2, 3]);
  c.campaign(1);
  c.isolate(1);
  for (let i = 0; i < 9; i++) c.tick(1);
  t.equal(c.get(1).raft.role, 'leader', 'still leader within the timeout');
  for (let i = 0; i < 12; i++) c.tick(1);
  t.equal(c.get(1).raft.role, 'follower', 'stepped down');
});

t.test('CheckQuorum lease: followers with a live leader ignore vote requests', async (t) => {
  const c = new TestCluster([1, 2, 3]);
  c.campaign(1);
  const term = c.get(1).raft.term;
  const f = c.get(2);
  f.node.step(msg('vote', 3, 2, { term: term + 1, index: 100, logTerm: term }));
  t.same(f.drain(), [], 'no answer at all');
  t.equal(f.raft.term, term, 'term unchanged');
  // Once the lease expired (no leader for an election timeout) the request is heard.
  c.isolate(2);
  for (let i = 0; i < 10; i++) f.node.tick();
  f.drain();
  f.node.step(msg('vote', 3, 2, { term: term + 1, index: 100, logTerm: term }));
  t.same(f.drain().map((m) => [m.type, m.reject]), [['voteResp', false]]);
});

t.test('a learner never campaigns', async (t) => {
  const n = new TestNode(4, { storage: storageWith([1, 2, 3], [], {}, [4]) });
  for (let i = 0; i < 100; i++) n.node.tick();
  t.equal(n.raft.role, 'follower');
  t.same(n.drain(), []);
});

t.test('a single voter elects itself at once and commits its no-op', async (t) => {
  const c = new TestCluster([1]);
  c.campaign(1);
  const n = c.get(1);
  t.equal(n.raft.role, 'leader');
  t.equal(n.raft.log.committed, n.raft.log.lastIndex());
  c.propose(1, 'solo');
  t.same(n.appliedData(), ['solo']);
});
