// kubectl's typed-client commands against kubets on real etcd: `kubectl create configmap`,
// `create secret`, `create namespace`, `create deployment`, `create service` send their bodies
// as Kubernetes protobuf (and accept a JSON reply); `expose` and `run` send JSON. Then the
// protobuf writes kubectl does not make itself: an update (PUT), a status write, a DELETE with
// DeleteOptions, and malformed bodies, which are 400s that write nothing.

import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { startOneApiServer } from './support/one-api-server.js';
import { request } from 'undici';
import { call } from './support/http.js';
import { kubectlDirectory, kubectlFor } from './support/kubectl.js';
import { protoRoot, unknownType } from '../src/protobuf/schema.js';

const PB = 'application/vnd.kubernetes.protobuf';

const bin = join(kubectlDirectory(), 'kubectl');
if (!existsSync(bin)) {
  t.fail('no kubectl found; set KUBECTL_DIR');
  process.exit(1);
}

const api = await startOneApiServer({ impl: 'etcd' });
const dir = await mkdtemp(join(tmpdir(), 'kubets-kubectl-typed-'));
t.teardown(async () => {
  await rm(dir, { recursive: true, force: true });
});
const run = await kubectlFor(dir, api.url);
const kubectl = (...args: string[]) => run(bin, args);

function protobufBody(typeName: string, apiVersion: string, kind: string, obj: Record<string, unknown>): Buffer {
  const type = protoRoot.lookupType(typeName);
  const raw = type.encode(type.fromObject(obj)).finish();
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), unknownType.encode(unknownType.fromObject({ typeMeta: { apiVersion, kind }, raw })).finish()]);
}

async function send(method: string, path: string, body: Buffer): Promise<{ status: number; type: string; body: any }> {
  const res = await request(api.url + path, { method: method as 'PUT', headers: { 'content-type': PB, accept: `${PB},application/json` }, body });
  const text = await res.body.text();
  return { status: res.statusCode, type: String(res.headers['content-type']), body: JSON.parse(text) };
}

const get = async (path: string) => (await call(api.url, 'GET', path)).body;

t.test('typed-client commands send protobuf and read the JSON reply', async (t) => {
  const verbose = await kubectl('create', 'configmap', 'greeting', '--from-literal=text=hello', '--from-literal=empty=', '-v=8');
  t.equal(verbose.code, 0, verbose.stderr);
  t.match(verbose.stderr, /Content-Type: application\/vnd\.kubernetes\.protobuf/, 'kubectl sent protobuf');
  t.match(verbose.stderr, /Accept: application\/vnd\.kubernetes\.protobuf,application\/json/, 'and accepts JSON back');
  t.match(verbose.stderr, /Response Status: 201 Created/);
  t.match(verbose.stdout, /configmap\/greeting created/);
  const cm = await get('/api/v1/namespaces/default/configmaps/greeting');
  t.strictSame(cm.data, { text: 'hello', empty: '' });
  t.equal(cm.metadata.creationTimestamp !== undefined && cm.metadata.uid !== undefined, true);

  const files = join(dir, 'files');
  await writeFile(files + '.txt', 'plain text\n');
  await writeFile(files + '.bin', Buffer.from([0, 159, 146, 150, 255]));
  const fromFile = await kubectl('create', 'configmap', 'files', `--from-file=a.txt=${files}.txt`, `--from-file=b.bin=${files}.bin`);
  t.equal(fromFile.code, 0, fromFile.stderr);
  const filesCm = await get('/api/v1/namespaces/default/configmaps/files');
  t.strictSame(filesCm.data, { 'a.txt': 'plain text\n' });
  t.strictSame(filesCm.binaryData, { 'b.bin': Buffer.from([0, 159, 146, 150, 255]).toString('base64') });

  const secret = await kubectl('create', 'secret', 'generic', 'creds', '--from-literal=password=hunter2', '--from-literal=user=admin');
  t.equal(secret.code, 0, secret.stderr);
  t.match(secret.stdout, /secret\/creds created/);
  const s = await get('/api/v1/namespaces/default/secrets/creds');
  t.equal(Buffer.from(s.data.password, 'base64').toString(), 'hunter2');
  t.equal(Buffer.from(s.data.user, 'base64').toString(), 'admin');
  t.equal(s.type, 'Opaque');

  const ns = await kubectl('create', 'namespace', 'typed');
  t.equal(ns.code, 0, ns.stderr);
  t.match(ns.stdout, /namespace\/typed created/);
  const n = await get('/api/v1/namespaces/typed');
  t.equal(n.status.phase, 'Active');

  const deploy = await kubectl('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2', '--port=8080', '-n', 'typed');
  t.equal(deploy.code, 0, deploy.stderr);
  t.match(deploy.stdout, /deployment.apps\/web created/);
  const d = await get('/apis/apps/v1/namespaces/typed/deployments/web');
  t.equal(d.spec.replicas, 2);
  t.strictSame(d.spec.selector, { matchLabels: { app: 'web' } });
  t.strictSame(d.spec.template.metadata.labels, { app: 'web' });
  t.match(d.spec.template.spec.containers, [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 8080, protocol: 'TCP' }] }]);
  t.equal(d.spec.strategy.rollingUpdate.maxSurge, '25%', 'defaulted like a JSON create');
  t.equal(d.metadata.generation, 1);

  const expose = await kubectl('expose', 'deployment', 'web', '--port=80', '--target-port=8080', '-n', 'typed');
  t.equal(expose.code, 0, expose.stderr);
  t.match(expose.stdout, /service\/web exposed/);
  const svc = await get('/api/v1/namespaces/typed/services/web');
  t.strictSame(svc.spec.selector, { app: 'web' });
  t.match(svc.spec.ports, [{ port: 80, targetPort: 8080, protocol: 'TCP' }]);
  t.match(svc.spec.clusterIP, /^\d+\.\d+\.\d+\.\d+$/);

  const clusterIp = await kubectl('create', 'service', 'clusterip', 'api', '--tcp=80:8080', '--tcp=443:https', '-n', 'typed');
  t.equal(clusterIp.code, 0, clusterIp.stderr);
  const api2 = await get('/api/v1/namespaces/typed/services/api');
  t.equal(api2.spec.type, 'ClusterIP');
  t.match(api2.spec.ports, [
    { name: '80-8080', port: 80, targetPort: 8080 },
    { name: '443-https', port: 443, targetPort: 'https' },
  ]);

  const run = await kubectl('run', 'shell', '--image=busybox:1.36', '--port=8080', '--env=MODE=test', '--labels=app=shell', '-n', 'typed', '--', 'sleep', '3600');
  t.equal(run.code, 0, run.stderr);
  t.match(run.stdout, /pod\/shell created/);
  const pod = await get('/api/v1/namespaces/typed/pods/shell');
  t.match(pod.spec.containers, [{ name: 'shell', image: 'busybox:1.36', args: ['sleep', '3600'], ports: [{ containerPort: 8080 }], env: [{ name: 'MODE', value: 'test' }] }]);
  t.strictSame(pod.metadata.labels, { app: 'shell' });

  const dryRun = await kubectl('create', 'configmap', 'dry', '--from-literal=a=b', '--dry-run=server', '-o', 'jsonpath={.data.a}');
  t.equal(dryRun.code, 0, dryRun.stderr);
  t.equal(dryRun.stdout, 'b', 'a server dry run answers the object');
  t.equal((await call(api.url, 'GET', '/api/v1/namespaces/default/configmaps/dry')).status, 404, 'and writes nothing');

  const invalid = await kubectl('create', 'configmap', 'Bad_Name', '--from-literal=a=b');
  t.not(invalid.code, 0);
  t.match(invalid.stderr, /is invalid/, 'validation answers as for JSON');
  const dup = await kubectl('create', 'namespace', 'typed');
  t.not(dup.code, 0);
  t.match(dup.stderr, /AlreadyExists|already exists/);

  const listed = await kubectl('get', 'cm,secret,deploy,svc,pod', '-n', 'typed', '-o', 'name');
  t.equal(listed.code, 0, listed.stderr);
  t.match(listed.stdout, /deployment.apps\/web/);
});

t.test('protobuf updates, status writes and DeleteOptions', async (t) => {
  const cm = await get('/api/v1/namespaces/default/configmaps/greeting');
  const put = await send(
    'PUT',
    '/api/v1/namespaces/default/configmaps/greeting',
    protobufBody('k8s.io.api.core.v1.ConfigMap', 'v1', 'ConfigMap', { metadata: { name: 'greeting', namespace: 'default', resourceVersion: cm.metadata.resourceVersion, uid: cm.metadata.uid }, data: { text: 'bonjour' } }),
  );
  t.equal(put.status, 200, JSON.stringify(put.body));
  t.match(put.type, /^application\/json/, 'the reply is JSON');
  t.strictSame(put.body.data, { text: 'bonjour' });
  const stale = await send(
    'PUT',
    '/api/v1/namespaces/default/configmaps/greeting',
    protobufBody('k8s.io.api.core.v1.ConfigMap', 'v1', 'ConfigMap', { metadata: { name: 'greeting', resourceVersion: cm.metadata.resourceVersion }, data: { text: 'stale' } }),
  );
  t.equal(stale.status, 409, 'a stale resourceVersion conflicts, as in JSON');

  const d = await get('/apis/apps/v1/namespaces/typed/deployments/web');
  const status = await send(
    'PUT',
    '/apis/apps/v1/namespaces/typed/deployments/web/status',
    protobufBody('k8s.io.api.apps.v1.Deployment', 'apps/v1', 'Deployment', {
      metadata: { name: 'web', namespace: 'typed', resourceVersion: d.metadata.resourceVersion },
      spec: { replicas: 9 },
      status: { observedGeneration: 1, replicas: 2, updatedReplicas: 2, readyReplicas: 1, availableReplicas: 1, unavailableReplicas: 1, conditions: [{ type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'waiting', lastUpdateTime: { seconds: 1_700_000_000 }, lastTransitionTime: { seconds: 1_700_000_000 } }] },
    }),
  );
  t.equal(status.status, 200, JSON.stringify(status.body));
  const after = await get('/apis/apps/v1/namespaces/typed/deployments/web');
  t.match(after.status, { replicas: 2, readyReplicas: 1, conditions: [{ type: 'Available', status: 'False', lastTransitionTime: '2023-11-14T22:13:20Z' }] });
  t.equal(after.spec.replicas, 2, 'a status write leaves the spec alone');

  const scale = await send(
    'PUT',
    '/apis/apps/v1/namespaces/typed/deployments/web/scale',
    protobufBody('k8s.io.api.autoscaling.v1.Scale', 'autoscaling/v1', 'Scale', { metadata: { name: 'web', namespace: 'typed' }, spec: { replicas: 0 } }),
  );
  t.equal(scale.status, 200, JSON.stringify(scale.body));
  t.equal((await get('/apis/apps/v1/namespaces/typed/deployments/web')).spec.replicas, 0, 'scaled to zero through a protobuf Scale');

  const files = await get('/api/v1/namespaces/default/configmaps/files');
  const options = (uid: string) => protobufBody('k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions', 'v1', 'DeleteOptions', { preconditions: { uid }, propagationPolicy: 'Background' });
  const wrongUid = await send('DELETE', '/api/v1/namespaces/default/configmaps/files', options('00000000-0000-0000-0000-000000000000'));
  t.equal(wrongUid.status, 409, 'the DeleteOptions precondition was read');
  const deleted = await send('DELETE', '/api/v1/namespaces/default/configmaps/files', options(files.metadata.uid));
  t.equal(deleted.status, 200, JSON.stringify(deleted.body));
  t.equal((await call(api.url, 'GET', '/api/v1/namespaces/default/configmaps/files')).status, 404);
});

t.test('malformed or mismatched protobuf is a 400 and writes nothing', async (t) => {
  const revision = async () => (await get('/api/v1/configmaps')).metadata.resourceVersion as string;
  const before = await revision();
  const good = protobufBody('k8s.io.api.core.v1.ConfigMap', 'v1', 'ConfigMap', { metadata: { name: 'never' }, data: { a: 'b' } });
  const cases: [string, string, string, Buffer, RegExp][] = [
    ['no prefix', 'POST', '/api/v1/namespaces/default/configmaps', Buffer.from('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"never"}}'), /could not be decoded as protobuf: .*prefix/],
    ['truncated', 'POST', '/api/v1/namespaces/default/configmaps', good.subarray(0, good.length - 4), /could not be decoded as protobuf/],
    ['garbage after the prefix', 'POST', '/api/v1/namespaces/default/configmaps', Buffer.concat([good.subarray(0, 4), Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff])]), /could not be decoded as protobuf/],
    ['a Secret sent to configmaps', 'POST', '/api/v1/namespaces/default/configmaps', protobufBody('k8s.io.api.core.v1.Secret', 'v1', 'Secret', { metadata: { name: 'never' } }), /kind/],
    ['a ConfigMap under apps/v1', 'POST', '/api/v1/namespaces/default/configmaps', protobufBody('k8s.io.api.core.v1.ConfigMap', 'apps/v1', 'ConfigMap', { metadata: { name: 'never' } }), /no kind "ConfigMap" is registered for version "apps\/v1"/],
    ['a wire type mismatch on PUT', 'PUT', '/api/v1/namespaces/default/configmaps/greeting', Buffer.concat([good.subarray(0, 4), unknownType.encode(unknownType.fromObject({ typeMeta: { apiVersion: 'v1', kind: 'ConfigMap' }, raw: Buffer.from([0x08, 0x01]) })).finish()]), /wire type/],
    ['bad DeleteOptions', 'DELETE', '/api/v1/namespaces/default/configmaps/greeting', Buffer.from('k8s\0\u0012\u0005', 'latin1'), /could not be decoded as protobuf/],
  ];
  for (const [note, method, path, body, want] of cases) {
    const res = await send(method, path, body);
    t.equal(res.status, 400, `${note}: ${JSON.stringify(res.body)}`);
    t.match(res.body, { kind: 'Status', status: 'Failure', reason: 'BadRequest', code: 400 }, note);
    t.match(res.body.message, want, note);
  }
  const patch = await request(api.url + '/api/v1/namespaces/default/configmaps/greeting', { method: 'PATCH', headers: { 'content-type': PB }, body: good });
  t.equal(patch.statusCode, 415, 'protobuf is not a patch type');
  await patch.body.text();
  t.equal(await revision(), before, 'nothing was written');
  t.equal((await get('/api/v1/namespaces/default/configmaps/greeting')).data.text, 'bonjour');
  t.equal(api.child.exitCode, null, 'the server is still running');
});
