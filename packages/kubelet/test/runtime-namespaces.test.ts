// A container's own mount, UTS and PID namespaces: volumes at their containerPath (read-only
// when asked, mount points made and removed again), the sandbox's hostname, PID 1, and execSync
// inside those namespaces with a timeout.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { containerConfig, exitedStatus, logEntries, runContainer, sandboxConfig, startRuntime, tempRoot } from './runtime-fixtures.js';

const root0 = process.getuid?.() === 0;

t.test('volumes appear at their containerPath, read-only when asked, and only inside', { skip: !root0 && 'needs root' }, async (t) => {
  const root = await tempRoot(t);
  const runtime = await startRuntime(t, root);
  const rw = join(root, 'host-rw');
  const ro = join(root, 'host-ro');
  await mkdir(rw);
  await mkdir(ro);
  await writeFile(join(rw, 'hello'), 'from the host\n');
  await writeFile(join(root, 'host-file'), 'a file volume\n');
  const inside = join(root, 'inside'); // does not exist: the runtime makes the mount points
  const script = 'cat "$V/rw/hello" && cat "$V/file" && echo copied > "$V/rw/copied" && ! touch "$V/ro/new" 2>/dev/null';
  const mounts = [
    { hostPath: rw, containerPath: join(inside, 'rw'), readOnly: false },
    { hostPath: ro, containerPath: join(inside, 'ro'), readOnly: true },
    { hostPath: join(root, 'host-file'), containerPath: join(inside, 'file'), readOnly: true },
  ];
  const { sandboxId, id } = await runContainer(runtime, root, containerConfig('vols', ['sh', '-c', script], { env: [{ name: 'V', value: inside }], mounts }));
  const status = await exitedStatus(runtime, id);
  t.equal(status.exitCode, 0, 'read the volumes, wrote the writable one, could not write the read-only one');
  t.same((await logEntries(status.logPath)).map((e) => e.text), ['from the host', 'a file volume']);
  t.equal(readFileSync(join(rw, 'copied'), 'utf8'), 'copied\n');
  t.notOk(existsSync(join(ro, 'new')));
  t.notOk(existsSync(join(inside, 'rw', 'hello')), 'the mount is not visible on the host');
  t.ok(existsSync(join(inside, 'rw')), 'the mount point was made');
  await runtime.removePodSandbox(sandboxId);
  t.notOk(existsSync(inside), 'the mount points it made went with the sandbox');
});

t.test('the container has the sandbox hostname and its own PID namespace', { skip: !root0 && 'needs root' }, async (t) => {
  const root = await tempRoot(t);
  const runtime = await startRuntime(t, root);
  const { id } = await runContainer(runtime, root, containerConfig('who', ['sh', '-c', 'hostname; echo $$; ps -o pid= -p 1 >/dev/null && echo has-pid-1']), { name: 'web-0', hostname: 'web-0' });
  const status = await exitedStatus(runtime, id);
  const [name, pid, pid1] = (await logEntries(status.logPath)).map((e) => e.text);
  t.equal(name, 'web-0');
  t.ok(Number(pid) < 10, `the command has a small pid in its own namespace: ${pid}`);
  t.equal(pid1, 'has-pid-1', 'the wrapper is PID 1');
  t.not(hostname(), 'web-0', 'the host keeps its name');
});

t.test('execSync runs in the container\'s namespaces with its env and working dir, and times out', { skip: !root0 && 'needs root' }, async (t) => {
  const root = await tempRoot(t);
  const runtime = await startRuntime(t, root);
  const vol = join(root, 'vol');
  await mkdir(vol);
  await writeFile(join(vol, 'probe'), 'ok\n');
  const mounts = [{ hostPath: vol, containerPath: join(root, 'mnt'), readOnly: true }];
  const { id } = await runContainer(runtime, root, containerConfig('server', ['sleep', '60'], { env: [{ name: 'MODE', value: 'test' }], mounts, workingDir: join(root, 'mnt') }), { hostname: 'exec-pod' });
  const result = await runtime.execSync(id, ['sh', '-c', 'hostname; echo $MODE; pwd; cat probe; echo oops >&2; exit 5'], 5000);
  t.equal(result.exitCode, 5);
  t.equal(result.stdout.toString(), `exec-pod\ntest\n${join(root, 'mnt')}\nok\n`);
  t.equal(result.stderr.toString(), 'oops\n');
  t.equal(result.timedOut, false);
  const started = Date.now();
  const slow = await runtime.execSync(id, ['sleep', '30'], 300);
  t.equal(slow.timedOut, true);
  t.ok(Date.now() - started < 10_000, 'killed at the timeout');
  await t.rejects(runtime.execSync(id, ['no-such-probe'], 1000), { name: 'RuntimeError', reason: 'RunContainerError', message: 'exec: "no-such-probe": executable file not found in $PATH' });
  await runtime.stopContainer(id, 5);
  t.equal(runtime.containerStatus(id)?.exitCode, 143);
});

t.test('a mount point made for one sandbox stays while another sandbox uses it', { skip: !root0 && 'needs root' }, async (t) => {
  const root = await tempRoot(t);
  const runtime = await startRuntime(t, root);
  const vol = join(root, 'vol');
  await mkdir(vol);
  const target = join(root, 'shared', 'data');
  const mounts = [{ hostPath: vol, containerPath: target, readOnly: false }];
  const a = await runContainer(runtime, root, containerConfig('a', ['true'], { mounts }), { name: 'a' });
  const b = await runContainer(runtime, root, containerConfig('b', ['true'], { mounts }), { name: 'b' });
  await exitedStatus(runtime, a.id);
  await exitedStatus(runtime, b.id);
  await runtime.removePodSandbox(a.sandboxId);
  t.ok(existsSync(target), 'b still uses it');
  await runtime.removePodSandbox(b.sandboxId);
  t.notOk(existsSync(join(root, 'shared')), 'the last user removed it');
});

t.test('arguments reach the container as they are, never as shell text', async (t) => {
  const root = await tempRoot(t);
  const runtime = await startRuntime(t, root);
  const marker = join(root, 'pwned');
  const args = [`$(touch ${marker})`, '"; exit 9; "', "it's", 'a  b', '`id`'];
  const { id } = await runContainer(runtime, root, containerConfig('args', ['printf', '%s\\n', ...args]));
  const status = await exitedStatus(runtime, id);
  t.equal(status.exitCode, 0);
  t.same((await logEntries(status.logPath)).map((e) => e.text), args);
  t.notOk(existsSync(marker));
});

t.test('a mount that cannot be made fails the start with StartError, and says why in the log', { skip: !root0 && 'needs root' }, async (t) => {
  const root = await tempRoot(t);
  const runtime = await startRuntime(t, root);
  await writeFile(join(root, 'a-file'), '');
  const mounts = [{ hostPath: root, containerPath: join(root, 'a-file'), readOnly: false }]; // a directory over a file
  const sandboxId = await runtime.runPodSandbox(sandboxConfig(root, 'badmount'));
  const id = await runtime.createContainer(sandboxId, containerConfig('c', ['true'], { mounts }));
  await t.rejects(runtime.startContainer(id), { name: 'RuntimeError', reason: 'RunContainerError', message: /could not be set up: cannot bind-mount/ });
  const status = runtime.containerStatus(id)!;
  t.match(status, { state: 'exited', exitCode: 128, reason: 'StartError' });
  t.match((await logEntries(status.logPath)).map((e) => e.text).join('\n'), /kubets: cannot bind-mount/);
});
