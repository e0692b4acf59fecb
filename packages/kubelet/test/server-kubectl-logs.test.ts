// `kubectl logs` end to end: the real kubectl asks a real API server for pods/log, which finds the
// pod's node, reads the kubelet's address and port from the Node's status, and proxies this
// kubelet server's /containerLogs, which reads a CRI file written here.
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Node, Pod } from '@kubets/api';
import { eventually, kubectlBinary, startTestCluster, type TestCluster } from '@kubets/testing';
import { Registry } from 'prom-client';
import t from 'tap';
import { type KubeletServer, startKubeletServer } from '../src/server/kubelet-server.js';
import { appendLog, cri, tempDir, writeLog } from './logs-fixtures.js';

const run = promisify(execFile);
const dir = tempDir(t);
const logFile = writeLog(join(dir, '0.log'), cri(1, 'stdout', 'F', 'hello'), cri(2, 'stderr', 'P', 'from '), cri(2, 'stderr', 'F', 'kubets'), cri(3, 'stdout', 'F', 'bye'));
let running = true;
let cluster: TestCluster;
let server: KubeletServer;
let pod: Pod | undefined;

t.before(async () => {
  cluster = await startTestCluster({ members: 1 });
  server = await startKubeletServer({
    address: '127.0.0.1',
    port: 0,
    logger: { info: () => {}, warn: () => {}, error: () => {} },
    registry: new Registry(),
    healthChecks: [],
    pods: () => (pod === undefined ? [] : [pod]),
    findLogFiles: () => ({ files: [logFile], isRunning: () => running }),
  });
  const node = await cluster.client.create<Node>('nodes', undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-logs' } });
  await cluster.client.updateStatus<Node>('nodes', undefined, {
    ...node,
    status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: server.port } } },
  });
  pod = await cluster.client.create<Pod>('pods', 'default', {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' },
    spec: { nodeName: 'node-logs', containers: [{ name: 'app', image: 'busybox', command: ['sh'] }] },
  } as Pod);
});
t.teardown(async () => {
  await server?.close();
  await cluster?.stop();
});

const kubectl = (...args: string[]) => run(kubectlBinary(), ['--kubeconfig', cluster.kubeconfig, ...args]);

t.test('kubectl logs prints the whole log', async (t) => {
  const { stdout } = await kubectl('logs', 'web');
  t.equal(stdout, 'hello\nfrom kubets\nbye\n');
});

t.test('kubectl logs --tail and --timestamps', async (t) => {
  t.equal((await kubectl('logs', 'web', '--tail=2')).stdout, 'from kubets\nbye\n');
  t.equal((await kubectl('logs', 'web', '-c', 'app', '--tail=1', '--timestamps')).stdout, '2026-01-01T00:00:03.123456789Z bye\n');
  t.equal((await kubectl('logs', 'web', '--limit-bytes=3')).stdout, 'hel');
});

t.test('kubectl logs of a container the pod does not have is refused', async (t) => {
  const failed = await kubectl('logs', 'web', '-c', 'nope').then(() => undefined, (e: { stderr: string }) => e);
  t.match(failed?.stderr, 'container nope is not valid for pod web');
});

t.test('kubectl logs -f sees an appended line and ends when the container stops', async (t) => {
  running = true;
  const follower = spawn(kubectlBinary(), ['--kubeconfig', cluster.kubeconfig, 'logs', '-f', 'web', '--tail=1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => {
    if (follower.exitCode === null && follower.signalCode === null) follower.kill('SIGKILL');
  });
  let out = '';
  follower.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const exited = new Promise<number | null>((resolve) => follower.on('exit', (code) => resolve(code)));
  await eventually(() => out === 'bye\n', 'the tail');
  appendLog(logFile, cri(4, 'stdout', 'F', 'a new line'));
  await eventually(() => out === 'bye\na new line\n', 'the appended line through the API server');
  running = false;
  t.equal(await exited, 0);
  t.equal(out, 'bye\na new line\n');
});
