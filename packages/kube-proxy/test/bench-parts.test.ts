// The benchmark's parts, each run small against real endpoint server processes, so the script
// cannot rot between the runs that produce figures: every measurement moves and counts what it
// says it does, a leg adds the proxy's CPU, haproxy starts from its generated config and is
// stopped by pid. Nothing here looks at speed.
import t from 'tap';
import { closedPortUrl } from '@kubets/testing';
import { findHaproxy, haproxyConfig, startHaproxy } from '../src/bench/haproxy.js';
import { measureLeg, type Sizes } from '../src/bench/leg.js';
import { answeringPort, type EndpointServers, reachesAll, runMeasurement, startEndpointServers } from '../src/bench/traffic.js';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const tiny: Sizes = {
  connections: 4, exchangeBytes: 128 * 1024, rounds: 2, streamBytes: 4 * 1024 * 1024, rate: 200, connectRate: 100,
  seconds: 0.5, warmupSeconds: 0.1, keepAliveConnections: 2, messageBytes: 64,
};

let endpoints: EndpointServers;
t.before(async () => {
  endpoints = await startEndpointServers(2);
});
t.teardown(() => endpoints.stop());

t.test('the bulk exchange sends and receives every byte on every connection', async (t) => {
  const r = await runMeasurement({ kind: 'exchange', targets: endpoints.targets, connections: 4, bytes: 300_000 });
  t.equal(r.errors, 0);
  t.equal(r.bytesSent, 1_200_000);
  t.equal(r.bytesReceived, 1_200_000);
});

t.test('an endpoint server answers its own port, and a closed port answers nothing', async (t) => {
  t.equal(await answeringPort(endpoints.targets[1]!), endpoints.targets[1]!.port);
  t.ok(await reachesAll(endpoints.targets[0]!, [endpoints.targets[0]!]));
  t.notOk(await reachesAll(endpoints.targets[0]!, endpoints.targets), 'one endpoint is not both');
  t.equal(await answeringPort({ host: '127.0.0.1', port: Number(new URL(await closedPortUrl()).port) }), undefined);
});

t.test('the stream is acknowledged with the count the server read', async (t) => {
  const r = await runMeasurement({ kind: 'stream', target: endpoints.targets[0]!, bytes: 5_000_001 });
  t.equal(r.acknowledged, 5_000_001);
});

t.test('paced exchanges over kept-alive connections are each answered once, warm-up left out', async (t) => {
  const r = await runMeasurement({ kind: 'requests', targets: endpoints.targets, rate: 200, seconds: 0.5, warmupSeconds: 0.1, connections: 3, messageBytes: 64 });
  t.equal(r.errors, 0);
  t.equal(r.latenciesMs.length, 100);
  t.ok(r.latenciesMs.every((ms) => ms >= 0));
});

t.test('paced exchanges with a new connection each are each answered once', async (t) => {
  const r = await runMeasurement({ kind: 'requests', targets: endpoints.targets, rate: 100, seconds: 0.5, warmupSeconds: 0, connections: 0, messageBytes: 64 });
  t.equal(r.errors, 0);
  t.equal(r.latenciesMs.length, 50);
});

t.test("a leg has every figure, and the proxy's CPU only when there is a proxy", async (t) => {
  const direct = await measureLeg(endpoints.targets, tiny);
  t.equal(direct.throughput.connections.roundsMbPerSec.length, 2);
  t.equal(direct.throughput.connections.errors, 0);
  t.ok(direct.throughput.stream.complete);
  t.equal(direct.latency.keepAlive.exchanges, 100);
  t.equal(direct.latency.newConnection.exchanges, 50);
  t.notOk('proxyCpuSeconds' in direct);
  // Any live pid stands in for a proxy's: the figure is read from /proc.
  const proxied = await measureLeg(endpoints.targets, { ...tiny, rounds: 1 }, endpoints.pids[0]);
  t.same(Object.keys(proxied.proxyCpuSeconds ?? {}).sort(), ['connections', 'keepAlive', 'newConnection', 'stream']);
});

t.test("haproxy's config is TCP, round robin, over exactly the endpoints", async (t) => {
  const cfg = haproxyConfig({ host: '127.0.0.1', port: 1000 }, [{ host: '127.0.0.1', port: 2001 }, { host: '127.0.0.1', port: 2002 }], { threads: 1 });
  t.match(cfg, /mode tcp/);
  t.match(cfg, /balance roundrobin/);
  t.match(cfg, /bind 127\.0\.0\.1:1000/);
  t.match(cfg, /nbthread 1/);
  t.same(cfg.match(/server \S+ \S+/g), ['server endpoint-0 127.0.0.1:2001', 'server endpoint-1 127.0.0.1:2002']);
  t.notMatch(haproxyConfig({ host: '127.0.0.1', port: 1000 }, [], { threads: 0 }), /nbthread/);
});

t.test('a HAPROXY_BIN that is not there means no haproxy, not a failure', async (t) => {
  const saved = process.env.HAPROXY_BIN;
  process.env.HAPROXY_BIN = '/nonexistent/haproxy';
  t.teardown(() => (saved === undefined ? delete process.env.HAPROXY_BIN : (process.env.HAPROXY_BIN = saved)));
  t.equal(findHaproxy(), undefined);
});

t.test('haproxy forwards the traffic and is stopped by its pid', { skip: findHaproxy() === undefined ? 'haproxy is not installed' : false }, async (t) => {
  const h = await startHaproxy(findHaproxy()!, endpoints.targets, { threads: 1 });
  t.teardown(h.stop);
  t.ok(await reachesAll(h.target, endpoints.targets));
  const r = await runMeasurement({ kind: 'exchange', targets: [h.target], connections: 4, bytes: 100_000 });
  t.equal(r.bytesReceived, 400_000);
  await h.stop();
  t.notOk(alive(h.pid));
});

t.test('the endpoint servers are stopped by their pids', async (t) => {
  const own = await startEndpointServers(1);
  t.ok(alive(own.pids[0]!));
  await own.stop();
  t.notOk(alive(own.pids[0]!));
});
