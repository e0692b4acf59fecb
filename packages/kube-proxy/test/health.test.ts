// /healthz and /livez as upstream's proxier health server answers them, /readyz after the first
// sync, /metrics with the sync metrics.
import t from 'tap';
import { FakeClock } from '@kubets/client';
import { createMetricsRegistry } from '@kubets/component-base';
import { syncMetrics } from '../src/metrics.js';
import { startProxyHealthServer } from '../src/server/health-server.js';
import { ProxierHealth } from '../src/server/proxier-health.js';

t.test('healthy until a queued update waits longer than the timeout', async (t) => {
  const clock = new FakeClock(0);
  const h = new ProxierHealth(60_000, clock);
  t.equal(h.view().healthy, true, 'nothing queued');
  h.queued();
  clock.advance(59_999);
  t.equal(h.view().healthy, true);
  h.queued();
  clock.advance(1);
  t.equal(h.view().healthy, false, 'the oldest pending update counts, not the newest');
  h.updated();
  t.match(h.view(), { healthy: true, lastUpdated: 60_000 });
});

t.test('a change queued while a sync runs stays pending, counted from the sync\'s start', async (t) => {
  const clock = new FakeClock(0);
  const h = new ProxierHealth(1000, clock);
  const startedAt = clock.now();
  clock.advance(10);
  h.queued();
  clock.advance(10);
  h.updated(startedAt);
  clock.advance(980);
  t.equal(h.view().healthy, false, 'the change the sync did not see has waited 1000 ms by now');
  h.updated(clock.now());
  t.equal(h.view().healthy, true);
});

t.test('the server', async (t) => {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const health = new ProxierHealth(1000, clock);
  const registry = createMetricsRegistry();
  syncMetrics(registry).duration.observe(0.002);
  const server = await startProxyHealthServer({ host: '127.0.0.1', port: 0, health, registry, logger: { error: () => t.fail('no request fails') } });
  t.teardown(() => server.close());
  const get = async (path: string) => {
    const res = await fetch(`http://127.0.0.1:${server.port}${path}`);
    return { status: res.status, body: await res.text() };
  };
  t.equal((await get('/readyz')).status, 503, 'not ready before the first sync');
  health.updated();
  t.equal((await get('/readyz')).status, 200);
  const ok = await get('/healthz');
  t.equal(ok.status, 200);
  t.same(JSON.parse(ok.body), { lastUpdated: '2026-01-01T00:00:00.000Z', currentTime: '2026-01-01T00:00:00.000Z', nodeEligible: true });
  health.queued();
  clock.advance(1000);
  t.equal((await get('/healthz')).status, 503, 'stale');
  t.equal((await get('/livez')).status, 503);
  health.updated();
  health.setNodeEligible(false);
  t.equal((await get('/healthz')).status, 503, 'a node being deleted is not eligible');
  t.equal((await get('/livez')).status, 200, 'but the proxy lives');
  t.match((await get('/metrics')).body, /kubeproxy_sync_proxy_rules_duration_seconds_count 1/);
  t.equal((await get('/nope')).status, 404);
});
