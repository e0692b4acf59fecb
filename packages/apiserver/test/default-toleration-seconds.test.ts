// The DefaultTolerationSeconds admission plugin: the rule on its own, then a kubets-apiserver
// started with --default-not-ready-toleration-seconds and --default-unreachable-toleration-seconds.
import t from 'tap';
import { addDefaultTolerations } from '../src/admission/default-toleration-seconds.js';
import { startEtcdCluster } from './support/etcd-cluster.js';
import { startApiServerProcess } from './support/apiserver-process.js';
import { call } from './support/http.js';

const seconds = { notReady: 300, unreachable: 120 };
const tolerationsOf = (spec: any) => {
  const pod: any = { spec };
  addDefaultTolerations(pod, seconds);
  return pod.spec.tolerations;
};

t.test('a pod without tolerations gets both, with the configured seconds', async (t) => {
  t.same(tolerationsOf({}), [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 120 },
  ]);
});

t.test('a pod that already tolerates one of the taints with NoExecute keeps its own and gets only the other', async (t) => {
  const own = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 };
  t.same(tolerationsOf({ tolerations: [own] }).map((x: any) => [x.key, x.tolerationSeconds]), [['node.kubernetes.io/unreachable', 5], ['node.kubernetes.io/not-ready', 300]]);
});

t.test('an empty effect tolerates NoExecute, an empty key every taint', async (t) => {
  const anyEffect = { key: 'node.kubernetes.io/not-ready', operator: 'Exists' };
  t.same(tolerationsOf({ tolerations: [anyEffect] }).map((x: any) => x.key), ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']);
  t.same(tolerationsOf({ tolerations: [{ operator: 'Exists' }] }), [{ operator: 'Exists' }], 'tolerating everything needs nothing added');
});

t.test('a toleration of the taint with another effect does not count', async (t) => {
  const noSchedule = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' };
  t.equal(tolerationsOf({ tolerations: [noSchedule] }).length, 3);
});

t.test('kubets-apiserver adds the tolerations on pod create with the seconds of its flags', async (t) => {
  const etcd = await startEtcdCluster({ impl: 'etcd' });
  const api = await startApiServerProcess(etcd.endpoints, { extraArgs: ['--default-not-ready-toleration-seconds=60', '--default-unreachable-toleration-seconds=90'] });
  t.teardown(async () => {
    await api.stop();
    await etcd.stop();
  });
  const created = await call(api.url, 'POST', '/api/v1/namespaces/default/pods', {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [{ name: 'web', image: 'node:20' }] },
  });
  t.equal(created.status, 201, created.text);
  t.same(created.body.spec.tolerations, [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 90 },
  ]);
  const deployment = await call(api.url, 'POST', '/apis/apps/v1/namespaces/default/deployments', {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'node:20' }] } } },
  });
  t.equal(deployment.body.spec.template.spec.tolerations, undefined, 'pod templates are left alone: only pods are admitted');
});
