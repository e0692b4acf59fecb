// The process runtime with real processes: exit codes, stopping a process group with SIGTERM
// and then SIGKILL, the container's output as a CRI log, its environment and errors for what
// cannot run.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { eventually } from '@kubets/testing';
import t from 'tap';
import { stillRunning } from '@kubets/component-base';
import { RuntimeError, type ContainerEvent } from '../src/runtime/types.js';
import { containerConfig, exitedStatus, filesIn, groupMembers, logEntries, runContainer, sandboxConfig, startRuntime, tempRoot } from './runtime-fixtures.js';

t.test('exit codes: 0 is Completed, others Error, 128+n carries the signal', async (t) => {
  const root = await tempRoot(t);
  const runtime = await startRuntime(t, root);
  const events: ContainerEvent[] = [];
  runtime.onEvent((e) => events.push(e));
  const ok = await runContainer(runtime, root, containerConfig('ok', ['true']));
  const three = await runContainer(runtime, root, containerConfig('three', ['sh', '-c', 'exit 3']));
  const killed = await runContainer(runtime, root, containerConfig('killed', ['sh', '-c', 'kill -KILL $$']));
  t.match(await exitedStatus(runtime, ok.id), { exitCode: 0, reason: 'Completed' });
  t.match(await exitedStatus(runtime, three.id), { exitCode: 3, reason: 'Error' });
  t.match(await exitedStatus(runtime, killed.id), { exitCode: 137, signal: 'SIGKILL', reason: 'Error' });
  const status = runtime.containerStatus(ok.id)!;
  t.ok(status.startedAt >= status.createdAt && status.finishedAt >= status.startedAt);
  t.equal(status.imageRef, 'kubets-process://busybox@/bin/sh');
  t.match(runtime.containerStatus(ok.id)!.id, /^[0-9a-f]{32}$/);
  t.same(events.filter((e) => e.containerId === ok.id).map((e) => e.type), ['started', 'exited']);
  t.equal(events[0]!.podUid, 'uid-pod-ok');
});

t.test('stop sends SIGTERM to the whole process group', async (t) => {
  const root = await tempRoot(t);
  const runtime = await startRuntime(t, root);
  // The container's child (sleep) is in its group too.
  const { id } = await runContainer(runtime, root, containerConfig('sleeper', ['sh', '-c', 'sleep 60 & wait']));
  const pid = runtime.containerStatus(id)!.pid!;
  await eventually(() => groupMembers(pid).length >= 4, 'unshare, the wrapper, sh and sleep in the group');
  await runtime.stopContainer(id, 10);
  t.match(runtime.containerStatus(id), { state: 'exited', exitCode: 143, signal: 'SIGTERM' });
  t.same(groupMembers(pid), [], 'nothing of the group is left');
});

t.test('a process that ignores SIGTERM gets SIGKILL after the timeout', async (t) => {
  const root = await tempRoot(t);
  const runtime = await startRuntime(t, root);
  const { id } = await runContainer(runtime, root, containerConfig('stubborn', ['sh', '-c', 'trap "" TERM; echo ready; while :; do sleep 0.05; done']));
  const status = runtime.containerStatus(id)!;
  await eventually(async () => existsSync(status.logPath) && (await logEntries(status.logPath)).length > 0, 'the trap is set');
  const started = Date.now();
  await runtime.stopContainer(id, 1);
  t.ok(Date.now() - started >= 1000, 'it waited the timeout');
  t.match(runtime.containerStatus(id), { state: 'exited', exitCode: 137, signal: 'SIGKILL' });
  t.same(groupMembers(status.pid!), []);
});

t.test('stdout and stderr go to the CRI log, which rotates by size', async (t) => {
  const root = await tempRoot(t);
  const runtime = await startRuntime(t, root, { logMaxSizeBytes: 2000, logMaxFiles: 3 });
  const { id } = await runContainer(runtime, root, containerConfig('talker', ['sh', '-c', 'echo out; echo err >&2; printf partial']));
  const status = await exitedStatus(runtime, id);
  t.same((await logEntries(status.logPath)).sort((a, b) => a.text.localeCompare(b.text)), [
    { stream: 'stderr', tag: 'F', text: 'err' },
    { stream: 'stdout', tag: 'F', text: 'out' },
    { stream: 'stdout', tag: 'P', text: 'partial' },
  ]);
  t.match(await readFile(status.logPath, 'utf8'), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z stdout F out$/m);

  const chatty = await runContainer(runtime, root, containerConfig('chatty', ['sh', '-c', 'i=0; while [ $i -lt 300 ]; do echo "line $i"; i=$((i+1)); done']));
  const chattyStatus = await exitedStatus(runtime, chatty.id);
  const files = await filesIn(join(chattyStatus.logPath, '..'));
  t.equal(files.length, 3, `the live file and maxFiles-1 rotated ones: ${files.join(' ')}`);
  const last = await logEntries(chattyStatus.logPath);
  t.equal(last.at(-1)?.text, 'line 299');
});

t.test('the environment: env, the image PATH, HOSTNAME, HOME and KUBETS_POD_IP; the pod working dir', async (t) => {
  const root = await tempRoot(t);
  const runtime = await startRuntime(t, root);
  const config = containerConfig('env', ['sh', '-c', 'echo "$GREETING|$PATH|$HOSTNAME|$HOME|$KUBETS_POD_IP|$(pwd)"'], { env: [{ name: 'GREETING', value: 'hi there' }] });
  const { id } = await runContainer(runtime, root, config, { name: 'envpod', podIP: '127.1.2.3' });
  const status = await exitedStatus(runtime, id);
  t.same((await logEntries(status.logPath))[0]?.text.split('|'),
    ['hi there', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'envpod', '/root', '127.1.2.3', join(root, 'pods', 'uid-envpod', 'work')]);

  const node = containerConfig('node', [], { image: 'docker.io/library/node:20', args: ['-e', 'console.log(process.execPath)'] });
  const ran = await runContainer(runtime, root, node);
  const nodeStatus = await exitedStatus(runtime, ran.id);
  t.equal(nodeStatus.exitCode, 0);
  t.equal((await logEntries(nodeStatus.logPath))[0]?.text, process.execPath, 'node runs the kubelet\'s own Node.js');

  const python = await runContainer(runtime, root, containerConfig('py', ['python', '-c', 'print(6 * 7)'], { image: 'python:3.12' }));
  const pythonStatus = await exitedStatus(runtime, python.id);
  t.equal((await logEntries(pythonStatus.logPath))[0]?.text, '42', 'python is the host\'s python3');
});

t.test('what cannot run is refused with the waiting reasons of upstream', async (t) => {
  const root = await tempRoot(t);
  const runtime = await startRuntime(t, root);
  const sandboxId = await runtime.runPodSandbox(sandboxConfig(root, 'bad'));
  await t.rejects(runtime.createContainer(sandboxId, containerConfig('img', ['true'], { image: 'nginx:1.27' })), {
    name: 'RuntimeError', reason: 'ErrImagePull',
    message: 'image "nginx:1.27" is not in the process runtime\'s image table (it runs: node, busybox, alpine, debian, ubuntu, python; see --image-config)',
  });
  await t.rejects(runtime.createContainer(sandboxId, containerConfig('noop', [], { image: 'example.com/x' })), { name: 'RuntimeError', reason: 'ErrImagePull' });
  await t.rejects(runtime.createContainer(sandboxId, containerConfig('bad name', [], { image: 'No Such' })), { name: 'RuntimeError', reason: 'InvalidImageName' });
  const missing = await runtime.createContainer(sandboxId, containerConfig('missing', ['no-such-program', 'x']));
  const error = await runtime.startContainer(missing).then(() => undefined, (e: unknown) => e);
  t.ok(error instanceof RuntimeError);
  t.match(error, { reason: 'RunContainerError', message: 'exec: "no-such-program": executable file not found in $PATH' });
  t.match(runtime.containerStatus(missing), { state: 'exited', exitCode: 128, reason: 'StartError' });
  const badDir = await runtime.createContainer(sandboxId, containerConfig('baddir', ['true'], { workingDir: join(root, 'nowhere') }));
  await t.rejects(runtime.startContainer(badDir), { name: 'RuntimeError', reason: 'RunContainerError', message: /chdir to cwd/ });
});

t.test('an image without a default and no command is a CreateContainerError', async (t) => {
  const root = await tempRoot(t);
  const configPath = join(root, 'images.json');
  await writeFile(configPath, JSON.stringify([{ name: 'bare', path: ['/bin'] }]));
  const runtime = await startRuntime(t, root, { imageConfigPath: configPath });
  const sandboxId = await runtime.runPodSandbox(sandboxConfig(root, 'bare'));
  await t.rejects(runtime.createContainer(sandboxId, containerConfig('c', [], { image: 'bare' })), { name: 'RuntimeError', reason: 'CreateContainerError', message: /no command specified/ });
  const id = await runtime.createContainer(sandboxId, containerConfig('c', ['true'], { image: 'bare:1' }));
  await runtime.startContainer(id);
  t.equal((await exitedStatus(runtime, id)).exitCode, 0);
});

t.test('without namespaces: no mounts allowed, a plain process group otherwise', async (t) => {
  const root = await tempRoot(t);
  const runtime = await startRuntime(t, root, { isolation: 'none' });
  const sandboxId = await runtime.runPodSandbox(sandboxConfig(root, 'plain'));
  await t.rejects(runtime.createContainer(sandboxId, containerConfig('vol', ['true'], { mounts: [{ hostPath: root, containerPath: '/data', readOnly: false }] })),
    { name: 'RuntimeError', reason: 'CreateContainerError', message: /cannot be mounted/ });
  const { id } = await runContainer(runtime, root, containerConfig('bg', ['sh', '-c', 'sleep 60 & exit 4']));
  const status = runtime.containerStatus(id);
  const finished = await exitedStatus(runtime, id);
  t.match(finished, { exitCode: 4, reason: 'Error' });
  t.same(groupMembers(status?.pid ?? finished.pid ?? -1), [], 'the rest of the group ends with the container');
  const stopped = await runContainer(runtime, root, containerConfig('sleeper', ['sleep', '60']));
  const pid = runtime.containerStatus(stopped.id)!.pid!;
  await runtime.stopContainer(stopped.id, 5);
  t.match(runtime.containerStatus(stopped.id), { exitCode: 143, signal: 'SIGTERM' });
  t.notOk(stillRunning({ pid }));
});

t.test('a sandbox: its dirs, stop kills its containers, remove forgets them and leaves what is not the runtime\'s', async (t) => {
  const root = await tempRoot(t);
  const runtime = await startRuntime(t, root);
  const events: ContainerEvent[] = [];
  runtime.onEvent((e) => events.push(e));
  const config = sandboxConfig(root, 'box');
  const { sandboxId, id } = await runContainer(runtime, root, containerConfig('sleeper', ['sleep', '60']), config);
  const podDir = join(root, 'pods', config.uid);
  t.ok(existsSync(join(podDir, 'work')) && existsSync(config.logDirectory));
  t.match(runtime.listPodSandboxes(), [{ id: sandboxId, state: 'ready', config: { uid: config.uid } }]);
  t.equal(runtime.listContainers({ podUid: config.uid }).length, 1);
  t.equal(runtime.listContainers({ podUid: 'other' }).length, 0);
  const pid = runtime.containerStatus(id)!.pid!;
  await runtime.stopPodSandbox(sandboxId);
  t.match(runtime.containerStatus(id), { state: 'exited' });
  t.same(groupMembers(pid), []);
  t.match(runtime.listPodSandboxes(), [{ state: 'notready' }]);
  await t.rejects(runtime.createContainer(sandboxId, containerConfig('late', ['true'])), { name: 'RuntimeError', reason: 'CreateContainerError' });

  await mkdir(join(podDir, 'volumes')); // another part of the kubelet keeps its files here
  await runtime.removePodSandbox(sandboxId);
  t.same(runtime.listPodSandboxes(), []);
  t.equal(runtime.containerStatus(id), undefined);
  t.notOk(existsSync(join(podDir, 'work')));
  t.ok(existsSync(join(podDir, 'volumes')), 'the pod dir keeps what is not the runtime\'s');
  t.same(events.filter((e) => e.containerId === id).map((e) => e.type), ['started', 'exited', 'removed']);
  await runtime.removePodSandbox(sandboxId); // an unknown id is not an error
});
