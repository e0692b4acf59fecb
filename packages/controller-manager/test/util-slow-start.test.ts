// Slow start: creates go out in batches of 1, 2, 4 ..., and the first failing batch is the last.
import t from 'tap';
import { slowStartBatch, slowStartBatchSizes } from '../src/controller/util/slow-start.js';

t.test('batches double from the initial size up to what remains', async (t) => {
  t.same(slowStartBatchSizes(10, 1), [1, 2, 4, 3]);
  t.same(slowStartBatchSizes(1, 1), [1]);
  t.same(slowStartBatchSizes(0, 1), []);
  t.same(slowStartBatchSizes(7, 1), [1, 2, 4]);
});

t.test('all calls succeed: every one is made', async (t) => {
  let calls = 0;
  const r = await slowStartBatch(10, 1, async () => void calls++);
  t.same(r, { successes: 10 });
  t.equal(calls, 10);
});

t.test('a failing batch stops the rest, and reports the successes and the first error', async (t) => {
  let calls = 0;
  const r = await slowStartBatch(10, 1, async () => {
    calls++;
    if (calls === 3) throw new Error('quota');
  });
  t.equal(calls, 3, 'batches 1 and 2 ran; the batch of 4 never started');
  t.equal(r.successes, 2);
  t.equal((r.error as Error).message, 'quota');
});
