// An API server started before etcd, as kube-apiserver allows: it serves at once, its health
// endpoints fail on the etcd check, it retries the storage (logging the failures now and then, not
// once per attempt) instead of exiting, and once etcd comes up on the addresses it was given it
// creates the start-up objects and turns ready.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { freePorts, startEtcdCluster } from '@kubets/testing';
import { call, eventually } from './support/http.js';

const main = fileURLToPath(new URL('../src/main.js', import.meta.url));

interface Started {
  url: string;
  child: ChildProcess;
  lines: string[];
  /** SIGTERM to this pid; resolves with the exit code. */
  stop(): Promise<number | null>;
}

function startApiServer(port: number, etcdPorts: number[]): Started {
  const child = spawn(process.execPath, [main, `--etcd-servers=${etcdPorts.map((p) => `http://127.0.0.1:${p}`).join(',')}`, '--bind-address=127.0.0.1', `--secure-port=${port}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) createInterface({ input: stream }).on('line', (l) => lines.push(l));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    lines,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGTERM');
      return exited;
    },
  };
}

/** The pino lines with this message. */
const logged = (lines: string[], msg: string) => lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => e.msg === msg);
const bootstrapFailed = 'bootstrap (initial namespaces, the kubernetes Service) failed; retrying';

t.test('an API server started before etcd serves failing health checks, waits for etcd, then bootstraps and turns ready', async (t) => {
  const [port, ...etcdPorts] = (await freePorts(4)) as [number, ...number[]];
  const api = startApiServer(port, etcdPorts);
  t.teardown(() => api.stop());

  // Connections are refused until it listens: eventually() retries what throws.
  const healthz = await eventually('/healthz to answer', async () => {
    const r = await call(api.url, 'GET', '/healthz?verbose');
    return r.status === 500 ? r : undefined;
  }, 30_000);
  t.match(healthz.text, /\[-\]etcd failed/, 'the etcd check fails');
  t.match(healthz.text, /\[-\]poststarthook\/bootstrap-controller failed/, 'the start-up objects are not there yet');
  const readyz = await call(api.url, 'GET', '/readyz?verbose');
  t.equal(readyz.status, 500, 'not ready');
  t.match(readyz.text, /\[-\]poststarthook\/storage-readiness failed/, 'the watch caches cannot load without etcd');
  await eventually('the failed bootstrap to be logged', async () => (logged(api.lines, bootstrapFailed).length > 0 ? true : undefined), 30_000);
  t.equal(api.child.exitCode, null, 'still running after its bootstrap failed');

  const etcd = await startEtcdCluster({ kind: 'kubets', clientPorts: etcdPorts });
  t.teardown(() => etcd.stop());
  await eventually('/readyz to answer 200', async () => ((await call(api.url, 'GET', '/readyz')).status === 200 ? true : undefined), 30_000);
  t.match((await call(api.url, 'GET', '/readyz?verbose')).text, /\[\+\]poststarthook\/storage-readiness ok/, 'ready once every watch cache has loaded');
  t.equal(api.child.exitCode, null, 'it never exited');

  const namespaces = await call(api.url, 'GET', '/api/v1/namespaces');
  const names = (namespaces.body.items as { metadata: { name: string } }[]).map((n) => n.metadata.name).sort();
  t.same(names, ['default', 'kube-node-lease', 'kube-public', 'kube-system'], 'the initial namespaces exist');
  t.equal((await call(api.url, 'GET', '/api/v1/namespaces/default/services/kubernetes')).status, 200, 'the kubernetes Service exists');

  // Its log is buffered (flushed every 200 ms).
  const done = await eventually('the bootstrap to log its success', async () => logged(api.lines, 'bootstrap (initial namespaces, the kubernetes Service) succeeded')[0]);
  const attempts = Number(done.failedAttempts);
  t.ok(attempts > 1, `the bootstrap was retried (${attempts} failed attempts)`);
  t.ok(logged(api.lines, bootstrapFailed).length < attempts, 'its failures took fewer log lines than attempts');
});

t.test('an API server still waiting for etcd shuts down cleanly on SIGTERM', async (t) => {
  const [port, ...etcdPorts] = (await freePorts(4)) as [number, ...number[]];
  const api = startApiServer(port, etcdPorts);
  t.teardown(() => api.stop());
  await eventually('/healthz to answer', async () => ((await call(api.url, 'GET', '/healthz')).status === 500 ? true : undefined), 30_000);
  t.equal(await api.stop(), 0, 'exit code 0');
});
