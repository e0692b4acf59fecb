// Restart safety: a new runtime on the same root dir adopts the containers an earlier one left
// running (no duplicate, logs go on, stop works), reports those that exited meanwhile with the
// code their wrapper recorded, and never takes a reused pid for a container.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { eventually } from '@kubets/testing';
import t from 'tap';
import { stillRunning } from '@kubets/component-base';
import { RecordStore } from '../src/runtime/records.js';
import { containerConfig, groupMembers, logEntries, processesMentioning, runContainer, startRuntime, tempRoot } from './runtime-fixtures.js';

// Writes a line each time the file $T has a new number in it, so the test decides when it talks.
const talker = 'n=0; while :; do if [ -e "$T.$n" ]; then echo "tick $n"; n=$((n+1)); fi; sleep 0.02; done';

t.test('a new runtime adopts a running container: no duplicate, its log goes on, stop works', async (t) => {
  const root = await tempRoot(t);
  const first = await startRuntime(t, root);
  const ticks = join(root, 'tick');
  const { id } = await runContainer(first, root, containerConfig('long', ['sh', '-c', talker], { env: [{ name: 'T', value: ticks }] }));
  const before = first.containerStatus(id)!;
  await writeFile(`${ticks}.0`, '');
  await eventually(async () => existsSync(before.logPath) && (await logEntries(before.logPath)).length === 1, 'tick 0 logged');
  const wrappers = processesMentioning(id);
  t.equal(wrappers.length, 2, 'unshare and the wrapper shell');
  await first.close();

  await writeFile(`${ticks}.1`, ''); // written while no runtime reads: it waits in the FIFO
  const second = await startRuntime(t, root);
  await second.recover();
  t.equal(second.listContainers().length, 1);
  t.match(second.containerStatus(id), { state: 'running', pid: before.pid });
  t.same(processesMentioning(id), wrappers, 'the same processes, none started again');
  await writeFile(`${ticks}.2`, '');
  await eventually(async () => (await logEntries(before.logPath)).length === 3, 'ticks 1 and 2 logged by the new runtime');
  t.same((await logEntries(before.logPath)).map((e) => e.text), ['tick 0', 'tick 1', 'tick 2']);
  await second.stopContainer(id, 5);
  t.match(second.containerStatus(id), { state: 'exited', exitCode: 143, signal: 'SIGTERM' });
  t.same(groupMembers(before.pid!), []);
});

t.test('a container that exited while no runtime watched reports its recorded exit code', async (t) => {
  const root = await tempRoot(t);
  const first = await startRuntime(t, root);
  const go = join(root, 'go');
  const { id } = await runContainer(first, root, containerConfig('brief', ['sh', '-c', 'while [ ! -e "$GO" ]; do sleep 0.02; done; echo bye; exit 7'], { env: [{ name: 'GO', value: go }] }));
  const leader = { pid: first.containerStatus(id)!.pid! };
  await first.close();
  await writeFile(go, '');
  await eventually(() => !stillRunning(leader), 'the container ended', 10_000);

  const second = await startRuntime(t, root);
  await second.recover();
  t.match(second.containerStatus(id), { state: 'exited', exitCode: 7, reason: 'Error', message: /kubelet was down/ });
  t.ok(second.containerStatus(id)!.finishedAt > 0);
});

t.test('a recorded pid that now belongs to another process is not adopted', async (t) => {
  const root = await tempRoot(t);
  const store = new RecordStore(root);
  // This test's own pid, recorded with a start time it does not have: a reused pid.
  store.saveContainer({
    id: 'f'.repeat(32), sandboxId: 'e'.repeat(32), config: containerConfig('ghost', ['true']), imageRef: 'kubets-process://busybox@/bin/sh',
    argv: ['true'], env: {}, workingDir: root, isolation: 'none', state: 'running', createdAt: 1, startedAt: 2, finishedAt: 0,
    leader: { pid: process.pid, startTime: '1' }, logPath: join(root, 'ghost.log'),
  });
  const runtime = await startRuntime(t, root);
  await runtime.recover();
  t.match(runtime.containerStatus('f'.repeat(32)), { state: 'exited', exitCode: 137, reason: 'ContainerStatusUnknown' });
  t.equal(runtime.containerStatus('f'.repeat(32))?.pid, undefined);
});
