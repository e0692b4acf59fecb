// Leadership transfer (thesis §3.10).
import t from 'tap';
import { DroppedError, ProposalDroppedError } from '../src/core/errors.js';
import { TestCluster } from '../src/sim/cluster.js';

t.test('transfer to an up-to-date follower: it campaigns at once and wins', async (t) => {
  const c = new TestCluster([1, 2, 3]);
  c.campaign(1);
  c.propose(1, 'a');
  const term = c.get(1).raft.term;
  c.get(1).node.transferLeadership(2);
  c.stabilize();
  t.equal(c.get(2).raft.role, 'leader');
  t.equal(c.get(2).raft.term, term + 1, 'one new term, no PreVote round, no election timeout');
  t.equal(c.get(1).raft.role, 'follower');
  c.propose(2, 'b');
  t.same(c.get(1).appliedData(), ['a', 'b']);
});

t.test('transfer to a lagging follower: the leader first brings it up to date', async (t) => {
  const c = new TestCluster([1, 2, 3]);
  c.campaign(1);
  c.isolate(3);
  for (let i = 0; i < 5; i++) c.propose(1, `e${i}`);
  c.heal();
  c.get(1).node.transferLeadership(3);
  c.stabilize();
  t.equal(c.get(3).raft.role, 'leader');
  t.same(c.get(3).appliedData().length >= 5 || c.get(3).raft.log.lastIndex() >= c.get(1).raft.log.lastIndex(), true);
});

t.test('the leader refuses proposals while a transfer is under way', async (t) => {
  const c = new TestCluster([1, 2, 3]);
  c.campaign(1);
  c.isolate(2);
  c.get(1).node.transferLeadership(2);
  t.throws(() => c.get(1).node.propose(new Uint8Array([1])), ProposalDroppedError);
});

t.test('a transfer that does not finish within an election timeout is abandoned', async (t) => {
  const c = new TestCluster([1, 2, 3]);
  c.campaign(1);
  c.isolate(2);
  c.get(1).node.transferLeadership(2);
  for (let i = 0; i < 10; i++) c.tick(1);
  t.equal(c.get(1).raft.role, 'leader');
  t.equal(c.get(1).node.status().leadTransferee, 0, 'abandoned');
  c.propose(1, 'again');
  t.same(c.get(3).appliedData(), ['again'], 'proposals are accepted again');
});

t.test('a transfer vote is heard despite the CheckQuorum lease', async (t) => {
  const c = new TestCluster([1, 2, 3], { checkQuorum: true });
  c.campaign(1);
  c.get(1).node.transferLeadership(3);
  c.stabilize();
  t.equal(c.get(3).raft.role, 'leader', 'node 2 had a live leader, yet voted');
});

t.test('transfer targets must be voters; transferring to oneself is a no-op; followers cannot transfer', async (t) => {
  const c = new TestCluster([1, 2], { learners: [3] });
  c.campaign(1);
  t.throws(() => c.get(1).node.transferLeadership(3), DroppedError, 'a learner cannot lead');
  c.get(1).node.transferLeadership(1);
  t.equal(c.get(1).raft.role, 'leader');
  t.throws(() => c.get(2).node.transferLeadership(2), DroppedError);
});
