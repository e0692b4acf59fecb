// The userspace data path on real sockets: a Service's cluster IP spreads connections over its
// endpoints, fails over from a dead one, keeps established connections when an endpoint goes,
// resets at once with no endpoint, sticks with ClientIP affinity, follows a port change, honours
// externalTrafficPolicy Local on node ports, and shares a cluster IP with another proxy on the
// host (one binds, the other stands by and takes over).
import t, { type Test } from 'tap';
import { dataPath, endpointServer, exchange, openConnection, randomLoopbackIP, service, slicesFor, snapshotOf } from './userspace-fixtures.js';

async function endpoints(t: Test, n: number) {
  const servers = await Promise.all(Array.from({ length: n }, (_, i) => endpointServer(`ep${i}`)));
  t.teardown(() => Promise.all(servers.map((s) => s.close())));
  return servers;
}

function proxy(t: Test, nodeAddresses?: string[], timeouts?: number[]) {
  const p = dataPath(nodeAddresses, timeouts);
  t.teardown(() => p.path.close());
  return p;
}

t.test('round robin over the ready endpoints of a cluster IP', async (t) => {
  const servers = await endpoints(t, 3);
  const ip = randomLoopbackIP();
  const { path } = proxy(t);
  t.same(await path.sync(snapshotOf([service('web', { clusterIP: ip, ports: [{ port: 8080 }] })], slicesFor('web', servers))), {});
  const counts = new Map<string, number>();
  for (let i = 0; i < 30; i++) {
    const r = await exchange(ip, 8080, 'hello');
    t.equal(r.data, `${r.from}\nhello`, 'the reply is whole');
    counts.set(r.from, (counts.get(r.from) ?? 0) + 1);
  }
  t.same(Object.fromEntries(counts), { ep0: 10, ep1: 10, ep2: 10 });
  t.equal(path.activeConnections, 0, 'every forwarded connection is gone');
});

t.test('no endpoint: a reset at once', async (t) => {
  const ip = randomLoopbackIP();
  const { path, registry } = proxy(t);
  await path.sync(snapshotOf([service('empty', { clusterIP: ip, ports: [{ port: 80 }] })], []));
  const started = performance.now();
  const r = await exchange(ip, 80, 'x');
  t.equal(r.ended, 'ECONNRESET');
  t.ok(performance.now() - started < 1000, 'no wait for a timeout');
  t.match(await registry.metrics(), /kubeproxy_userspace_rejected_connections_total\{service_port="default\/empty:",reason="no_endpoints"\} 1/);
});

t.test('a dead endpoint is skipped for the next one', async (t) => {
  const [good] = await endpoints(t, 1);
  const dead = await endpointServer('dead');
  await dead.close();
  const ip = randomLoopbackIP();
  const { path, registry } = proxy(t);
  await path.sync(snapshotOf([service('web', { clusterIP: ip, ports: [{ port: 80 }] })], slicesFor('web', [dead, good!])));
  for (let i = 0; i < 6; i++) t.equal((await exchange(ip, 80)).from, 'ep0', `connection ${i} reaches the live endpoint`);
  t.match(await registry.metrics(), /kubeproxy_userspace_connect_errors_total\{service_port="default\/web:"\} [1-9]/);
});

t.test('an endpoint that dies mid-test: every later connection reaches the other', async (t) => {
  const [a, b] = await endpoints(t, 2);
  const ip = randomLoopbackIP();
  const { path } = proxy(t);
  await path.sync(snapshotOf([service('web', { clusterIP: ip, ports: [{ port: 80 }] })], slicesFor('web', [a!, b!])));
  const before = await Promise.all(Array.from({ length: 10 }, () => exchange(ip, 80, 'x')));
  t.same(new Set(before.map((r) => r.from)), new Set(['ep0', 'ep1']), 'both serve');
  await a!.close();
  const after = await Promise.all(Array.from({ length: 10 }, () => exchange(ip, 80, 'y')));
  t.same(after.map((r) => `${r.from} ${r.ended}`), Array(10).fill('ep1 end'), 'no client sees the dead endpoint');
});

t.test('an endpoint that goes away keeps its established connections and gets no new ones', async (t) => {
  const [a, b] = await endpoints(t, 2);
  const ip = randomLoopbackIP();
  const { path } = proxy(t);
  const svc = service('web', { clusterIP: ip, ports: [{ port: 80 }] });
  await path.sync(snapshotOf([svc], slicesFor('web', [a!])));
  const held = await Promise.all(Array.from({ length: 5 }, () => openConnection(ip, 80)));
  t.same(held.map((c) => c.from), ['ep0', 'ep0', 'ep0', 'ep0', 'ep0']);
  await path.sync(snapshotOf([svc], slicesFor('web', [b!])));
  for (const c of held) t.equal(await c.say('still here'), 'still here', 'an established connection runs on');
  for (let i = 0; i < 4; i++) t.equal((await exchange(ip, 80)).from, 'ep1', 'new connections go to the endpoint that remains');
  for (const c of held) c.close();
});

t.test('ClientIP affinity: one client, one endpoint', async (t) => {
  const servers = await endpoints(t, 3);
  const ip = randomLoopbackIP();
  const { path } = proxy(t);
  await path.sync(snapshotOf([service('sticky', { clusterIP: ip, sessionAffinity: 'ClientIP', ports: [{ port: 80 }] })], slicesFor('sticky', servers)));
  const seen = new Set<string>();
  for (let i = 0; i < 9; i++) seen.add((await exchange(ip, 80)).from);
  t.equal(seen.size, 1);
});

t.test('a changed port closes the old listener and opens the new one', async (t) => {
  const servers = await endpoints(t, 1);
  const ip = randomLoopbackIP();
  const { path } = proxy(t);
  await path.sync(snapshotOf([service('web', { clusterIP: ip, ports: [{ port: 80 }] })], slicesFor('web', servers)));
  t.equal((await exchange(ip, 80)).from, 'ep0');
  await path.sync(snapshotOf([service('web', { clusterIP: ip, ports: [{ port: 81 }] })], slicesFor('web', servers)));
  t.equal((await exchange(ip, 80)).ended, 'ECONNREFUSED');
  t.equal((await exchange(ip, 81)).from, 'ep0');
  await path.sync(snapshotOf([], []));
  t.equal((await exchange(ip, 81)).ended, 'ECONNREFUSED', 'a deleted Service closes its listener');
  t.same([...path.listenerStates()], []);
});

t.test('node ports on each node\'s address, with externalTrafficPolicy Local', async (t) => {
  const servers = await endpoints(t, 2);
  const [node1, node2] = [randomLoopbackIP(), randomLoopbackIP()];
  const svc = service('np', { type: 'NodePort', clusterIP: randomLoopbackIP(), externalTrafficPolicy: 'Local', ports: [{ port: 80, nodePort: 30000 + Math.floor(Math.random() * 2000) }] });
  const slices = slicesFor('np', servers, '', (i) => ({ nodeName: `node-${i + 1}` }));
  const p1 = proxy(t, [node1!]).path;
  const p2 = proxy(t, [node2!]).path;
  await p1.sync(snapshotOf([svc], slices, 'node-1'));
  await p2.sync(snapshotOf([svc], slices, 'node-2'));
  const nodePort = svc.spec!.ports![0]!.nodePort!;
  for (let i = 0; i < 3; i++) {
    t.equal((await exchange(node1!, nodePort)).from, 'ep0', 'node-1 sends to its own endpoint');
    t.equal((await exchange(node2!, nodePort)).from, 'ep1', 'node-2 to its own');
  }
});

t.test('proxies on one host share a cluster IP: one binds, the other stands by and takes over', async (t) => {
  const servers = await endpoints(t, 1);
  const ip = randomLoopbackIP();
  const snapshot = snapshotOf([service('web', { clusterIP: ip, ports: [{ port: 80 }] })], slicesFor('web', servers));
  const first = dataPath().path;
  const second = proxy(t).path;
  t.same(await first.sync(snapshot), {});
  t.same(await second.sync(snapshot), { retryAfterMs: 100 }, 'standing by, it asks to be synced again');
  t.same([...second.listenerStates().values()], ['standby']);
  t.equal((await exchange(ip, 80)).from, 'ep0');
  await first.close();
  t.same(await second.sync(snapshot), {}, 'the address is free: the standby binds it');
  t.same([...second.listenerStates().values()], ['bound']);
  t.equal((await exchange(ip, 80)).from, 'ep0');
});

t.test('closing with a drain: established connections go on for the drain, then are reset', async (t) => {
  const servers = await endpoints(t, 1);
  const ip = randomLoopbackIP();
  const { path } = dataPath();
  await path.sync(snapshotOf([service('web', { clusterIP: ip, ports: [{ port: 80 }] })], slicesFor('web', servers)));
  const held = await openConnection(ip, 80);
  const closing = path.close(300);
  t.equal((await exchange(ip, 80)).ended, 'ECONNREFUSED', 'no new connection once closing');
  t.equal(await held.say('during the drain'), 'during the drain', 'an established one still works');
  await closing;
  t.equal(path.activeConnections, 0, 'after the drain, nothing is left');
  t.equal(await held.closed, 'ECONNRESET', 'and the held connection was reset');
});

t.test('thousands of short connections leave nothing behind', async (t) => {
  const servers = await endpoints(t, 2);
  const ip = randomLoopbackIP();
  const { path } = proxy(t);
  await path.sync(snapshotOf([service('web', { clusterIP: ip, ports: [{ port: 80 }] })], slicesFor('web', servers)));
  const handlesBefore = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles().length;
  for (let batch = 0; batch < 20; batch++) {
    const replies = await Promise.all(Array.from({ length: 100 }, () => exchange(ip, 80, 'ping')));
    t.ok(replies.every((r) => r.ended === 'end' && r.data.endsWith('ping')), `batch ${batch} whole`);
  }
  t.equal(path.activeConnections, 0);
  const deadline = Date.now() + 5000;
  let handles = Infinity;
  while (Date.now() < deadline && (handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles().length) > handlesBefore) await new Promise((r) => setImmediate(r));
  t.ok(handles <= handlesBefore, `open handles back to ${handlesBefore} (now ${handles})`);
});
