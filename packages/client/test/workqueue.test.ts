import t from 'tap';
import fc from 'fast-check';
import {
  BucketRateLimiter,
  defaultControllerRateLimiter,
  DelayingQueue,
  FakeClock,
  ItemExponentialFailureRateLimiter,
  MaxOfRateLimiter,
  Queue,
  RateLimitingQueue,
  runWorker,
} from '../src/index.js';

const tick = () => new Promise((r) => setImmediate(r));

t.test('a key queued twice is processed once; order is first-added', async (t) => {
  const q = new Queue();
  q.add('a');
  q.add('b');
  q.add('a');
  t.equal(q.len(), 2);
  t.same(await q.get(), { item: 'a', shutdown: false });
  t.same(await q.get(), { item: 'b', shutdown: false });
  t.equal(q.len(), 0);
});

t.test('a key being processed is held back when re-added, and queued again at done()', async (t) => {
  const q = new Queue();
  q.add('a');
  const first = await q.get();
  t.equal(first.item, 'a');
  t.ok(q.isProcessing('a'));
  q.add('a');
  q.add('a');
  t.equal(q.len(), 0, 'not handed to another worker while in process');
  let second: string | undefined;
  void q.get().then((r) => (second = r.item));
  await tick();
  t.equal(second, undefined, 'a second worker waits');
  q.done('a');
  await tick();
  t.equal(second, 'a', 're-queued once, after done');
  q.done('a');
  t.equal(q.len(), 0);
});

t.test('get() waits for a key; waiting workers are served in turn', async (t) => {
  const q = new Queue();
  const got: string[] = [];
  const w1 = q.get().then((r) => got.push(`w1:${r.item}`));
  const w2 = q.get().then((r) => got.push(`w2:${r.item}`));
  q.add('x');
  q.add('y');
  await Promise.all([w1, w2]);
  t.same(got, ['w1:x', 'w2:y']);
});

t.test('shutdown: queued keys drain first, then get() says shutdown; adds are ignored', async (t) => {
  const q = new Queue();
  const waiting = q.get();
  q.shutDown();
  t.same(await waiting, { item: undefined, shutdown: true }, 'a waiting worker is released');
  const q2 = new Queue();
  q2.add('a');
  q2.add('b');
  q2.shutDown();
  q2.add('c');
  t.equal(q2.len(), 2, 'no adds after shutdown');
  t.equal((await q2.get()).item, 'a');
  t.equal((await q2.get()).item, 'b');
  t.same(await q2.get(), { item: undefined, shutdown: true });

  const q3 = new Queue();
  q3.add('k');
  await q3.get();
  let drained = false;
  const d = q3.shutDownWithDrain().then(() => (drained = true));
  await tick();
  t.notOk(drained, 'waits for the key in process');
  q3.done('k');
  await d;
  t.ok(drained);
});

t.test('property: never two workers on one key, and every add after a take is processed again', async (t) => {
  type Op = { op: 'add'; key: number } | { op: 'take' } | { op: 'done'; pick: number };
  const ops = fc.array(
    fc.oneof(
      fc.record({ op: fc.constant('add' as const), key: fc.integer({ min: 0, max: 4 }) }),
      fc.record({ op: fc.constant('take' as const) }),
      fc.record({ op: fc.constant('done' as const), pick: fc.nat() }),
    ),
    { maxLength: 80 },
  );
  await fc.assert(
    fc.asyncProperty(ops, async (seq: Op[]) => {
      const q = new Queue<number>();
      const inProcess = new Set<number>();
      // A key needs processing if added after its last take.
      const needs = new Set<number>();
      const take = async () => {
        const r = await q.get();
        if (r.shutdown) throw new Error('unexpected shutdown');
        if (inProcess.has(r.item)) throw new Error(`key ${r.item} handed out twice`);
        inProcess.add(r.item);
        needs.delete(r.item);
      };
      for (const o of seq) {
        if (o.op === 'add') {
          q.add(o.key);
          needs.add(o.key);
        } else if (o.op === 'take') {
          if (q.len() > 0) await take();
        } else if (inProcess.size > 0) {
          const key = [...inProcess][o.pick % inProcess.size]!;
          inProcess.delete(key);
          q.done(key);
        }
        if (q.len() !== [...needs].filter((k) => !inProcess.has(k)).length) throw new Error('queue length is not the keys that need processing');
      }
      // Finish everything in process, then drain: every key that needed processing comes out exactly once.
      for (const k of [...inProcess]) {
        inProcess.delete(k);
        q.done(k);
      }
      const pending = new Set(needs);
      while (q.len() > 0) {
        const r = await q.get();
        if (r.shutdown || !pending.delete(r.item)) throw new Error(`unexpected ${String(r.item)}`);
        q.done(r.item);
      }
      return pending.size === 0;
    }),
    { numRuns: 300 },
  );
  t.pass('held for 300 random sequences');
});

t.test('addAfter: the key joins when its time comes; the earliest due time wins', async (t) => {
  const clock = new FakeClock();
  const q = new DelayingQueue({ clock });
  q.addAfter('a', 1000);
  q.addAfter('b', 0);
  t.equal(q.len(), 1, 'no delay: at once');
  clock.advance(999);
  t.equal(q.len(), 1);
  clock.advance(1);
  t.equal(q.len(), 2);
  q.addAfter('c', 500);
  q.addAfter('c', 2000);
  t.equal(q.waitingLen(), 1);
  clock.advance(500);
  t.equal(q.len(), 3, 'a later addAfter does not push a key back');
  q.addAfter('d', 2000);
  q.addAfter('d', 100);
  clock.advance(100);
  t.equal(q.len(), 4, 'an earlier one brings it forward');
  clock.advance(5000);
  t.equal(q.len(), 4, 'and it comes once');
  q.addAfter('e', 100);
  q.shutDown();
  t.equal(clock.pending(), 0, 'shutdown cancels the timers');
});

t.test('per-item exponential backoff: 5 ms doubling to 1000 s, reset by forget', async (t) => {
  const rl = new ItemExponentialFailureRateLimiter();
  const delays = Array.from({ length: 20 }, () => rl.when('k'));
  t.same(delays.slice(0, 5), [5, 10, 20, 40, 80]);
  t.equal(delays[17], 5 * 2 ** 17, '655 s');
  t.equal(delays[18], 1_000_000, 'capped at 1000 s');
  t.equal(delays[19], 1_000_000);
  t.equal(rl.numRequeues('k'), 20);
  t.equal(rl.when('other'), 5, 'per item');
  rl.forget('k');
  t.equal(rl.numRequeues('k'), 0);
  t.equal(rl.when('k'), 5);
  for (let i = 0; i < 2000; i++) rl.when('big');
  t.equal(rl.when('big'), 1_000_000, 'no overflow after many failures');
});

t.test('token bucket: 10 per second, bursts of 100', async (t) => {
  const clock = new FakeClock();
  const rl = new BucketRateLimiter(10, 100, { clock });
  const burst = Array.from({ length: 100 }, (_, i) => rl.when(`k${i}`));
  t.ok(burst.every((d) => d === 0), 'the first 100 go at once');
  t.equal(rl.when('x'), 100, 'then one every 100 ms');
  t.equal(rl.when('y'), 200);
  clock.advance(1000);
  // A second later ten tokens have come in: the debt of two is repaid and eight are left.
  const more = Array.from({ length: 8 }, () => rl.when('w'));
  t.same(more, [0, 0, 0, 0, 0, 0, 0, 0]);
  t.equal(rl.when('w'), 100, 'then waiting again');
});

t.test('the default controller limiter takes the longer of the two', async (t) => {
  const clock = new FakeClock();
  const rl = defaultControllerRateLimiter({ clock });
  t.same([rl.when('a'), rl.when('a'), rl.when('a')], [5, 10, 20], 'one failing key: its own backoff');
  for (let i = 0; i < 97; i++) rl.when(`k${i}`);
  t.equal(rl.when('fresh'), 100, 'burst spent: the bucket makes even a first failure wait');
  t.equal(rl.numRequeues('a'), 3);
  rl.forget('a');
  t.equal(rl.numRequeues('a'), 0);
  const max = new MaxOfRateLimiter(new ItemExponentialFailureRateLimiter(1, 8), new ItemExponentialFailureRateLimiter(3, 5));
  t.same([max.when('k'), max.when('k'), max.when('k'), max.when('k')], [3, 5, 5, 8]);
});

t.test('addRateLimited: retries come after 5, 10, 20 ms on the clock; forget resets', async (t) => {
  const clock = new FakeClock();
  const q = new RateLimitingQueue({ clock });
  const readyAfter: number[] = [];
  for (let i = 0; i < 3; i++) {
    const start = clock.now();
    q.addRateLimited('k');
    while (q.len() === 0) clock.fireNext();
    readyAfter.push(clock.now() - start);
    const r = await q.get();
    q.done(r.item!);
  }
  t.same(readyAfter, [5, 10, 20]);
  t.equal(q.numRequeues('k'), 3);
  q.forget('k');
  t.equal(q.numRequeues('k'), 0);
  q.addRateLimited('k');
  t.equal(clock.nextDue()! - clock.now(), 5);
});

t.test('workers: keys spread over workers, never one key on two, failures retried with backoff', async (t) => {
  const clock = new FakeClock();
  const q = new RateLimitingQueue({ clock });
  const active = new Set<string>();
  const overlaps: string[] = [];
  const attempts = new Map<string, number>();
  const gates: (() => void)[] = [];
  const reconcile = async (key: string) => {
    if (active.has(key)) overlaps.push(key);
    active.add(key);
    attempts.set(key, (attempts.get(key) ?? 0) + 1);
    await new Promise<void>((resolve) => gates.push(resolve));
    active.delete(key);
    if (key === 'flaky' && attempts.get(key)! < 3) throw new Error('not yet');
  };
  const errors: string[] = [];
  const workers = [0, 1, 2].map(() => runWorker(q, reconcile, { onError: (k, e) => errors.push(`${k}: ${(e as Error).message}`) }));
  q.add('a');
  q.add('flaky');
  await tick();
  q.add('a'); // while a is in process
  t.equal(gates.length, 2, 'a and flaky in process, on two workers');
  gates.splice(0).forEach((g) => g());
  await tick();
  await tick();
  t.same(errors, ['flaky: not yet']);
  t.equal(gates.length, 1, 'a again (re-added meanwhile); flaky waits for its backoff');
  t.equal(clock.nextDue()! - clock.now(), 5);
  clock.advance(5);
  await tick();
  t.equal(gates.length, 2, 'flaky retried after 5 ms');
  gates.splice(0).forEach((g) => g());
  await tick();
  await tick();
  clock.advance(10);
  await tick();
  t.equal(gates.length, 1, 'flaky retried after 10 ms');
  gates.splice(0).forEach((g) => g());
  await tick();
  await tick();
  t.equal(attempts.get('flaky'), 3);
  t.equal(q.numRequeues('flaky'), 0, 'forgotten after success');
  t.same(overlaps, [], 'no key on two workers at once');
  q.shutDown();
  await Promise.all(workers);
  t.pass('workers end at shutdown');
});

t.test('metrics: depth, adds, time queued and time in hand, retries, as client-go counts them', async (t) => {
  const clock = new FakeClock();
  const seen = { depth: 0, adds: 0, latency: [] as number[], work: [] as number[], retries: 0, unfinished: 0, longest: 0 };
  const q = new RateLimitingQueue<string>({
    clock,
    metrics: {
      depth: { inc: () => seen.depth++, dec: () => seen.depth-- },
      adds: { inc: () => seen.adds++ },
      latency: { observe: (s) => seen.latency.push(s) },
      workDuration: { observe: (s) => seen.work.push(s) },
      retries: { inc: () => seen.retries++ },
      unfinishedWork: { set: (s) => (seen.unfinished = s) },
      longestRunningProcessor: { set: (s) => (seen.longest = s) },
    },
  });
  q.add('a');
  q.add('a');
  q.add('b');
  t.equal(seen.depth, 2, 'a key queued twice is one deep');
  t.equal(seen.adds, 2, 'a duplicate add is not counted');
  clock.advance(1500);
  const a = await q.get();
  t.same(seen.latency, [1.5], 'queued for 1.5 s');
  t.equal(seen.depth, 1);
  clock.advance(250);
  q.updateUnfinishedWorkMetrics();
  t.equal(seen.unfinished, 0.25);
  t.equal(seen.longest, 0.25);
  q.addRateLimited(a.item!);
  t.equal(seen.retries, 1);
  q.done(a.item!);
  t.same(seen.work, [0.25], 'in hand for 0.25 s');
  q.shutDown();
});
