// `kubets up` end to end, as a user runs it: the real command on a fresh data dir, the real
// kubectl through the kubeconfig it writes, `kubets status` with two Ready nodes, their
// kube-proxies and a pod, a crash the supervisor repairs, Ctrl-C that leaves nothing behind (no
// pod either), and a second start that finds the first one's objects and runs the pod again
// until `kubets down`.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import type { Pod } from '@kubets/api';
import { clientFromKubeconfig } from '@kubets/client';
import { eventually, kubectlBinary, pidsWithArgument } from '@kubets/testing';
import { firstFreeRun } from '../src/launch/port-check.js';
import { stillRunning, type ProcessIdentity } from '../src/launch/process-identity.js';
import type { RunState } from '../src/cluster/run-state.js';
import type { StatusReport } from '../src/status/report.js';

const kubetsMain = fileURLToPath(new URL('../src/main.js', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function kubets(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [kubetsMain, ...args], { env, timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

function kubectl(version: string | undefined, kubeconfig: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(kubectlBinary(version), [`--kubeconfig=${kubeconfig}`, ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** Starts `kubets up` in the foreground and collects what it prints. */
function startUp(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [kubetsMain, 'up', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: () => out };
}

const exitOf = (c: ChildProcess) => new Promise<number | null>((resolve) => (c.exitCode !== null ? resolve(c.exitCode) : c.once('exit', (code) => resolve(code))));

t.test('kubets up: a cluster from nothing, supervised, stopped clean, and back with its objects', async (t) => {
  const home = await mkdtemp(join(tmpdir(), 'kubets-up-home-'));
  t.teardown(() => rm(home, { recursive: true, force: true }));
  const dataDir = join(home, 'cluster');
  const env = { ...process.env, HOME: home, KUBECONFIG: '' };
  const port = await firstFreeRun(20_000 + (process.pid % 20_000), 2);
  const flags = ['--data-dir', dataDir, '--port', String(port)];
  const everyPid: ProcessIdentity[] = [];
  t.teardown(() => {
    // Whatever a failed assertion left running: only the processes this test started.
    for (const id of everyPid) if (stillRunning(id)) process.kill(id.pid, 'SIGKILL');
  });
  const state = () => JSON.parse(readFileSync(join(dataDir, 'run', 'state.json'), 'utf8')) as RunState;
  const remember = () => {
    const s = state();
    for (const id of [s.supervisor, ...s.processes.flatMap((p) => (p.process ? [p.process] : []))]) {
      if (!everyPid.some((e) => e.pid === id.pid && e.startTime === id.startTime)) everyPid.push(id);
    }
  };
  const status = async () => JSON.parse((await kubets(['status', '-o', 'json', ...flags.slice(0, 2)], env)).stdout) as StatusReport;

  const up = startUp([...flags, '--merge-kubeconfig'], env);
  await eventually(() => /is ready in/.test(up.output()) || up.child.exitCode !== null, 'kubets up says the cluster is ready', 90_000);
  t.match(up.output(), /is ready in/, up.output());
  remember();
  const kubeconfig = join(dataDir, 'kubeconfig');
  t.ok(existsSync(kubeconfig), 'the kubeconfig is written');
  t.match(up.output(), new RegExp(`export KUBECONFIG=${kubeconfig}|context "kubets"`), 'it says how to reach the cluster');

  t.test('the real kubectl lists the namespaces through the kubeconfig it wrote', async (t) => {
    for (const version of [undefined, '1.27']) {
      const r = await kubectl(version, kubeconfig, ['get', 'ns', '-o', 'name']);
      t.equal(r.code, 0, `kubectl ${version ?? '(default)'}: ${r.stderr}`);
      t.match(r.stdout, /namespace\/default/);
      t.match(r.stdout, /namespace\/kube-system/);
    }
    const merged = await kubectl(undefined, join(home, '.kube', 'config'), ['get', 'ns', 'default', '-o', 'name']);
    t.equal(merged.code, 0, `--merge-kubeconfig made a context kubectl uses: ${merged.stderr}`);
  });

  t.test('kubets status: three etcd members with one leader, two ready API servers, two Ready nodes', async (t) => {
    const s = await status();
    t.equal(s.running, true);
    t.equal(s.etcd.members.length, 3);
    t.ok(s.etcd.leader !== undefined && s.etcd.members.some((m) => m.name === s.etcd.leader), `leader ${s.etcd.leader}`);
    t.same(s.apiservers, { ready: 2, total: 2 });
    t.ok(s.processes.every((p) => p.ready && p.pid !== undefined), 'every process runs and is ready');
    const text = await kubets(['status', '--data-dir', dataDir], env);
    t.equal(text.code, 0);
    t.match(text.stdout, /etcd: 3\/3 members answer, leader etcd-\d/);
    t.match(text.stdout, /API servers: 2\/2 ready/);
    const kubelets = s.processes.filter((p) => p.role === 'kubelet');
    t.same(kubelets.map((p) => p.name), ['kubelet-node-1', 'kubelet-node-2'], 'a kubelet per node');
    t.match(kubelets.map((p) => p.url).join(' '), /^http:\/\/127\.0\.1\.1:\d+ http:\/\/127\.0\.1\.2:\d+$/, 'each on its own address (port 10250 there when free)');
    const proxies = s.processes.filter((p) => p.role === 'kube-proxy');
    t.same(proxies.map((p) => p.name), ['kube-proxy-node-1', 'kube-proxy-node-2'], 'a kube-proxy per node');
    t.match(proxies.map((p) => p.url).join(' '), /^http:\/\/127\.0\.1\.1:\d+ http:\/\/127\.0\.1\.2:\d+$/, 'each serving its health on its node address (10256 there when free)');
    t.match(text.stdout, /kube-proxy-node-1\s+\d+\s+\S+\s+0\s+yes\s+http:\/\/127\.0\.1\.1:/, 'status shows it with the other processes');
    await eventually(async () => (await status()).objects?.nodes.filter((n) => n.ready).length === 2, 'node-1 and node-2 Ready', 60_000, 250);
    const nodes = (await status()).objects!.nodes;
    t.same(nodes.map((n) => [n.name, n.address]), [['node-1', '127.0.1.1'], ['node-2', '127.0.1.2']]);
    t.ok(nodes.every((n) => n.podCidr?.startsWith('127.') === true), `pod CIDRs from the loopback cluster CIDR: ${nodes.map((n) => n.podCidr).join(', ')}`);
    t.match((await kubets(['status', '--data-dir', dataDir], env)).stdout, /node-1\s+Ready\s+127\.0\.1\.1\s+127\.\d+\.\d+\.0\/24/);
  });

  const token = `kubets-up-${randomBytes(6).toString('hex')}`;
  const client = clientFromKubeconfig({ path: kubeconfig });

  t.test('a pod bound to node-1 runs, and kubets status lists it', async (t) => {
    await client.create<Pod>('pods', 'default', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'sleeper' },
      spec: { nodeName: 'node-1', terminationGracePeriodSeconds: 2, containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', `sleep 3000; : ${token}`] }] },
    });
    await eventually(async () => (await client.get<Pod>('pods', 'default', 'sleeper')).status?.phase === 'Running', 'the pod runs', 60_000, 100);
    t.ok(pidsWithArgument(token).length > 0, "its process runs");
    t.match((await kubets(['status', '--data-dir', dataDir], env)).stdout, /default\/sleeper\s+Running\s+1\/1\s+0\s+127\.\d+\.\d+\.\d+\s+node-1/);
  });

  t.test('an API server killed with SIGKILL is restarted, and status counts it', async (t) => {
    const victim = state().processes.find((p) => p.name === 'apiserver-1')!.process!;
    process.kill(victim.pid, 'SIGKILL');
    await eventually(async () => {
      const p = (await status()).processes.find((x) => x.name === 'apiserver-1');
      return p !== undefined && p.restarts === 1 && p.ready && p.pid !== victim.pid;
    }, 'apiserver-1 runs again, once restarted', 60_000);
    remember();
    t.match(up.output(), /apiserver-1 was killed \(SIGKILL\); restarting it/);
    t.match((await kubets(['status', '--data-dir', dataDir], env)).stdout, /apiserver-1\s+\d+\s+\S+\s+1\s+yes/);
  });

  await client.create('configmaps', 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'survivor' }, data: { kept: 'yes' } });

  t.test('SIGINT stops every process it started, in order, and leaves none behind', async (t) => {
    remember();
    up.child.kill('SIGINT');
    t.equal(await exitOf(up.child), 0, up.output());
    t.match(up.output(), /stopped; every process it started has exited/);
    t.same(everyPid.filter(stillRunning), [], `none of ${everyPid.length} pids runs`);
    t.same(pidsWithArgument(token), [], "nor the pod's process: the kubelets' root dirs were reset");
    t.notOk(existsSync(join(dataDir, 'run', 'state.json')), 'no run state is left');
    t.equal((await kubets(['status', '--data-dir', dataDir], env)).code, 1, 'status says it is not running');
  });

  t.test('a second kubets up (detached, --no-kube-proxies) on the same data dir brings the ConfigMap back; down stops it', async (t) => {
    const again = await kubets(['up', ...flags, '--detach', '--no-kube-proxies'], env);
    t.equal(again.code, 0, again.stdout + again.stderr);
    t.match(again.stdout, /starting cluster "kubets"/);
    remember();
    const cm = await clientFromKubeconfig({ path: kubeconfig }).get<{ data?: Record<string, string> }>('configmaps', 'default', 'survivor');
    t.same(cm.data, { kept: 'yes' });
    await eventually(() => pidsWithArgument(token).length > 0, 'node-1 runs the pod again', 60_000, 100);
    t.notOk(state().processes.some((p) => p.role === 'kube-proxy'), '--no-kube-proxies reached the detached supervisor: no kube-proxy');
    const busy = await kubets(['up', ...flags], env);
    t.equal(busy.code, 1, 'a second supervisor on a running cluster is refused');
    t.match(busy.stderr, /already running/);
    const down = await kubets(['down', '--data-dir', dataDir], env);
    t.equal(down.code, 0, down.stdout + down.stderr);
    t.same(everyPid.filter(stillRunning), [], 'down leaves nothing running');
    t.same(pidsWithArgument(token), [], 'no pod either');
    t.match(down.stdout, /the pods of kubelet-node-1, kubelet-node-2 are stopped/);
  });
});
