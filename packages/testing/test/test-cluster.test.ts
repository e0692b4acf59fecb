// The kit every later component's tests start from: a cluster that answers through the client
// it hands back, and a stop() that leaves none of its processes and none of its files.
import { existsSync } from 'node:fs';
import t from 'tap';
import { identityOf, stillRunning } from '@kubets/cli';
import { startTestCluster } from '../src/index.js';

t.test('startTestCluster: a kubets-etcd cluster and two API servers, all stopped by stop()', async (t) => {
  const c = await startTestCluster({ apiservers: 2 });
  const pids = c.cluster.processes.map((p) => identityOf(p.proc.pid!));
  t.teardown(async () => {
    for (const id of pids) if (stillRunning(id)) process.kill(id.pid, 'SIGKILL');
  });
  t.equal(pids.length, 5, 'three etcd members and two API servers');
  t.equal(c.apiServerUrls.length, 2);
  const ns = await c.client.list<{ metadata?: { name?: string } }>('namespaces', undefined);
  t.ok(ns.items.some((n) => n.metadata?.name === 'kube-system'), 'the client reaches the cluster');
  t.ok(existsSync(c.kubeconfig));
  await c.stop();
  t.same(pids.filter(stillRunning), [], 'no process is left');
  t.notOk(existsSync(c.dataDir), 'the data dir is gone');
});

t.test('startTestCluster on external etcd: only API servers', async (t) => {
  const etcd = await startTestCluster({ apiservers: 1 });
  t.teardown(() => etcd.stop());
  const c = await startTestCluster({ etcd: { external: etcd.etcdEndpoints }, apiservers: 1 });
  t.teardown(() => c.stop());
  t.same(c.cluster.processes.map((p) => p.role), ['apiserver']);
  await c.client.create('configmaps', 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shared' } });
  const seen = await etcd.client.get<{ metadata?: { name?: string } }>('configmaps', 'default', 'shared');
  t.equal(seen.metadata?.name, 'shared', 'both clusters share the one etcd');
});
