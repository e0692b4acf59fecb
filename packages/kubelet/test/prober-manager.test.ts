// The probe manager's answers (started, ready, liveness failed), its onChange, Events and
// metric, with exec probes answered by a fake exec and time moved by a fake clock.
import type { Container, Pod } from '@kubets/api';
import { FakeClock } from '@kubets/client/clock';
import { Registry } from 'prom-client';
import t from 'tap';
import { ProbeManager } from '../src/prober/manager.js';
import { execResult, fakeExec } from './prober-util.js';

const t0 = Date.UTC(2025, 0, 1);
const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** An exec probe whose command is the name of the behaviour the fake exec looks up. */
const probe = (behaviour: string, extra: Record<string, number> = {}) => ({ exec: { command: [behaviour] }, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3, ...extra });

function pod(containers: Container[], initContainers: Container[] = []): Pod {
  return { metadata: { name: 'web-1', namespace: 'shop', uid: 'uid-1' }, spec: { containers, initContainers } };
}

function setup(behaviours: Record<string, () => ReturnType<typeof execResult>>) {
  const clock = new FakeClock(t0);
  const { exec, calls } = fakeExec((cmd) => behaviours[cmd[0]!]!());
  const events: Array<{ type: string; reason: string; message: string }> = [];
  const changes: string[] = [];
  const registry = new Registry();
  const manager = new ProbeManager({
    exec,
    clock,
    logger: silent,
    random: () => 0,
    onChange: (uid) => changes.push(uid),
    recordEvent: (_pod, type, reason, message) => events.push({ type, reason, message }),
    registry,
  });
  return { clock, manager, calls, events, changes, registry };
}

const running = (containerId: string, startedAt = t0) => ({ containerId, startedAt, podIP: '127.0.0.1' });

t.test('a container without probes is started and ready while it runs', async (t) => {
  const { manager } = setup({});
  manager.addPod(pod([{ name: 'plain' }]));
  t.same([manager.isStarted('uid-1', 'plain'), manager.isReady('uid-1', 'plain')], [false, false], 'not running yet');
  manager.setContainerState('uid-1', 'plain', running('c1'));
  t.same([manager.isStarted('uid-1', 'plain'), manager.isReady('uid-1', 'plain')], [true, true]);
  manager.setContainerState('uid-1', 'plain', undefined);
  t.equal(manager.isReady('uid-1', 'plain'), false);
  t.equal(manager.isReady('other', 'plain'), false, 'an unknown pod is not ready');
  manager.stop();
});

t.test('readiness: not ready until the first success, probed at once for a new container; a flip calls onChange', async (t) => {
  let healthy = true;
  const { clock, manager, changes, events } = setup({ ready: () => (healthy ? execResult(0) : execResult(1, '', 'down\n')) });
  manager.addPod(pod([{ name: 'app', readinessProbe: probe('ready', { failureThreshold: 1 }) }]));
  manager.setContainerState('uid-1', 'app', running('c1'));
  t.equal(manager.isReady('uid-1', 'app'), false, 'not ready before the first probe');
  await clock.advanceAsync(0);
  t.equal(manager.isReady('uid-1', 'app'), true, 'the probe ran without waiting for a period');
  t.same(changes, ['uid-1']);
  healthy = false;
  await clock.advanceAsync(10_000);
  t.equal(manager.isReady('uid-1', 'app'), false);
  t.same(changes, ['uid-1', 'uid-1']);
  t.same(events, [{ type: 'Warning', reason: 'Unhealthy', message: 'Readiness probe failed: down\n' }]);
  manager.stop();
});

t.test('startup gates readiness and liveness until it succeeds', async (t) => {
  let startupPasses = false;
  const { clock, manager, calls } = setup({ startup: () => execResult(startupPasses ? 0 : 1), ready: () => execResult(0), live: () => execResult(0) });
  manager.addPod(pod([{ name: 'app', startupProbe: probe('startup', { failureThreshold: 30 }), readinessProbe: probe('ready'), livenessProbe: probe('live') }]));
  manager.setContainerState('uid-1', 'app', running('c1'));
  await clock.advanceAsync(25_000);
  t.same(new Set(calls.map((c) => c.cmd[0])), new Set(['startup']), 'only the startup probe runs');
  t.same([manager.isStarted('uid-1', 'app'), manager.isReady('uid-1', 'app')], [false, false]);
  startupPasses = true;
  await clock.advanceAsync(10_000);
  t.equal(manager.isStarted('uid-1', 'app'), true);
  await clock.advanceAsync(10_000);
  t.equal(manager.isReady('uid-1', 'app'), true, 'readiness ran once started');
  t.ok(calls.some((c) => c.cmd[0] === 'live'), 'liveness runs once started');
  manager.stop();
});

t.test('liveness: failureThreshold failures report the restart once; a new container starts over', async (t) => {
  const { clock, manager, events, changes, registry } = setup({ live: () => execResult(1, 'sick\n') });
  manager.addPod(pod([{ name: 'app', livenessProbe: probe('live') }]));
  manager.setContainerState('uid-1', 'app', running('c1'));
  await clock.advanceAsync(15_000);
  t.equal(manager.livenessFailed('uid-1', 'app'), undefined, 'two failures are below the threshold');
  await clock.advanceAsync(10_000);
  t.equal(manager.livenessFailed('uid-1', 'app'), 'Container app failed liveness probe, will be restarted');
  t.same(changes, ['uid-1']);
  t.same(events.map((e) => e.message), ['Liveness probe failed: sick\n', 'Liveness probe failed: sick\n', 'Liveness probe failed: sick\n']);
  await clock.advanceAsync(30_000);
  t.equal(events.length, 3, 'no probes while the restart is due');
  manager.setContainerState('uid-1', 'app', running('c2', clock.now()));
  t.equal(manager.livenessFailed('uid-1', 'app'), undefined);
  const text = await registry.getSingleMetricAsString('prober_probe_total');
  t.match(text, 'prober_probe_total{probe_type="Liveness",result="failed",container="app",pod="web-1",namespace="shop"} 3');
  manager.stop();
});

t.test('a failed startup probe also asks for the restart', async (t) => {
  const { clock, manager } = setup({ startup: () => execResult(1) });
  manager.addPod(pod([{ name: 'app', startupProbe: probe('startup', { failureThreshold: 2 }) }]));
  manager.setContainerState('uid-1', 'app', running('c1'));
  await clock.advanceAsync(20_000);
  t.equal(manager.livenessFailed('uid-1', 'app'), 'Container app failed startup probe, will be restarted');
  t.equal(manager.isStarted('uid-1', 'app'), false);
  manager.stop();
});

t.test('a probe that cannot run is an Event and counted unknown, and its result is thrown away', async (t) => {
  const { clock, manager, events, registry, changes } = setup({
    ready: () => {
      throw new Error('container c1 is not running');
    },
  });
  manager.addPod(pod([{ name: 'app', readinessProbe: probe('ready') }]));
  manager.setContainerState('uid-1', 'app', running('c1'));
  await clock.advanceAsync(0);
  t.same(events, [{ type: 'Warning', reason: 'Unhealthy', message: 'Readiness probe errored and resulted in unknown state: container c1 is not running' }]);
  t.equal(manager.isReady('uid-1', 'app'), false);
  t.same(changes, []);
  t.match(await registry.getSingleMetricAsString('prober_probe_total'), 'result="unknown"');
  manager.stop();
});

t.test('probes cover app containers and sidecars, not plain init containers; addPod is idempotent; removePod stops the workers', async (t) => {
  const { clock, manager, registry } = setup({ ok: () => execResult(0) });
  const p = pod([{ name: 'app', readinessProbe: probe('ok') }], [
    { name: 'init', readinessProbe: probe('ok'), livenessProbe: probe('ok') },
    { name: 'sidecar', restartPolicy: 'Always', livenessProbe: probe('ok'), startupProbe: probe('ok') },
  ]);
  manager.addPod(p);
  t.equal(clock.pending(), 3, 'readiness of app, liveness and startup of the sidecar');
  manager.addPod(p);
  t.equal(clock.pending(), 3, 'no second set of workers');
  manager.setContainerState('uid-1', 'sidecar', running('s1'));
  await clock.advanceAsync(0);
  t.equal(manager.isStarted('uid-1', 'sidecar'), true);
  t.equal(manager.isReady('uid-1', 'init'), false, 'the prober has no answer for a plain init container');
  manager.removePod('uid-1');
  t.equal(clock.pending(), 0);
  t.equal(manager.isReady('uid-1', 'app'), false);
  t.notMatch(await registry.getSingleMetricAsString('prober_probe_total'), 'pod="web-1"', 'its series went with it');
});

t.test('a pod being deleted gets a last liveness success instead of a restart', async (t) => {
  const { clock, manager, calls } = setup({ live: () => execResult(1) });
  const p = pod([{ name: 'app', livenessProbe: probe('live', { failureThreshold: 1 }) }]);
  manager.addPod(p);
  manager.addPod({ ...p, metadata: { ...p.metadata, deletionTimestamp: new Date(t0).toISOString() } });
  manager.setContainerState('uid-1', 'app', running('c1'));
  await clock.advanceAsync(30_000);
  t.equal(calls.length, 0);
  t.equal(manager.livenessFailed('uid-1', 'app'), undefined);
  t.equal(clock.pending(), 0, 'the worker stopped');
  manager.stop();
});

t.test('first probes are spread over a period while the kubelet has just started, and not after', async (t) => {
  const clock = new FakeClock(t0);
  const { exec, calls } = fakeExec(() => execResult(0));
  const manager = new ProbeManager({ exec, clock, logger: silent, random: () => 0.5, onChange: () => {}, recordEvent: () => {}, registry: new Registry() });
  manager.addPod(pod([{ name: 'app', livenessProbe: probe('live') }]));
  manager.setContainerState('uid-1', 'app', running('c1'));
  await clock.advanceAsync(4_999);
  t.equal(calls.length, 0);
  await clock.advanceAsync(1);
  t.equal(calls.length, 1, 'half a period in');
  await clock.advanceAsync(20_000);
  manager.addPod({ metadata: { name: 'late', namespace: 'shop', uid: 'uid-2' }, spec: { containers: [{ name: 'app', livenessProbe: probe('live') }] } });
  manager.setContainerState('uid-2', 'app', running('c2', clock.now()));
  const before = calls.length;
  await clock.advanceAsync(0);
  t.equal(calls.length, before + 1, 'no jitter once the kubelet has run a period');
  manager.stop();
});
