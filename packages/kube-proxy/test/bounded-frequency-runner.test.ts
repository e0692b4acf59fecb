// The sync runner: a burst of two runs, then no more than one per minInterval however many ask;
// at least one per maxInterval; one run at a time, and a request during a run gets a run after it.
import t from 'tap';
import { FakeClock, flushAsync } from '@kubets/client';
import { BoundedFrequencyRunner } from '../src/sync/bounded-frequency-runner.js';

function setup(minIntervalMs: number, maxIntervalMs: number) {
  const clock = new FakeClock(0);
  const runs: number[] = [];
  let gate: Promise<void> | undefined;
  const runner = new BoundedFrequencyRunner(async () => {
    runs.push(clock.now());
    await gate;
  }, { minIntervalMs, maxIntervalMs, burst: 2, clock });
  const advance = async (ms: number) => {
    await flushAsync();
    clock.advance(ms);
    await flushAsync();
  };
  return { clock, runs, runner, advance, hold: (p: Promise<void> | undefined) => (gate = p) };
}

t.test('requests beyond the burst wait for the bucket and fold into one run', async (t) => {
  const { runs, runner, advance } = setup(1000, 60_000);
  runner.start();
  await advance(0);
  for (let i = 0; i < 1000; i++) {
    runner.run();
    await advance(1);
  }
  // t=0: the start and the first request (the burst of two); then one per second, however many asked.
  t.same(runs, [0, 0, 1000]);
  await advance(1000);
  t.same(runs, [0, 0, 1000], 'no request since: no run');
  await runner.stop();
});

t.test('at least one run per maxInterval with no requests', async (t) => {
  const { runs, runner, advance } = setup(1000, 30_000);
  runner.start();
  await advance(0);
  await advance(30_000);
  await advance(30_000);
  t.same(runs, [0, 30_000, 60_000]);
  await runner.stop();
});

t.test('one run at a time; a request during a run is followed by a run', async (t) => {
  const { runs, runner, advance, hold } = setup(0, 60_000);
  let release!: () => void;
  hold(new Promise<void>((r) => (release = r)));
  runner.start();
  await advance(0);
  runner.run();
  runner.run();
  await advance(10);
  t.equal(runs.length, 1, 'the second waits for the first');
  hold(undefined);
  release();
  await advance(0);
  await advance(0);
  t.equal(runs.length, 2, 'the requests during the run fold into one run after it');
  await runner.stop();
});

t.test('retryAfter brings the next run forward, never back', async (t) => {
  const { runs, runner, advance } = setup(100, 60_000);
  runner.start();
  await advance(0);
  runner.retryAfter(500);
  await advance(499);
  t.equal(runs.length, 1);
  await advance(1);
  t.same(runs, [0, 500]);
  await runner.stop();
});

t.test('a run that throws is reported and the runner goes on', async (t) => {
  const clock = new FakeClock(0);
  const errors: unknown[] = [];
  let n = 0;
  const runner = new BoundedFrequencyRunner(async () => {
    n++;
    if (n === 1) throw new Error('boom');
  }, { minIntervalMs: 0, maxIntervalMs: 1000, clock, onError: (e) => errors.push(e) });
  runner.start();
  await flushAsync();
  runner.run();
  await flushAsync();
  await flushAsync();
  t.equal(n, 2);
  t.equal(errors.length, 1);
  await runner.stop();
  t.equal(clock.pending(), 0, 'stop cancels the timer');
});
