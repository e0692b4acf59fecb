// The real kubectl (1.32) with the kinds Job, ServiceAccount and EndpointSlice: its typed
// `create job` and `create serviceaccount` (protobuf bodies), `get` through discovery and
// server-side tables, and the server's own rules (generated Job selector, immutable fields).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { kubectlBinary } from '@kubets/testing';
import { startOneApiServer } from './support/one-api-server.js';
import { call } from './support/http.js';
import { kubectlFor } from './support/kubectl.js';

const api = await startOneApiServer({ impl: 'etcd' });
const dir = await mkdtemp(join(tmpdir(), 'kubets-new-kinds-'));
t.teardown(async () => {
  await rm(dir, { recursive: true, force: true });
});
const run = await kubectlFor(dir, api.url);
const kubectl = (...args: string[]) => run(kubectlBinary(), args);
const A = api.url;

/** The lines of a `kubectl get` table, cells split on runs of spaces. */
const rows = (stdout: string) => stdout.trim().split('\n').map((l) => l.trim().split(/\s{2,}/));

t.test('kubectl create job makes a Job with the generated selector and upstream defaults', async (t) => {
  const created = await kubectl('create', 'job', 'hello', '--image=busybox', '--', 'sleep', '1');
  t.equal(created.code, 0, created.stderr);
  t.match(created.stdout, /job\.batch\/hello created/);
  const job = (await call(A, 'GET', '/apis/batch/v1/namespaces/default/jobs/hello')).body;
  const uid = job.metadata.uid;
  t.same(job.spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
  t.match(job.spec.template.metadata.labels, { 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': 'hello', 'controller-uid': uid, 'job-name': 'hello' });
  t.match(job.metadata.labels, { 'batch.kubernetes.io/job-name': 'hello' }, 'the Job takes its template\'s labels');
  t.match(job.spec, { parallelism: 1, completions: 1, backoffLimit: 6, completionMode: 'NonIndexed', suspend: false, podReplacementPolicy: 'TerminatingOrFailed' });
  t.equal(job.spec.template.spec.restartPolicy, 'Never', 'kubectl create job asks for Never');
  t.equal(job.metadata.generation, 1);
  t.same(job.status, {}, 'a new Job starts with an empty status');
});

t.test('kubectl get jobs prints NAME STATUS COMPLETIONS DURATION AGE, and -o wide the template', async (t) => {
  const got = await kubectl('get', 'jobs');
  t.equal(got.code, 0, got.stderr);
  const [head, row] = rows(got.stdout);
  t.same(head, ['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE']);
  t.same(row!.slice(0, 3), ['hello', 'Running', '0/1']);
  const wide = await kubectl('get', 'job', 'hello', '-o', 'wide');
  t.same(rows(wide.stdout)[0], ['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
  t.match(wide.stdout, /hello\s+busybox\s+batch\.kubernetes\.io\/controller-uid=/);
  const all = await kubectl('get', 'all');
  t.match(all.stdout, /job\.batch\/hello/, 'jobs are in the category all');
});

t.test('a finished Job shows Complete and its duration; status is written through the status subresource', async (t) => {
  const job = (await call(A, 'GET', '/apis/batch/v1/namespaces/default/jobs/hello')).body;
  job.status = {
    startTime: '2024-01-01T00:00:00Z', completionTime: '2024-01-01T00:00:05Z', succeeded: 1,
    conditions: [{ type: 'Complete', status: 'True', lastProbeTime: '2024-01-01T00:00:05Z', lastTransitionTime: '2024-01-01T00:00:05Z' }],
  };
  const put = await call(A, 'PUT', '/apis/batch/v1/namespaces/default/jobs/hello/status', job);
  t.equal(put.status, 200, put.text);
  const [, row] = rows((await kubectl('get', 'job', 'hello')).stdout);
  t.same(row!.slice(0, 4), ['hello', 'Complete', '1/1', '5s']);
});

t.test('a Job\'s selector and template cannot change; its parallelism can', async (t) => {
  const patched = await kubectl('patch', 'job', 'hello', '--type=merge', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"hello","image":"alpine"}]}}}}');
  t.not(patched.code, 0);
  t.match(patched.stderr, /spec\.template: Invalid value: .*field is immutable/);
  const scaled = await kubectl('patch', 'job', 'hello', '--type=merge', '-p', '{"spec":{"parallelism":2}}');
  t.equal(scaled.code, 0, scaled.stderr);
  const job = (await call(A, 'GET', '/apis/batch/v1/namespaces/default/jobs/hello')).body;
  t.equal(job.metadata.generation, 2, 'a spec change moves generation');
});

t.test('a Job whose pods would restart Always is refused', async (t) => {
  const r = await call(A, 'POST', '/apis/batch/v1/namespaces/default/jobs', {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'forever' }, spec: { template: { spec: { containers: [{ name: 'a', image: 'busybox' }] } } },
  });
  t.equal(r.status, 422);
  t.match(r.body.message, /spec\.template\.spec\.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"/);
});

t.test('kubectl create serviceaccount and get sa print NAME SECRETS AGE', async (t) => {
  const created = await kubectl('create', 'serviceaccount', 'builder');
  t.equal(created.code, 0, created.stderr);
  t.match(created.stdout, /serviceaccount\/builder created/);
  const got = await kubectl('get', 'sa', 'builder');
  t.equal(got.code, 0, got.stderr);
  const [head, row] = rows(got.stdout);
  t.same(head, ['NAME', 'SECRETS', 'AGE']);
  t.same(row!.slice(0, 2), ['builder', '0']);
});

t.test('kubectl get endpointslices finds the new group and prints NAME ADDRESSTYPE PORTS ENDPOINTS AGE', async (t) => {
  const slice = {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { name: 'web-x1', labels: { 'kubernetes.io/service-name': 'web' } },
    addressType: 'IPv4',
    endpoints: ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'].map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
    ports: [{ name: 'http', port: 80 }],
  };
  const applied = await run(kubectlBinary(), ['apply', '-f', '-'], JSON.stringify(slice));
  t.equal(applied.code, 0, applied.stderr);
  const got = await kubectl('get', 'endpointslices');
  t.equal(got.code, 0, got.stderr);
  const [head, ...sliceRows] = rows(got.stdout);
  t.same(head, ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE']);
  // Beside it, the API server's own slice for the kubernetes Service.
  const row = sliceRows.find((r) => r[0] === 'web-x1');
  t.same(row!.slice(0, 4), ['web-x1', 'IPv4', '80', '10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...']);
  const stored = (await call(A, 'GET', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/web-x1')).body;
  t.equal(stored.ports[0].protocol, 'TCP', 'defaulted');
  const changed = await call(A, 'PATCH', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/web-x1', { addressType: 'IPv6' }, { 'content-type': 'application/merge-patch+json' });
  t.equal(changed.status, 422);
  t.match(changed.body.message, /addressType: Invalid value: "IPv6": field is immutable/);
});

t.test('the new groups are in discovery', async (t) => {
  const groups = (await call(A, 'GET', '/apis')).body.groups.map((g: any) => g.name);
  t.ok(groups.includes('batch') && groups.includes('discovery.k8s.io'));
  const explain = await kubectl('explain', 'job.spec.manualSelector');
  t.equal(explain.code, 0, explain.stderr);
  t.match(explain.stdout, /manualSelector\s+<boolean>/);
});
