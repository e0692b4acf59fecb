// Where logs live and how the kubelet finds a container run's files for /containerLogs.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Pod } from '@kubets/api';
import t from 'tap';
import { containerLogFiles, containerLogPath, containerLogRelativePath, podLogDirectory } from '../src/logs/paths.js';
import { logFilesFinder } from '../src/server/log-files-finder.js';
import { cri, tempDir, writeLog } from './logs-fixtures.js';

t.test('the layout is upstream\'s: logs/<ns>_<pod>_<uid>/<container>/<restartCount>.log', async (t) => {
  t.equal(podLogDirectory('/var/lib/kubelet', 'default', 'web', 'u-1'), '/var/lib/kubelet/logs/default_web_u-1');
  t.equal(containerLogRelativePath('app', 2), 'app/2.log');
  t.equal(containerLogPath('/var/lib/kubelet', 'default', 'web', 'u-1', 'app', 2), '/var/lib/kubelet/logs/default_web_u-1/app/2.log');
});

t.test('a run\'s files are its rotated files in time order, then the current one', async (t) => {
  const dir = join(tempDir(t), 'app');
  mkdirSync(dir);
  for (const name of ['1.log.20260102-000000.000', '1.log.20260101-120000.500', '1.log', '10.log', '10.log.20260101-000000.000', '1.log.tmp', '0.log']) writeLog(join(dir, name));
  t.same(await containerLogFiles(join(dir, '1.log')), [join(dir, '1.log.20260101-120000.500'), join(dir, '1.log.20260102-000000.000'), join(dir, '1.log')]);
  t.same(await containerLogFiles(join(dir, '2.log')), [join(dir, '2.log')], 'the current file is listed before it exists');
  t.same(await containerLogFiles(join(dir, 'missing', '0.log')), [join(dir, 'missing', '0.log')], 'also when its directory does not exist');
});

t.test('logFilesFinder', async (t) => {
  const root = tempDir(t);
  const pod = {
    metadata: { name: 'web', namespace: 'default', uid: 'u-1' },
    spec: { containers: [{ name: 'app' }] },
    status: { containerStatuses: [{ name: 'app', ready: true, restartCount: 1, image: 'busybox', imageID: '', containerID: 'kubets-process://b', state: { running: {} }, lastState: { terminated: { exitCode: 1, containerID: 'kubets-process://a' } } }] },
  } as Pod;
  const current = containerLogPath(root, 'default', 'web', 'u-1', 'app', 1);
  mkdirSync(join(current, '..'), { recursive: true });
  writeLog(current, cri(1, 'stdout', 'F', 'x'));
  const asked: string[] = [];
  const find = logFilesFinder({ rootDir: root, pods: () => [pod], isContainerRunning: (id) => (asked.push(id), id === 'kubets-process://b') });

  const now = await find('default', 'web', 'app', false);
  if (!('files' in now)) throw new Error(now.error);
  t.same(now.files, [current]);
  t.equal(now.isRunning(), true);
  const before = await find('default', 'web', 'app', true);
  if (!('files' in before)) throw new Error(before.error);
  t.same(before.files, [containerLogPath(root, 'default', 'web', 'u-1', 'app', 0)]);
  t.equal(before.isRunning(), false);
  t.same(asked, ['kubets-process://b', 'kubets-process://a']);

  t.same(await find('default', 'other', 'app', false), { error: 'pod "other" cannot be found - no logs available', code: 400 });
  t.same(await find('default', 'web', 'sidecar', false), { error: 'container "sidecar" in pod "web" is not available', code: 400 });
});
