// The loopback pod network: an address per pod from the podCIDR, kept across a kubelet restart
// (a new instance on the same root dir), and clear errors when the CIDR cannot serve.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { isPodNetworkError } from '../src/network/errors.js';
import { createLoopbackPodNetwork } from '../src/network/loopback-network.js';

const silent = { info() {}, warn() {}, error() {} };
const pod = (n: number) => ({ uid: `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`, namespace: 'default', name: `p${n}` });

async function tempRoot(t: { teardown(fn: () => unknown): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kubets-kubelet-net-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function reason(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (e) {
    return isPodNetworkError(e) ? e.reason : `other: ${(e as Error).message}`;
  }
}

t.test('each pod gets its own address, the same one when asked again', async (t) => {
  const rootDir = await tempRoot(t);
  const net = createLoopbackPodNetwork({ rootDir, podCIDR: () => '127.10.1.0/24', logger: silent });
  const [a, b, c] = await Promise.all([net.setUpPod(pod(1)), net.setUpPod(pod(2)), net.setUpPod(pod(3))]);
  t.same(new Set([a.ip, b.ip, c.ip]).size, 3, 'set up together, still distinct');
  t.same([a, b, c].map((x) => x.ip).sort(), ['127.10.1.2', '127.10.1.3', '127.10.1.4']);
  t.same(a.ips, [a.ip]);
  t.same(await net.setUpPod(pod(1)), a, 'idempotent per uid');
  t.same(net.podAddress(pod(2).uid), b);
  t.equal(net.podAddress(pod(9).uid), undefined);
});

t.test('a restarted kubelet keeps addresses and never hands out one in use', async (t) => {
  const rootDir = await tempRoot(t);
  const first = createLoopbackPodNetwork({ rootDir, podCIDR: () => '127.10.2.0/29', logger: silent });
  const a = await first.setUpPod(pod(1));
  const b = await first.setUpPod(pod(2));
  await first.tearDownPod(pod(1).uid);
  const c = await first.setUpPod(pod(3));

  const second = createLoopbackPodNetwork({ rootDir, podCIDR: () => '127.10.2.0/29', logger: silent });
  t.same(second.podAddress(pod(2).uid), b, 'known at once after the restart');
  t.same(second.podAddress(pod(3).uid), c);
  t.equal(second.podAddress(pod(1).uid), undefined, 'torn down before the restart');
  t.same(await second.setUpPod(pod(2)), b);
  const d = await second.setUpPod(pod(4));
  t.notOk([b.ip, c.ip].includes(d.ip), `the new pod's ${d.ip} is not one in use`);
  t.same((await readdir(join(rootDir, 'network'))).sort(), [pod(2).uid, pod(3).uid, pod(4).uid].map((u) => `${u}.json`).sort());
});

t.test('a leftover temporary file is removed and an unreadable record ignored', async (t) => {
  const rootDir = await tempRoot(t);
  const first = createLoopbackPodNetwork({ rootDir, podCIDR: () => '127.10.3.0/24', logger: silent });
  await first.setUpPod(pod(1));
  await writeFile(join(rootDir, 'network', `${pod(2).uid}.json.tmp-1`), '{"ip":');
  await writeFile(join(rootDir, 'network', `${pod(3).uid}.json`), 'not json');
  const warned: string[] = [];
  const second = createLoopbackPodNetwork({ rootDir, podCIDR: () => '127.10.3.0/24', logger: { ...silent, warn: (_o, m) => warned.push(m) } });
  t.ok(second.podAddress(pod(1).uid));
  t.equal(second.podAddress(pod(3).uid), undefined);
  t.equal(warned.length, 1);
  t.notOk((await readdir(join(rootDir, 'network'))).some((f) => f.includes('.tmp-')));
});

t.test('clear errors: no CIDR yet, not loopback, malformed, exhausted', async (t) => {
  const rootDir = await tempRoot(t);
  let cidr: string | undefined;
  const net = createLoopbackPodNetwork({ rootDir, podCIDR: () => cidr, logger: silent });
  t.equal(await reason(net.setUpPod(pod(1))), 'NoPodCIDR');
  cidr = '10.244.0.0/24';
  t.equal(await reason(net.setUpPod(pod(1))), 'PodCIDRNotLoopback');
  cidr = '127.0.0/24';
  t.equal(await reason(net.setUpPod(pod(1))), 'InvalidPodCIDR');
  cidr = '127.0.0.0/30';
  t.equal(await reason(net.setUpPod(pod(1))), 'resolved');
  t.equal(await reason(net.setUpPod(pod(2))), 'PodCIDRExhausted');
  await net.tearDownPod(pod(1).uid);
  t.equal(await reason(net.setUpPod(pod(2))), 'resolved', 'a freed address can be taken');
  await net.tearDownPod('unknown-uid');
});
