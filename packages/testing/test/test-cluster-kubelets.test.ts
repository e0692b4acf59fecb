// The test kit with kubelets: node-1 and node-2 register on their own addresses with pod CIDRs
// of their own, kubeletNode finds each one's process and root dir, and stop() stops the pods
// too (they outlive a kubelet by design): no kubelet, no pod process and no file is left. The
// deadlines allow for a machine that runs other test clusters at the same time.
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import t from 'tap';
import type { Node, Pod } from '@kubets/api';
import { identityOf, stillRunning } from '@kubets/cli';
import { eventually, kubeletNode, kubetsProfile, pidsWithArgument, startTestCluster } from '../src/index.js';

const ready = (n: Node) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

t.test('startTestCluster({ kubelets: 2 }): two Ready nodes; stop() leaves no kubelet, no pod and no file', async (t) => {
  const c = await startTestCluster({ kubelets: 2, kubeletFlags: kubetsProfile.kubelet, readyTimeoutMs: 90_000 });
  const pids = c.cluster.processes.map((p) => identityOf(p.proc.pid!));
  t.teardown(async () => {
    for (const id of pids) if (stillRunning(id)) process.kill(id.pid, 'SIGKILL');
  });
  t.same(c.nodeNames, ['node-1', 'node-2']);
  const [one, two] = [kubeletNode(c, 1), kubeletNode(c, 2)];
  t.equal(one.address, '127.0.1.1');
  t.equal(two.address, '127.0.1.2');
  t.equal(one.url, `http://127.0.1.1:${one.port}`);
  t.equal(one.process.pid, c.cluster.byName('kubelet-node-1')!.proc.pid);
  t.match(one.rootDir, new RegExp(`^${c.dataDir}/kubelet-node-1$`));
  t.not(one.podCidr, two.podCidr, 'a pod CIDR each');
  t.throws(() => kubeletNode(c, 3), RangeError);

  await eventually(async () => (await c.client.list<Node>('nodes', undefined)).items.filter(ready).length === 2, 'both nodes Ready', 60_000, 100);
  const node = await c.client.get<Node>('nodes', undefined, 'node-1');
  t.same(node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address, '127.0.1.1', "the node's InternalIP is its own address");
  const healthz = await fetch(`${one.url}/healthz`);
  t.equal(healthz.status, 200);

  const token = `kubets-kit-${randomBytes(6).toString('hex')}`;
  await c.client.create<Pod>('pods', 'default', {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'sleeper' },
    spec: { nodeName: 'node-1', terminationGracePeriodSeconds: 2, containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', `sleep 3000; : ${token}`] }] },
  });
  await eventually(async () => (await c.client.get<Pod>('pods', 'default', 'sleeper')).status?.phase === 'Running', 'the pod runs on node-1', 60_000, 100);
  t.ok(pidsWithArgument(token).length > 0, "the pod's process runs");

  await c.stop();
  t.same(pids.filter(stillRunning), [], 'no process of the cluster is left');
  t.same(pidsWithArgument(token), [], "the pod's process is gone too: stop() reset the kubelets' root dirs");
  t.notOk(existsSync(c.dataDir), 'the data dir is gone');
});
