import t from 'tap';
import { Counter, Registry } from 'prom-client';
import { type HealthCheck, pingCheck, runHealthChecks, startHealthServer } from '../src/index.js';

const healthy = (name: string): HealthCheck => ({ name, check: async () => {} });
const failing = (name: string, reason: string): HealthCheck => ({
  name,
  check: async () => {
    throw new Error(reason);
  },
});

type T = { teardown(fn: () => Promise<void> | void): void };

async function serve(t: T, checks: HealthCheck[], registry?: Registry) {
  const warnings: unknown[] = [];
  const logger = { warn: (o: object) => void warnings.push(o), error: () => {} };
  const server = await startHealthServer({ bindAddress: '127.0.0.1', port: 0, checks: { healthz: checks, livez: checks, readyz: checks }, logger, ...(registry ? { registry } : {}) });
  t.teardown(() => server.close());
  const get = async (path: string) => {
    const res = await fetch(`http://127.0.0.1:${server.port}${path}`);
    return { status: res.status, body: await res.text(), type: res.headers.get('content-type') };
  };
  return { server, get, warnings };
}

t.test('port 0 picks a free port, and the answer says so', async (t) => {
  const { server } = await serve(t, [pingCheck]);
  t.ok(server.port > 0);
});

t.test('all checks healthy: 200 and a bare `ok` on every endpoint', async (t) => {
  const { get } = await serve(t, [pingCheck, healthy('etcd')]);
  for (const endpoint of ['/healthz', '/livez', '/readyz']) {
    t.same(await get(endpoint), { status: 200, body: 'ok', type: 'text/plain; charset=utf-8' }, endpoint);
  }
});

t.test('a failed check: 500 lists every check with the reason withheld; the reason goes to the log', async (t) => {
  const { get, warnings } = await serve(t, [pingCheck, failing('etcd', 'no quorum')]);
  const r = await get('/readyz');
  t.equal(r.status, 500);
  t.equal(r.body, '[+]ping ok\n[-]etcd failed: reason withheld\nreadyz check failed\n');
  t.notMatch(r.body, /no quorum/);
  t.match(warnings, [{ endpoint: 'readyz', failures: ['etcd: no quorum'] }]);
});

t.test('?verbose lists the checks on success too', async (t) => {
  const { get } = await serve(t, [pingCheck, healthy('etcd')]);
  t.equal((await get('/healthz?verbose')).body, '[+]ping ok\n[+]etcd ok\nhealthz check passed\n');
});

t.test('?exclude skips the named checks (repeatable) and warns of names that match none', async (t) => {
  const { get } = await serve(t, [pingCheck, failing('etcd', 'down'), failing('informer-sync', 'not yet')]);
  const r = await get('/readyz?verbose&exclude=etcd&exclude=informer-sync&exclude=nope');
  t.equal(r.status, 200);
  t.equal(r.body, '[+]ping ok\n[+]etcd excluded: ok\n[+]informer-sync excluded: ok\nwarn: some health checks cannot be excluded: no matches for "nope"\nreadyz check passed\n');
});

t.test('/<endpoint>/<check> runs that check alone, and tells its reason', async (t) => {
  const { get } = await serve(t, [pingCheck, failing('etcd', 'no quorum')]);
  t.same(await get('/livez/ping'), { status: 200, body: 'ok', type: 'text/plain; charset=utf-8' });
  const r = await get('/livez/etcd');
  t.equal(r.status, 500);
  t.equal(r.body, 'internal server error: no quorum\n');
  t.equal((await get('/livez/nope')).status, 404);
  t.equal((await get('/nothing')).status, 404);
});

t.test('a write to a health path is refused with 405', async (t) => {
  const { server } = await serve(t, [pingCheck]);
  const res = await fetch(`http://127.0.0.1:${server.port}/healthz`, { method: 'POST' });
  t.equal(res.status, 405);
  await res.text();
});

t.test('/metrics is Prometheus text with the default process and Node.js metrics', async (t) => {
  const { get } = await serve(t, [pingCheck]);
  const r = await get('/metrics');
  t.equal(r.status, 200);
  t.match(r.type, /^text\/plain; version=0\.0\.4/);
  t.match(r.body, /^process_cpu_seconds_total /m);
  t.match(r.body, /^process_resident_memory_bytes /m);
  t.match(r.body, /^nodejs_eventloop_lag_seconds /m);
});

t.test('/metrics serves the registry it is given, with the component\'s own metrics', async (t) => {
  const registry = new Registry();
  new Counter({ name: 'scheduler_schedule_attempts_total', help: 'attempts', registers: [registry] }).inc(3);
  const { get } = await serve(t, [pingCheck], registry);
  t.match((await get('/metrics')).body, /^scheduler_schedule_attempts_total 3$/m);
});

t.test('checks run concurrently: a slow one does not hold up the others', async (t) => {
  const order: string[] = [];
  const slow: HealthCheck = { name: 'slow', check: () => new Promise((r) => setTimeout(() => r(order.push('slow') as unknown as void), 20)) };
  const fast: HealthCheck = { name: 'fast', check: async () => void order.push('fast') };
  const report = await runHealthChecks('readyz', [slow, fast], { verbose: true, exclude: [] });
  t.same(order, ['fast', 'slow']);
  t.equal(report.body, '[+]slow ok\n[+]fast ok\nreadyz check passed\n', 'the report keeps the order of the checks');
});
