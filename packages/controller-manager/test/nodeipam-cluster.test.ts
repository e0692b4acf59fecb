// The node IPAM controller against a real API server: distinct pod CIDRs, the ones nodes hold
// at startup respected, exhaustion reported, a deleted node's CIDR given to a waiting node.
import type { Node } from '@kubets/api';
import { eventually, startTestCluster, type TestCluster } from '@kubets/testing';
import t from 'tap';
import { createControllerContext } from '../src/controller/context.js';
import { findCondition, nodeConditions } from '../src/controllers/nodelifecycle/index.js';
import { nodeIpamControllerDescriptor } from '../src/controllers/nodeipam/index.js';
import { createNode, eventsAbout } from './nodelifecycle-fixtures.js';

let c: TestCluster;
t.before(async () => {
  c = await startTestCluster({ members: 1 });
});
t.teardown(() => c?.stop());

const getNode = (name: string) => c.client.get<Node>('nodes', undefined, name);
const cidrOf = async (name: string) => (await getNode(name)).spec?.podCIDR;

t.test('IPAM is off without --allocate-node-cidrs and --cluster-cidr', async (t) => {
  const ctx = createControllerContext({ client: c.client });
  const off = nodeIpamControllerDescriptor.create(ctx);
  const running = off.run();
  await off.stop();
  await running;
  await ctx.shutdown();
  t.pass('a disabled controller runs until stopped and does nothing');
});

t.test('each node gets its own pod CIDR; those held at startup are kept; exhaustion is reported; a freed CIDR goes to the waiting node', async (t) => {
  await createNode(c.client, 'old');
  await c.client.patch('nodes', undefined, 'old', { spec: { podCIDR: '10.200.0.0/24', podCIDRs: ['10.200.0.0/24'] } });
  const ctx = createControllerContext({ client: c.client, options: { allocateNodeCidrs: true, clusterCidr: '10.200.0.0/22', nodeCidrMaskSize: 24 } });
  const ipam = nodeIpamControllerDescriptor.create(ctx);
  ctx.informers.start();
  const running = ipam.run();
  t.teardown(async () => {
    await ipam.stop();
    await ctx.shutdown();
    await running;
  });

  for (const n of ['n1', 'n2', 'n3']) await createNode(c.client, n);
  await eventually(async () => (await Promise.all(['n1', 'n2', 'n3'].map(cidrOf))).every((x) => x !== undefined), 'three CIDRs', 10_000);
  const cidrs = await Promise.all(['old', 'n1', 'n2', 'n3'].map(cidrOf));
  t.equal(cidrs[0], '10.200.0.0/24', 'the node that had one keeps it');
  t.same([...cidrs].sort(), ['10.200.0.0/24', '10.200.1.0/24', '10.200.2.0/24', '10.200.3.0/24'], 'all distinct, none reused');
  t.same((await getNode('n1')).spec?.podCIDRs, [cidrs[1]], 'podCIDRs too');

  await createNode(c.client, 'late');
  await eventually(async () => (await eventsAbout(c.client, 'late')).some((e) => e.reason === 'CIDRNotAvailable' && e.message === 'Node late status is now: CIDRNotAvailable'), 'CIDRNotAvailable event');
  await eventually(async () => findCondition(nodeConditions(await getNode('late')), 'NetworkUnavailable')?.status === 'True', 'NetworkUnavailable=True');
  t.equal(await cidrOf('late'), undefined);

  await c.client.delete('nodes', undefined, 'n2');
  await eventually(async () => (await cidrOf('late')) === cidrs[2], 'the freed CIDR goes to the waiting node', 10_000);
  await eventually(async () => findCondition(nodeConditions(await getNode('late')), 'NetworkUnavailable')?.reason === 'RouteCreated', 'NetworkUnavailable cleared');
  t.equal(findCondition(nodeConditions(await getNode('late')), 'NetworkUnavailable')?.status, 'False');
});
