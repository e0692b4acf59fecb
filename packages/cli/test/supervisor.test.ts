// The supervisor and the process it watches, on tiny real processes: what crashes comes back
// after a back-off that doubles, what we stop stays down, and a process that exits before it
// is ready says so with its last output.
import t, { type Test } from 'tap';
import { eventually } from '@kubets/testing';
import { ManagedProcess, ProcessExitedError } from '../src/launch/managed-process.js';
import { Supervisor, type RestartEvent } from '../src/launch/supervisor.js';

/** A node process under a supervisor, its crashes recorded; both stopped when the test ends. */
function supervised(t: Test, name: string, script: string, initialBackoffMs: number) {
  const proc = new ManagedProcess({ name, command: process.execPath, args: ['-e', script], ready: async () => true });
  const supervisor = new Supervisor({ initialBackoffMs, maxBackoffMs: 1000 });
  const crashes: RestartEvent[] = [];
  supervisor.on('crash', (e: RestartEvent) => crashes.push(e));
  supervisor.watch(proc);
  t.teardown(async () => {
    supervisor.close();
    await proc.stop(0);
  });
  proc.start();
  return { proc, supervisor, crashes };
}

t.test('a process that exits on its own is restarted, each back-off twice the one before', async (t) => {
  const { supervisor, crashes } = supervised(t, 'crasher', 'setTimeout(() => process.exit(3), 20)', 10);
  await eventually(() => supervisor.restarts('crasher') >= 3, 'three restarts', 20_000);
  t.same(crashes.slice(0, 3).map((c) => c.delayMs), [10, 20, 40]);
  t.same(crashes.slice(0, 3).map((c) => c.exit.code), [3, 3, 3], 'each crash carries its exit code');
  t.ok(crashes.every((c) => !c.exit.expected), 'none was expected');
});

t.test('a process we stop stays down', async (t) => {
  const { proc, supervisor, crashes } = supervised(t, 'sleeper', 'setInterval(() => {}, 1000)', 10);
  await proc.waitReady(5000);
  await proc.stop(2000);
  t.equal(proc.lastExit?.expected, true, 'the exit is marked as ours');
  t.equal(crashes.length, 0);
  t.equal(proc.running, false);
  t.equal(supervisor.restarts('sleeper'), 0);
});

t.test('a SIGKILL counts as a crash and names the signal', async (t) => {
  const { proc, crashes } = supervised(t, 'victim', 'setInterval(() => {}, 1000)', 10);
  const first = proc.pid;
  await proc.kill('SIGKILL');
  await eventually(() => proc.running && proc.pid !== first, 'running again under a new pid', 10_000);
  t.equal(crashes[0]?.exit.signal, 'SIGKILL');
});

t.test('waiting for readiness fails at once, with the output, when the process exits', async (t) => {
  const proc = new ManagedProcess({
    name: 'broken', command: process.execPath, args: ['-e', 'console.error("cannot bind 127.0.0.1:1"); process.exit(2)'], ready: async () => false,
  });
  proc.start();
  const err = await proc.waitReady(30_000).then(() => undefined, (e: unknown) => e);
  t.ok(err instanceof ProcessExitedError, String(err));
  t.match((err as Error).message, /broken exited \(code 2\) before it was ready/);
  t.match((err as Error).message, /cannot bind 127\.0\.0\.1:1/);
});
