// The volume manager on a temporary root directory: ConfigMap, Secret, downward API and projected
// files with their items, modes and optional sources; refresh on change; hostPath type checks;
// subPath; emptyDir (a tmpfs for medium Memory as root); teardown.
import { execFile } from 'node:child_process';
import { readFile, readdir, readlink, stat, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Pod, Volume } from '@kubets/api';
import t, { type Test } from 'tap';
import { ContainerConfigError } from '../src/container/errors.js';
import { createStaticObjectSource, type StaticObjectSource } from '../src/sources/static-source.js';
import { isMountPoint } from '../src/volumes/mount-table.js';
import { VolumeError } from '../src/volumes/types.js';
import { createVolumeManager } from '../src/volumes/volume-manager.js';
import { configMap, secret } from './env-fixtures.js';
import { tempDir } from './volumes-fixtures.js';

const isRoot = process.getuid?.() === 0;
const uid = 'a1b2c3d4-0000-4000-8000-000000000001';
const silent = { info() {}, warn() {}, error() {} };

function podWith(volumes: Volume[], mounts: NonNullable<Pod['spec']>['containers'][number]['volumeMounts'] = []): Pod {
  return {
    metadata: { namespace: 'ns', name: 'web', uid, labels: { app: 'web' }, annotations: { a: '1' } },
    spec: { nodeName: 'node-a', containers: [{ name: 'main', image: 'busybox', volumeMounts: mounts, resources: { limits: { memory: '64Mi' } } }], volumes },
  } as Pod;
}

async function setUp(t: Pick<Test, 'teardown'>, objects: Parameters<typeof createStaticObjectSource>[0] = {}, logger = silent) {
  const rootDir = await tempDir(t);
  const source: StaticObjectSource = createStaticObjectSource(objects);
  const manager = createVolumeManager({ rootDir, source, nodeName: 'node-a', logger, isRoot, allocatable: { memory: '8Gi' } });
  const dir = (plugin: string, name: string) => join(rootDir, 'pods', uid, 'volumes', `kubernetes.io~${plugin}`, name);
  return { rootDir, source, manager, dir };
}

const mode = async (path: string) => (await stat(path)).mode & 0o7777;
const userFiles = async (dir: string) => (await readdir(dir)).filter((n) => !n.startsWith('..')).sort();

t.test('configMap: every key as a file with defaultMode, binaryData too', async (t) => {
  const { manager, dir } = await setUp(t, { configMaps: [configMap('ns', 'cfg', { 'app.conf': 'x=1', other: 'y' }, { 'logo.bin': Buffer.from([0, 1, 2]).toString('base64') })] });
  await manager.setUpPod(podWith([{ name: 'config', configMap: { name: 'cfg', defaultMode: 0o440 } }]));
  const d = dir('configmap', 'config');
  t.same(await userFiles(d), ['app.conf', 'logo.bin', 'other']);
  t.equal(await readFile(join(d, 'app.conf'), 'utf8'), 'x=1');
  t.same([...(await readFile(join(d, 'logo.bin')))], [0, 1, 2]);
  t.equal(await mode(join(d, 'app.conf')), 0o440);
  t.equal(await readlink(join(d, 'app.conf')), '..data/app.conf');
});

t.test('secret: items at their paths with per-item modes; values decoded', async (t) => {
  const { manager, dir } = await setUp(t, { secrets: [secret('ns', 'creds', { user: 'admin', pass: 'hunter2', unused: 'z' })] });
  await manager.setUpPod(podWith([{ name: 'creds', secret: { secretName: 'creds', items: [{ key: 'user', path: 'u/name' }, { key: 'pass', path: 'password', mode: 0o400 }] } }]));
  const d = dir('secret', 'creds');
  t.same(await userFiles(d), ['password', 'u']);
  t.equal(await readFile(join(d, 'u/name'), 'utf8'), 'admin');
  t.equal(await readFile(join(d, 'password'), 'utf8'), 'hunter2');
  t.equal(await mode(join(d, 'password')), 0o400);
  t.equal(await mode(join(d, 'u/name')), 0o644, 'the default mode');
});

t.test('optional: a missing object gives an empty volume, a missing item is skipped', async (t) => {
  const { manager, dir } = await setUp(t, { configMaps: [configMap('ns', 'cfg', { a: '1' })] });
  await manager.setUpPod(
    podWith([
      { name: 'gone', configMap: { name: 'nope', optional: true } },
      { name: 'gone-secret', secret: { secretName: 'nope', optional: true } },
      { name: 'partial', configMap: { name: 'cfg', optional: true, items: [{ key: 'a', path: 'a' }, { key: 'b', path: 'b' }] } },
    ]),
  );
  t.same(await userFiles(dir('configmap', 'gone')), []);
  t.same(await userFiles(dir('secret', 'gone-secret')), []);
  t.same(await userFiles(dir('configmap', 'partial')), ['a']);
});

t.test('a missing ConfigMap, Secret or key that is not optional is a FailedMount in upstream words', async (t) => {
  const { manager } = await setUp(t, { configMaps: [configMap('ns', 'cfg', { a: '1' })], secrets: [secret('ns', 's', { a: '1' })] });
  const cases: Array<[Volume, string]> = [
    [{ name: 'x', configMap: { name: 'y' } }, 'MountVolume.SetUp failed for volume "x" : configmap "y" not found'],
    [{ name: 'x', secret: { secretName: 'y' } }, 'MountVolume.SetUp failed for volume "x" : secret "y" not found'],
    [{ name: 'x', configMap: { name: 'cfg', items: [{ key: 'b', path: 'b' }] } }, 'MountVolume.SetUp failed for volume "x" : configmap references non-existent config key: b'],
    [{ name: 'x', secret: { secretName: 's', items: [{ key: 'b', path: 'b' }] } }, 'MountVolume.SetUp failed for volume "x" : references non-existent secret key: b'],
    [{ name: 'x', projected: { sources: [{ configMap: { name: 'y' } }] } }, 'MountVolume.SetUp failed for volume "x" : configmap "y" not found'],
  ];
  for (const [volume, message] of cases) {
    const err = await manager.setUpPod(podWith([volume])).then(() => undefined, (e: unknown) => e);
    t.ok(err instanceof VolumeError, message);
    t.match(err, { reason: 'FailedMount', message });
  }
  await t.rejects(manager.setUpPod(podWith([{ name: 'claim', persistentVolumeClaim: { claimName: 'c' } }])), { reason: 'VolumesUnsupported', message: 'volume "claim": persistentVolumeClaim volumes are not supported by this kubelet' });
});

t.test('downwardAPI and projected: pod fields, labels, resource limits, several sources in one directory', async (t) => {
  const { manager, dir } = await setUp(t, { configMaps: [configMap('ns', 'cfg', { 'app.conf': 'x=1' })], secrets: [secret('ns', 's', { token: 't0k' })] });
  const downward = { items: [{ path: 'name', fieldRef: { fieldPath: 'metadata.name' } }, { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'mem_mi', resourceFieldRef: { containerName: 'main', resource: 'limits.memory', divisor: '1Mi' } }] };
  await manager.setUpPod(
    podWith([
      { name: 'podinfo', downwardAPI: { ...downward, defaultMode: 0o444 } },
      { name: 'all', projected: { defaultMode: 0o400, sources: [{ configMap: { name: 'cfg' } }, { secret: { name: 's', items: [{ key: 'token', path: 'creds/token', mode: 0o440 }] } }, { downwardAPI: { items: [{ path: 'uid', fieldRef: { fieldPath: 'metadata.uid' } }] } }, { serviceAccountToken: { path: 'sa-token' } }] } },
    ]),
  );
  const info = dir('downward-api', 'podinfo');
  t.equal(await readFile(join(info, 'name'), 'utf8'), 'web');
  t.equal(await readFile(join(info, 'labels'), 'utf8'), 'app="web"');
  t.equal(await readFile(join(info, 'mem_mi'), 'utf8'), '64');
  t.equal(await mode(join(info, 'name')), 0o444);
  const all = dir('projected', 'all');
  t.same(await userFiles(all), ['app.conf', 'creds', 'uid'], 'serviceAccountToken is not written (no TokenRequest API yet)');
  t.equal(await readFile(join(all, 'creds/token'), 'utf8'), 't0k');
  t.equal(await mode(join(all, 'creds/token')), 0o440);
  t.equal(await mode(join(all, 'app.conf')), 0o400);
  t.equal(await readFile(join(all, 'uid'), 'utf8'), uid);
});

t.test('refreshPod rewrites a changed ConfigMap through a new ..data version and leaves an unchanged one alone', async (t) => {
  const { manager, dir, source } = await setUp(t, { configMaps: [configMap('ns', 'cfg', { a: '1' }), configMap('ns', 'still', { s: '1' })] });
  const pod = podWith([{ name: 'config', configMap: { name: 'cfg' } }, { name: 'still', configMap: { name: 'still' } }, { name: 'scratch', emptyDir: {} }]);
  await manager.setUpPod(pod);
  const d = dir('configmap', 'config');
  const before = await readlink(join(d, '..data'));
  const stillBefore = await readlink(join(dir('configmap', 'still'), '..data'));
  await writeFile(join(dir('empty-dir', 'scratch'), 'kept'), 'data');
  source.put('ConfigMap', configMap('ns', 'cfg', { a: '2', b: 'new' }));
  await manager.refreshPod(pod);
  t.equal(await readFile(join(d, 'a'), 'utf8'), '2');
  t.equal(await readFile(join(d, 'b'), 'utf8'), 'new');
  t.not(await readlink(join(d, '..data')), before);
  t.same((await readdir(d)).filter((n) => /^\.\.\d/.test(n)), [await readlink(join(d, '..data'))], 'the old version directory is gone');
  t.equal(await readlink(join(dir('configmap', 'still'), '..data')), stillBefore, 'no rewrite without a change');
  t.equal(await readFile(join(dir('empty-dir', 'scratch'), 'kept'), 'utf8'), 'data', 'refresh leaves emptyDirs alone');
});

t.test('hostPath: each type checked with upstream messages; OrCreate types make what is missing', async (t) => {
  const { manager, rootDir } = await setUp(t);
  const host = join(rootDir, 'host');
  const hostPath = (path: string, type?: string): Volume => ({ name: 'h', hostPath: { path, ...(type !== undefined ? { type } : {}) } });
  await manager.setUpPod(podWith([hostPath(join(host, 'made/dir'), 'DirectoryOrCreate')]));
  t.ok((await stat(join(host, 'made/dir'))).isDirectory());
  t.equal(await mode(join(host, 'made/dir')), 0o755 & ~process.umask());
  await manager.setUpPod(podWith([hostPath(join(host, 'made/file'), 'FileOrCreate')]));
  t.ok((await stat(join(host, 'made/file'))).isFile());
  await manager.setUpPod(podWith([hostPath(join(host, 'made/dir'), 'Directory'), hostPath(join(host, 'made/file'), 'File'), hostPath('/dev/null', 'CharDevice'), hostPath(join(host, 'anything'), '')]));

  const sock = join(host, 's.sock');
  const server = createServer().listen(sock);
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  await new Promise((resolve) => server.once('listening', resolve));
  await manager.setUpPod(podWith([hostPath(sock, 'Socket')]));

  const failures: Array<[string, string | undefined, string]> = [
    [join(host, 'made/file'), 'Directory', `hostPath type check failed: ${join(host, 'made/file')} is not a directory, it's a File`],
    [join(host, 'made/dir'), 'File', `hostPath type check failed: ${join(host, 'made/dir')} is not a file, it's a Directory`],
    [join(host, 'made/file'), 'DirectoryOrCreate', `hostPath type check failed: ${join(host, 'made/file')} is not a directory, it's a File`],
    [join(host, 'missing'), 'Directory', `hostPath ${join(host, 'missing')} doesn't exist`],
    [join(host, 'made/file'), 'Socket', `hostPath type check failed: ${join(host, 'made/file')} is not a socket file, it's a File`],
    ['/dev/null', 'BlockDevice', "hostPath type check failed: /dev/null is not a block device, it's a CharDevice"],
    [join(host, 'made/dir'), 'CharDevice', `hostPath type check failed: ${join(host, 'made/dir')} is not a character device, it's a Directory`],
    [join(host, 'made/dir'), 'Folder', 'Folder is an invalid volume type'],
  ];
  for (const [path, type, message] of failures) {
    await t.rejects(manager.setUpPod(podWith([hostPath(path, type)])), { reason: 'FailedMount', message: `MountVolume.SetUp failed for volume "h" : ${message}` }, `${type} on ${path}`);
  }
});

t.test('containerMounts: volume paths, subPath, read-only for the projected kinds', async (t) => {
  const { manager, dir, rootDir } = await setUp(t, { configMaps: [configMap('ns', 'cfg', { 'app.conf': 'x=1' })] });
  const pod = podWith(
    [{ name: 'config', configMap: { name: 'cfg' } }, { name: 'data', emptyDir: {} }, { name: 'host', hostPath: { path: rootDir } }],
    [
      { name: 'config', mountPath: '/etc/app' },
      { name: 'config', mountPath: '/etc/app.conf', subPath: 'app.conf', readOnly: false },
      { name: 'data', mountPath: '/data' },
      { name: 'data', mountPath: '/logs', subPath: 'logs/main', readOnly: true },
      { name: 'host', mountPath: '/host', readOnly: true },
      { name: 'data', mountPath: '/per-pod', subPathExpr: 'by-pod/$(POD_NAME)' },
    ],
  );
  await manager.setUpPod(pod);
  const mounts = manager.containerMounts(pod, pod.spec!.containers[0]!, [{ name: 'POD_NAME', value: 'web' }]);
  t.same(mounts, [
    { containerPath: '/etc/app', hostPath: dir('configmap', 'config'), readOnly: true },
    { containerPath: '/etc/app.conf', hostPath: join(dir('configmap', 'config'), 'app.conf'), readOnly: true },
    { containerPath: '/data', hostPath: dir('empty-dir', 'data'), readOnly: false },
    { containerPath: '/logs', hostPath: join(dir('empty-dir', 'data'), 'logs/main'), readOnly: true },
    { containerPath: '/host', hostPath: rootDir, readOnly: true },
    { containerPath: '/per-pod', hostPath: join(dir('empty-dir', 'data'), 'by-pod/web'), readOnly: false },
  ]);
  t.ok((await stat(join(dir('empty-dir', 'data'), 'logs/main'))).isDirectory(), 'a missing subPath directory is made');
});

t.test('containerMounts refuses bad subPaths and unknown volumes with CreateContainerConfigError', async (t) => {
  const { manager, dir } = await setUp(t);
  const volumes: Volume[] = [{ name: 'data', emptyDir: {} }];
  await manager.setUpPod(podWith(volumes));
  await symlink('/etc', join(dir('empty-dir', 'data'), 'out'));
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ name: 'data', mountPath: '/x', subPath: '/etc' }, 'error SubPath `/etc` must not be an absolute path'],
    [{ name: 'data', mountPath: '/x', subPath: 'a/../../b' }, "unable to provision SubPath `a/../../b`: must not contain '..'"],
    [{ name: 'data', mountPath: '/x', subPath: 'out' }, 'failed to prepare subPath for volumeMount "data" of container "main"'],
    [{ name: 'nope', mountPath: '/x' }, 'cannot find volume "nope" to mount into container "main"'],
    [{ name: 'data', mountPath: '/x', subPathExpr: '$(UNSET)/$(EMPTY)' }, 'missing value for EMPTY, UNSET'],
  ];
  for (const [mount, message] of cases) {
    const pod = podWith(volumes, [mount as never]);
    const err = (() => {
      try {
        manager.containerMounts(pod, pod.spec!.containers[0]!, [{ name: 'EMPTY', value: '' }]);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    t.ok(err instanceof ContainerConfigError, message);
    t.match(err, { reason: 'CreateContainerConfigError', message });
  }
});

t.test('emptyDir: a directory all may write; teardown removes the volumes and never a hostPath', async (t) => {
  const { manager, dir, rootDir } = await setUp(t, { configMaps: [configMap('ns', 'cfg', { a: '1' })] });
  const hostDir = join(rootDir, 'host-data');
  const pod = podWith([{ name: 'scratch', emptyDir: {} }, { name: 'config', configMap: { name: 'cfg' } }, { name: 'h', hostPath: { path: hostDir, type: 'DirectoryOrCreate' } }]);
  await manager.setUpPod(pod);
  await manager.setUpPod(pod);
  t.equal(await mode(dir('empty-dir', 'scratch')), 0o777);
  await writeFile(join(hostDir, 'keep'), 'mine');
  await manager.tearDownPod(uid);
  t.same(await readdir(join(rootDir, 'pods', uid)), [], 'the volumes directory is gone');
  t.equal(await readFile(join(hostDir, 'keep'), 'utf8'), 'mine');
  await manager.tearDownPod(uid);
  await manager.tearDownPod('never-seen');
});

t.test('emptyDir medium Memory without root: a plain directory, and a log line that says so', async (t) => {
  const lines: string[] = [];
  const logger = { info() {}, error() {}, warn: (_: object, msg: string) => void lines.push(msg) };
  const rootDir = await tempDir(t);
  const manager = createVolumeManager({ rootDir, source: createStaticObjectSource(), nodeName: 'node-a', logger, isRoot: false });
  await manager.setUpPod(podWith([{ name: 'mem', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } }]));
  const path = join(rootDir, 'pods', uid, 'volumes', 'kubernetes.io~empty-dir', 'mem');
  t.equal(await isMountPoint(path), false);
  t.match(lines, [/medium Memory needs root/]);
  await manager.tearDownPod(uid);
});

t.test('emptyDir medium Memory as root: a tmpfs of sizeLimit, unmounted by teardown', { skip: isRoot ? false : 'needs root' }, async (t) => {
  const { manager, dir } = await setUp(t);
  const path = dir('empty-dir', 'mem');
  // Should an assertion fail before teardown, the tmpfs this test made still goes.
  t.teardown(async () => {
    if (await isMountPoint(path)) await promisify(execFile)('umount', [path]);
  });
  await manager.setUpPod(podWith([{ name: 'mem', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } }]));
  t.equal(await isMountPoint(path), true);
  const { stdout } = await promisify(execFile)('findmnt', ['-n', '-o', 'FSTYPE,OPTIONS', path]);
  t.match(stdout, /^tmpfs .*size=1024k/);
  t.equal(await mode(path), 0o777);
  await writeFile(join(path, 'in-memory'), 'kept');
  await manager.setUpPod(podWith([{ name: 'mem', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } }]));
  t.equal(await readFile(join(path, 'in-memory'), 'utf8'), 'kept', 'set up again: the data stays');
  const { stdout: count } = await promisify(execFile)('findmnt', ['-n', '-o', 'TARGET', path]);
  t.equal(count.trim().split('\n').length, 1, 'set up again: still one tmpfs');
  await manager.tearDownPod(uid);
  t.equal(await isMountPoint(path), false);
});
