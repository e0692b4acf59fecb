// Which etcd versions order progress notifications after events (the condition for consistent
// reads from the watch cache), and how the member check caches, retries and fails safe.
import t from 'tap';
import { supportsRequestWatchProgress, watchProgressChecker } from '../src/etcd3/feature-support.js';

t.test('versions', async (t) => {
  for (const v of ['3.4.31', '3.4.37', '3.5.13', '3.5.21', '3.6.0', '3.7.1', '4.0.0']) t.ok(supportsRequestWatchProgress(v), v);
  for (const v of ['3.4.0', '3.4.23', '3.4.30', '3.5.0', '3.5.12', '3.3.27', '2.3.8', '', 'not-a-version']) t.notOk(supportsRequestWatchProgress(v), v || '(empty)');
});

t.test('every member must support it; an unreachable member means not yet, asked again later', async (t) => {
  let answers: (string | undefined)[] = ['3.4.31', undefined, '3.4.31'];
  let asked = 0;
  const check = watchProgressChecker(async () => (asked++, answers), 0);
  t.equal(await check(), false, 'one member did not answer');
  answers = ['3.4.31', '3.5.13', '3.4.31'];
  t.equal(await check(), true, 'all answered with versions that have it');
  t.equal(await check(), true);
  t.equal(asked, 2, 'a definite answer is kept');

  const old = watchProgressChecker(async () => ['3.4.31', '3.4.23', '3.4.31'], 0);
  t.equal(await old(), false, 'one old member is enough to read etcd instead');

  let calls = 0;
  const failing = watchProgressChecker(async () => (calls++, Promise.reject(new Error('down'))), 60_000);
  t.equal(await failing(), false);
  t.equal(await failing(), false);
  t.equal(calls, 1, 'within the retry interval, not asked again');
});
