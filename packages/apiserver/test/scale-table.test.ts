// The Scale subresource printed as kube-apiserver prints it: `kubectl get deploy web
// --subresource=scale` asks .../deployments/web/scale for a meta.k8s.io Table, whose columns
// upstream are NAME, DESIRED (spec.replicas), AVAILABLE (status.replicas) and AGE. The status
// subresource prints with its resource's own columns, as upstream's do.

import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { startOneApiServer } from './support/one-api-server.js';
import { call } from './support/http.js';
import { kubectlDirectory, kubectlFor } from './support/kubectl.js';

const api = await startOneApiServer({ impl: 'etcd' });
const dir = await mkdtemp(join(tmpdir(), 'kubets-scale-table-'));
t.teardown(async () => {
  await rm(dir, { recursive: true, force: true });
});
const A = api.url;
const TABLE = { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json' };
const deployments = '/apis/apps/v1/namespaces/default/deployments';

const created = await call(A, 'POST', deployments, {
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
  spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
});
if (created.status !== 201) throw new Error(`creating the deployment: ${created.text}`);
// What the controllers would report: 2 of the 3 replicas exist.
const status = await call(A, 'PUT', `${deployments}/web/status`, { ...created.body, status: { replicas: 2, availableReplicas: 1 } });
if (status.status !== 200) throw new Error(`writing the status: ${status.text}`);

t.test('GET .../scale as a Table: Name, Desired, Available, Age, and the Scale as the row object', async (t) => {
  const res = await call(A, 'GET', `${deployments}/web/scale?includeObject=Object`, undefined, TABLE);
  t.equal(res.status, 200, res.text);
  t.equal(res.body.kind, 'Table');
  t.strictSame(res.body.columnDefinitions.map((c: any) => [c.name, c.type, c.format]), [['Name', 'string', ''], ['Desired', 'integer', ''], ['Available', 'integer', ''], ['Age', 'string', '']]);
  t.equal(res.body.rows.length, 1);
  t.match(res.body.rows[0].cells, ['web', 3, 2, /^\d+s$/]);
  t.equal(res.body.rows[0].object.kind, 'Scale');
  t.equal(res.body.metadata.resourceVersion, status.body.metadata.resourceVersion);
  const plain = await call(A, 'GET', `${deployments}/web/scale`);
  t.equal(plain.body.kind, 'Scale', 'without the Table Accept, the Scale itself');
});

t.test('GET .../status as a Table prints as the Deployment does', async (t) => {
  const res = await call(A, 'GET', `${deployments}/web/status`, undefined, TABLE);
  t.equal(res.status, 200, res.text);
  t.strictSame(res.body.columnDefinitions.filter((c: any) => c.priority === 0).map((c: any) => c.name), ['Name', 'Ready', 'Up-to-date', 'Available', 'Age']);
});

const kubectlDir = kubectlDirectory();
const builds = [['1.27', join(kubectlDir, 'kubectl.1.27')], ['1.32', join(kubectlDir, 'kubectl')]].filter(([, p]) => existsSync(p!));
const kubectl = await kubectlFor(dir, A);
for (const [version, bin] of builds) {
  t.test(`kubectl ${version!} get deploy web --subresource=scale`, async (t) => {
    const res = await kubectl(bin!, ['get', 'deploy', 'web', '--subresource=scale']);
    t.equal(res.code, 0, res.stderr);
    t.match(res.stdout, /^NAME\s+DESIRED\s+AVAILABLE\s+AGE\n/);
    t.match(res.stdout, /^web\s+3\s+2\s+\d+s$/m);
  });
}
