import t from 'tap';
import { TestCluster } from '../src/sim/cluster.js';

t.test('three nodes elect a leader and commit a proposal', async (t) => {
  const c = new TestCluster([1, 2, 3]);
  c.campaign(1);
  t.equal(c.get(1).raft.role, 'leader');
  c.propose(1, 'hello');
  for (const id of [1, 2, 3]) t.same(c.get(id).appliedData(), ['hello']);
});
