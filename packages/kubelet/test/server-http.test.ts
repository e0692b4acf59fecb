// The kubelet's server through real HTTP on a free loopback port: /containerLogs with each
// option and upstream's errors, a follower that sees new lines and the end of its container and
// one whose client leaves, /healthz, /metrics and /pods.
import { get, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import type { Pod } from '@kubets/api';
import { eventually } from '@kubets/testing';
import { Registry } from 'prom-client';
import t from 'tap';
import { type LogFilesLookup } from '../src/server/container-logs-route.js';
import { type KubeletServer, startKubeletServer } from '../src/server/kubelet-server.js';
import { appendLog, cri, isOpenHere, tempDir, writeLog } from './logs-fixtures.js';

const dir = tempDir(t);
const current = writeLog(join(dir, '1.log'), cri(1, 'stdout', 'F', 'one'), cri(2, 'stderr', 'F', 'two'), cri(3, 'stdout', 'F', 'three'));
const previous = writeLog(join(dir, '0.log'), cri(0, 'stdout', 'F', 'from the run before'));
const pods: Pod[] = [
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', uid: 'u1' }, spec: { containers: [{ name: 'app' }], initContainers: [{ name: 'setup' }] } } as Pod,
];
let running = true;
let healthy: string | undefined;
const lookups: Array<[string, string, string, boolean]> = [];

function findLogFiles(namespace: string, podName: string, container: string, prev: boolean): LogFilesLookup {
  lookups.push([namespace, podName, container, prev]);
  if (container === 'setup') return { error: 'container "setup" in pod "web" is waiting to start: PodInitializing', code: 400 };
  return { files: [prev ? previous : current], isRunning: () => running };
}

const warnings: object[] = [];
const logger = { info: () => {}, warn: (o: object) => warnings.push(o), error: (o: object) => warnings.push(o) };
let server: KubeletServer;
t.before(async () => {
  server = await startKubeletServer({
    address: '127.0.0.1',
    port: 0,
    logger,
    registry: new Registry(),
    healthChecks: [{ name: 'ping', check: async () => {} }, { name: 'syncloop', check: async () => { if (healthy !== undefined) throw new Error(healthy); } }],
    pods: () => pods,
    findLogFiles,
  });
});
t.teardown(() => server.close());

interface Answer {
  status: number;
  type: string;
  body: string;
}

async function fetchText(path: string): Promise<Answer> {
  const res = await fetch(`http://127.0.0.1:${server.port}${path}`);
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
}

const logs = (query = '', container = 'app') => fetchText(`/containerLogs/default/web/${container}${query === '' ? '' : `?${query}`}`);

t.test('containerLogs', async (t) => {
  t.test('the whole log as plain text', async (t) => {
    t.same(await logs(), { status: 200, type: 'text/plain; charset=utf-8', body: 'one\ntwo\nthree\n' });
    t.same(lookups.at(-1), ['default', 'web', 'app', false]);
  });
  t.test('tailLines, and the old tail', async (t) => {
    t.equal((await logs('tailLines=2')).body, 'two\nthree\n');
    t.equal((await logs('tail=1')).body, 'three\n');
  });
  t.test('timestamps', async (t) => {
    t.equal((await logs('timestamps=true&tailLines=1')).body, '2026-01-01T00:00:03.123456789Z three\n');
  });
  t.test('limitBytes', async (t) => {
    t.equal((await logs('limitBytes=6')).body, 'one\ntw');
  });
  t.test('sinceTime, and sinceSeconds (every line here is older than a minute)', async (t) => {
    t.equal((await logs('sinceTime=2026-01-01T00:00:02Z')).body, 'two\nthree\n');
    t.equal((await logs('sinceSeconds=60')).body, '');
  });
  t.test('stream', async (t) => {
    t.equal((await logs('stream=Stderr')).body, 'two\n');
  });
  t.test('previous asks for the run before', async (t) => {
    t.equal((await logs('previous=true')).body, 'from the run before\n');
    t.same(lookups.at(-1), ['default', 'web', 'app', true]);
  });
  t.end();
});

t.test('containerLogs errors are upstream text with its codes', async (t) => {
  t.same(await fetchText('/containerLogs/default/nope/app'), { status: 404, type: 'text/plain; charset=utf-8', body: 'pod "nope" does not exist' });
  t.same(await fetchText('/containerLogs/other/web/app'), { status: 404, type: 'text/plain; charset=utf-8', body: 'pod "web" does not exist' });
  t.match(await logs('', 'sidecar'), { status: 404, body: 'container "sidecar" not found in pod "web"' });
  t.match(await logs('', 'setup'), { status: 400, body: 'container "setup" in pod "web" is waiting to start: PodInitializing' });
  t.match(await logs('tailLines=x'), { status: 400, body: '{"message": "Unable to decode query."}' });
  t.match(await logs('limitBytes=0'), { status: 422, body: '{"message": "Invalid request."}' });
  t.match(await fetchText('/containerLogs/default/web'), { status: 404, body: '404 page not found\n' });
});

/** Opens a streaming GET and collects its body as it comes. */
function stream(path: string): Promise<{ res: IncomingMessage; text: () => string; ended: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const req = get(`http://127.0.0.1:${server.port}${path}`, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      const ended = new Promise<void>((done) => res.on('end', done));
      resolve({ res, text: () => text, ended });
    });
    req.on('error', reject);
  });
}

t.test('follow streams appended lines and ends when the container has stopped', async (t) => {
  running = true;
  const f = await stream('/containerLogs/default/web/app?follow=true&tailLines=1');
  t.equal(f.res.statusCode, 200);
  await eventually(() => f.text() === 'three\n', 'the tail');
  appendLog(current, cri(4, 'stdout', 'F', 'four'));
  await eventually(() => f.text() === 'three\nfour\n', 'the appended line');
  appendLog(current, cri(5, 'stdout', 'F', 'last words'));
  running = false;
  await f.ended;
  t.equal(f.text(), 'three\nfour\nlast words\n');
});

t.test('a follower whose client goes away frees its reader', async (t) => {
  running = true;
  const f = await stream('/containerLogs/default/web/app?follow=true&tailLines=1');
  await eventually(() => f.text() === 'last words\n', 'the tail');
  t.ok(isOpenHere(current), 'the reader has the log open while it follows');
  f.res.destroy();
  await eventually(() => !isOpenHere(current), 'the reader closed the log file');
  const metrics = await fetchText('/metrics');
  await eventually(async () => /kubelet_http_inflight_requests\{method="GET",path="containerLogs"[^}]*\} 0/.test((await fetchText('/metrics')).body), 'no request in flight');
  t.match(metrics.body, /kubelet_http_requests_total\{method="GET",path="containerLogs",server_type="readonly",long_running="false"\} \d+/);
});

t.test('/healthz answers ok, or 500 naming the failing check', async (t) => {
  healthy = undefined;
  t.same(await fetchText('/healthz'), { status: 200, type: 'text/plain; charset=utf-8', body: 'ok' });
  healthy = 'sync loop stuck for 10m';
  const failed = await fetchText('/healthz');
  t.equal(failed.status, 500);
  t.equal(failed.body, '[+]ping ok\n[-]syncloop failed: reason withheld\nhealthz check failed\n');
  t.same(warnings.at(-1), { failures: ['syncloop: sync loop stuck for 10m'] });
  t.match(await fetchText('/healthz/syncloop'), { status: 500, body: 'internal server error: sync loop stuck for 10m\n' });
  t.match(await fetchText('/healthz/ping'), { status: 200, body: 'ok' });
  healthy = undefined;
});

t.test('/metrics is the registry in Prometheus text', async (t) => {
  const m = await fetchText('/metrics');
  t.equal(m.status, 200);
  t.match(m.type, 'text/plain');
  t.match(m.body, '# TYPE kubelet_http_requests_total counter');
});

t.test('/pods is a v1 PodList of the pods the kubelet runs', async (t) => {
  const r = await fetchText('/pods');
  t.equal(r.status, 200);
  t.equal(r.type, 'application/json');
  t.same(JSON.parse(r.body), { kind: 'PodList', apiVersion: 'v1', metadata: {}, items: pods });
});

t.test('other paths are 404 and other methods 405', async (t) => {
  t.match(await fetchText('/nothing'), { status: 404, body: '404 page not found\n' });
  const post = await fetch(`http://127.0.0.1:${server.port}/pods`, { method: 'POST' });
  t.equal(post.status, 405);
  await post.text();
});
