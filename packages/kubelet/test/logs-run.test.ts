// Which run of a container /containerLogs shows, as upstream's validateContainerLogStatus picks it.
import type { ContainerStatus, Pod } from '@kubets/api';
import t from 'tap';
import { selectLogRun } from '../src/logs/log-run.js';

function pod(status: Partial<ContainerStatus>, init = false): Pod {
  const s: ContainerStatus = { name: 'app', ready: false, restartCount: 0, image: 'busybox', imageID: '', ...status };
  return {
    metadata: { name: 'web', namespace: 'default' },
    spec: { containers: [{ name: 'app' }] },
    status: init ? { initContainerStatuses: [s] } : { containerStatuses: [s] },
  } as Pod;
}

const ended = (id: string) => ({ terminated: { exitCode: 1, containerID: id } });

t.test('a running container shows its current run', async (t) => {
  t.same(selectLogRun(pod({ state: { running: {} }, containerID: 'kubets-process://b', restartCount: 2 }), 'app', false), { containerId: 'kubets-process://b', attempt: 2 });
});

t.test('init containers are found too', async (t) => {
  t.same(selectLogRun(pod({ state: { running: {} }, containerID: 'kubets-process://i' }, true), 'app', false), { containerId: 'kubets-process://i', attempt: 0 });
});

t.test('previous is the last terminated run, one attempt back', async (t) => {
  const p = pod({ state: { running: {} }, lastState: ended('kubets-process://a'), containerID: 'kubets-process://b', restartCount: 1 });
  t.same(selectLogRun(p, 'app', true), { containerId: 'kubets-process://a', attempt: 0 });
  t.same(selectLogRun(pod({ state: { running: {} } }), 'app', true), { error: 'previous terminated container "app" in pod "web" not found' });
});

t.test('a container that ended shows that run', async (t) => {
  t.same(selectLogRun(pod({ state: ended('kubets-process://c') }), 'app', false), { containerId: 'kubets-process://c', attempt: 0 });
  t.same(selectLogRun(pod({ state: { terminated: { exitCode: 0 } } }), 'app', false), { error: 'container "app" in pod "web" is terminated' });
});

t.test('a container waiting after a crash shows the run that crashed', async (t) => {
  const p = pod({ state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: ended('kubets-process://a'), restartCount: 3 });
  t.same(selectLogRun(p, 'app', false), { containerId: 'kubets-process://a', attempt: 2 });
});

t.test('a container that never ran says why, in upstream words', async (t) => {
  t.same(selectLogRun(pod({ state: { waiting: { reason: 'ErrImagePull' } } }), 'app', false), { error: `container "app" in pod "web" is waiting to start: image can't be pulled` });
  t.same(selectLogRun(pod({ state: { waiting: { reason: 'ContainerCreating' } } }), 'app', false), { error: 'container "app" in pod "web" is waiting to start: ContainerCreating' });
  t.same(selectLogRun(pod({}), 'app', false), { error: 'container "app" in pod "web" is waiting to start - no logs yet' });
  t.same(selectLogRun(pod({}), 'other', false), { error: 'container "other" in pod "web" is not available' });
});
