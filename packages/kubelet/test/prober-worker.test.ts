// The probe worker: its decisions as table tests of pure functions, then its timing on a fake
// clock (no real waiting): first probe after the jitter, every period after, triggers, restarts.
import type { Probe } from '@kubets/api';
import { FakeClock } from '@kubets/client/clock';
import t from 'tap';
import { ProbeWorker } from '../src/prober/worker.js';
import {
  initialWorkerState,
  nextStep,
  observeContainer,
  recordResult,
  resultFor,
  type ContainerRun,
  type ProbeType,
  type WorkerState,
} from '../src/prober/worker-state.js';

const t0 = Date.UTC(2025, 0, 1);
const run = (containerId = 'c1', startedAt = t0): ContainerRun => ({ containerId, startedAt, podIP: '127.0.0.1' });
const spec: Probe = { exec: { command: ['true'] }, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 };

/** The published result after each of the results, from a fresh container. */
function publishedAfter(type: ProbeType, probe: Probe, results: Array<'success' | 'failure'>): Array<string | undefined> {
  let state: WorkerState = observeContainer(initialWorkerState, type, run());
  return results.map((r) => {
    state = recordResult(state, type, probe, r);
    return state.result;
  });
}

t.test('a new container starts at the initial result: readiness failure, liveness success, startup unknown', async (t) => {
  t.equal(observeContainer(initialWorkerState, 'readiness', run()).result, 'failure');
  t.equal(observeContainer(initialWorkerState, 'liveness', run()).result, 'success');
  t.equal(observeContainer(initialWorkerState, 'startup', run()).result, 'unknown');
});

t.test('failureThreshold counts consecutive failures; a success in between starts over', async (t) => {
  t.same(publishedAfter('readiness', spec, ['success', 'failure', 'failure', 'failure']), ['success', 'success', 'success', 'failure']);
  t.same(publishedAfter('readiness', spec, ['success', 'failure', 'failure', 'success', 'failure', 'failure']), ['success', 'success', 'success', 'success', 'success', 'success']);
  t.same(publishedAfter('readiness', { ...spec, failureThreshold: 1 }, ['success', 'failure']), ['success', 'failure']);
});

t.test('successThreshold counts consecutive successes before readiness passes again', async (t) => {
  const probe = { ...spec, successThreshold: 2 };
  t.same(publishedAfter('readiness', probe, ['success', 'success']), ['failure', 'success']);
  t.same(publishedAfter('readiness', probe, ['success', 'failure', 'success', 'success']), ['failure', 'failure', 'failure', 'success']);
});

t.test('a published liveness failure holds the worker until a new container, which starts over', async (t) => {
  let state = observeContainer(initialWorkerState, 'liveness', run('c1'));
  for (const r of ['failure', 'failure', 'failure'] as const) state = recordResult(state, 'liveness', spec, r);
  t.equal(state.result, 'failure');
  t.equal(state.onHold, true);
  const ctx = { run: run('c1'), started: true, deleting: false, now: t0 + 60_000 };
  t.equal(nextStep(state, 'liveness', spec, ctx), 'wait', 'no probes of a container about to be restarted');
  state = observeContainer(state, 'liveness', run('c2', t0 + 60_000));
  t.same(state, { containerId: 'c2', result: 'success', onHold: false, lastResult: undefined, resultRun: 0 });
  t.equal(nextStep(state, 'liveness', spec, { ...ctx, run: run('c2', t0 + 60_000) }), 'probe');
  t.equal(resultFor(state, 'c1'), undefined, 'no result about the old container');
});

t.test('a startup probe is decided once: success or failure holds the worker', async (t) => {
  let state = observeContainer(initialWorkerState, 'startup', run());
  state = recordResult(state, 'startup', spec, 'success');
  t.equal(state.result, 'success');
  t.equal(state.onHold, true);
  state = observeContainer(initialWorkerState, 'startup', run());
  for (const r of ['failure', 'failure', 'failure'] as const) state = recordResult(state, 'startup', spec, r);
  t.same([state.result, state.onHold], ['failure', true]);
});

t.test('a container that is not running reads as failed', async (t) => {
  const state = observeContainer(observeContainer(initialWorkerState, 'liveness', run()), 'liveness', undefined);
  t.equal(state.result, 'failure');
  t.equal(nextStep(state, 'liveness', spec, { run: undefined, started: false, deleting: false, now: t0 }), 'wait');
  t.equal(observeContainer(initialWorkerState, 'readiness', undefined).result, undefined, 'no result before any container');
});

t.test('no probe before initialDelaySeconds (whole seconds since the start)', async (t) => {
  const probe = { ...spec, initialDelaySeconds: 5 };
  const state = observeContainer(initialWorkerState, 'liveness', run());
  const at = (ms: number) => nextStep(state, 'liveness', probe, { run: run(), started: true, deleting: false, now: t0 + ms });
  t.same([at(0), at(4_999), at(5_000), at(6_000)], ['wait', 'wait', 'probe', 'probe']);
});

t.test('startup gates the others: startup probes until started, readiness and liveness only after', async (t) => {
  const ctx = (type: ProbeType, started: boolean) => nextStep(observeContainer(initialWorkerState, type, run()), type, spec, { run: run(), started, deleting: false, now: t0 });
  t.same([ctx('startup', false), ctx('startup', true)], ['probe', 'wait']);
  t.same([ctx('readiness', false), ctx('readiness', true)], ['wait', 'probe']);
  t.same([ctx('liveness', false), ctx('liveness', true)], ['wait', 'probe']);
});

t.test('a pod being deleted gets a last liveness/startup success; readiness keeps probing', async (t) => {
  const ctx = { run: run(), started: true, deleting: true, now: t0 };
  t.equal(nextStep(observeContainer(initialWorkerState, 'liveness', run()), 'liveness', spec, ctx), 'succeedAndStop');
  t.equal(nextStep(observeContainer(initialWorkerState, 'startup', run()), 'startup', spec, { ...ctx, started: false }), 'succeedAndStop');
  t.equal(nextStep(observeContainer(initialWorkerState, 'readiness', run()), 'readiness', spec, ctx), 'probe');
});

const silent = { debug() {}, info() {}, warn() {}, error() {} };

function makeWorker(clock: FakeClock, type: ProbeType, results: Array<'success' | 'failure'>, o: { firstDelayMs?: number; started?: boolean; probe?: Probe } = {}) {
  const probedAt: number[] = [];
  let changes = 0;
  const worker = new ProbeWorker({
    type,
    spec: o.probe ?? spec,
    clock,
    logger: silent,
    firstDelayMs: o.firstDelayMs ?? 0,
    isStarted: () => o.started ?? true,
    isDeleting: () => false,
    probe: async () => {
      probedAt.push(clock.now() - t0);
      return results.shift() ?? 'success';
    },
    onResult: () => changes++,
  });
  return { worker, probedAt, changes: () => changes };
}

t.test('the worker probes first after its jitter, then every period, and reports each change once', async (t) => {
  const clock = new FakeClock(t0);
  const { worker, probedAt, changes } = makeWorker(clock, 'readiness', ['success', 'success', 'failure', 'failure', 'failure'], { firstDelayMs: 3_000 });
  worker.setContainer(run());
  worker.start();
  await clock.advanceAsync(50_000);
  t.same(probedAt, [3_000, 13_000, 23_000, 33_000, 43_000]);
  t.equal(worker.result('c1'), 'failure');
  t.equal(changes(), 2, 'failure -> success -> failure');
  worker.stop();
  t.equal(clock.pending(), 0, 'stop leaves no timer');
});

t.test('a trigger probes at once and restarts the period from then', async (t) => {
  const clock = new FakeClock(t0);
  const { worker, probedAt } = makeWorker(clock, 'readiness', []);
  worker.setContainer(run());
  worker.start();
  await clock.advanceAsync(4_000);
  worker.trigger();
  await clock.advanceAsync(20_000);
  t.same(probedAt, [0, 4_000, 14_000, 24_000]);
  t.equal(clock.pending(), 1, 'one timer: the trigger replaced the old one');
  worker.stop();
});

t.test('a result that arrives after the container was replaced is thrown away', async (t) => {
  const clock = new FakeClock(t0);
  let release: (r: 'failure') => void = () => {};
  const worker = new ProbeWorker({
    type: 'readiness',
    spec: { ...spec, failureThreshold: 1 },
    clock,
    logger: silent,
    firstDelayMs: 0,
    isStarted: () => true,
    isDeleting: () => false,
    probe: () => new Promise((resolve) => (release = resolve)),
    onResult: () => {},
  });
  worker.setContainer(run('c1'));
  worker.start();
  await clock.advanceAsync(0);
  worker.setContainer(run('c2'));
  release('failure');
  await clock.advanceAsync(0);
  t.equal(worker.result('c2'), 'failure', 'the initial result of the new container, not a probe');
  t.equal(worker.result('c1'), undefined);
  worker.stop();
});

t.test('liveness: three failures in a row fail once, then no probing until the restart', async (t) => {
  const clock = new FakeClock(t0);
  const { worker, probedAt, changes } = makeWorker(clock, 'liveness', ['failure', 'failure', 'failure']);
  worker.setContainer(run('c1'));
  worker.start();
  await clock.advanceAsync(60_000);
  t.same(probedAt, [0, 10_000, 20_000]);
  t.equal(worker.result('c1'), 'failure');
  t.equal(changes(), 1);
  worker.setContainer(run('c2', clock.now()));
  t.equal(worker.result('c2'), 'success');
  await clock.advanceAsync(10_000);
  t.equal(probedAt.length, 4, 'probing again for the new container');
  worker.stop();
});
