// What the kubelet's integration tests share: a cluster with one kubelet (node-1), pods bound to
// it at create, and waiting on what the API then shows.
import t from 'tap';
import type { Container, Event, Pod } from '@kubets/api';
import type { KubeClient } from '@kubets/client';
import { eventually, kubeletNode, startTestCluster, type KubeletNode, type TestCluster } from '@kubets/testing';

export interface KubeletCluster {
  cluster: TestCluster;
  client: KubeClient;
  node: KubeletNode;
}

/** Short intervals so that tests see changes in about a second. */
export const fastKubeletFlags = ['--sync-frequency=1s', '--node-status-update-frequency=1s', '--node-lease-renew-interval=1s'];

export async function startKubeletCluster(extraFlags: string[] = []): Promise<KubeletCluster> {
  const cluster = await startTestCluster({ members: 1, kubelets: 1, kubeletFlags: [...fastKubeletFlags, ...extraFlags] });
  t.teardown(() => cluster.stop());
  return { cluster, client: cluster.client, node: kubeletNode(cluster, 1) };
}

export function podOn(name: string, containers: Container[], spec: Partial<NonNullable<Pod['spec']>> = {}, nodeName = 'node-1'): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName, containers, terminationGracePeriodSeconds: 2, ...spec } };
}

export const shell = (name: string, script: string, extra: Partial<Container> = {}): Container => ({ name, image: 'busybox', command: ['sh', '-c', script], ...extra });

export async function createPod(client: KubeClient, pod: Pod): Promise<Pod> {
  return client.create<Pod>('pods', pod.metadata?.namespace ?? 'default', pod);
}

export async function getPod(client: KubeClient, name: string, namespace = 'default'): Promise<Pod> {
  return client.get<Pod>('pods', namespace, name);
}

/** Waits until the pod satisfies `cond`; returns it. The failure names what was awaited and the last status seen. */
export async function waitForPod(client: KubeClient, name: string, cond: (p: Pod) => boolean, what: string, timeoutMs = 30_000): Promise<Pod> {
  let last: Pod | undefined;
  try {
    await eventually(async () => {
      last = await getPod(client, name).catch(() => undefined);
      return last !== undefined && cond(last);
    }, `${name}: ${what}`, timeoutMs, 100);
  } catch (e) {
    throw new Error(`${(e as Error).message}\nlast status: ${JSON.stringify(last?.status)}`);
  }
  return last!;
}

export const isReady = (p: Pod) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
export const isRunningReady = (p: Pod) => p.status?.phase === 'Running' && isReady(p);
export const containerStatus = (p: Pod, name: string) => [...(p.status?.containerStatuses ?? []), ...(p.status?.initContainerStatuses ?? [])].find((c) => c.name === name);

export async function podEvents(client: KubeClient, name: string): Promise<Event[]> {
  const list = await client.list<Event>('events', 'default', { fieldSelector: `involvedObject.name=${name}` });
  return list.items;
}

export async function waitForEvent(client: KubeClient, pod: string, reason: string, message: RegExp, timeoutMs = 30_000): Promise<Event> {
  let found: Event | undefined;
  await eventually(async () => {
    found = (await podEvents(client, pod)).find((e) => e.reason === reason && message.test(e.message ?? ''));
    return found !== undefined;
  }, `an Event ${reason} ${message} for ${pod}`, timeoutMs, 200);
  return found!;
}

/** Reads the kubelet's container logs straight from its server. */
export async function kubeletLogs(node: KubeletNode, pod: string, container: string, query = ''): Promise<string> {
  const r = await fetch(`${node.url}/containerLogs/default/${pod}/${container}${query}`);
  return r.text();
}

/** True while a process with this pid lives (a zombie counts as gone). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
