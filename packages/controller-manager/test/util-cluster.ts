// A test cluster with the controllers under test running in-process, and the fake kubelet.
import type { Event, Pod } from '@kubets/api';
import type { KubeClient } from '@kubets/client';
import { startTestCluster, type TestCluster } from '@kubets/testing';
import { createControllerContext } from '../src/controller/context.js';
import type { Controller, ControllerDescriptor } from '../src/controller/controller.js';
import { FakeKubelet, type FakeKubeletOptions } from './util-fake-kubelet.js';

export interface ControllerRun {
  controllers: Controller[];
  stop(): Promise<void>;
}

/** Starts the controllers as the manager does: create all, start the informers, run. */
export function runControllers(client: KubeClient, descriptors: readonly ControllerDescriptor[]): ControllerRun {
  const ctx = createControllerContext({ client });
  const controllers = descriptors.map((d) => d.create(ctx));
  ctx.informers.start();
  const runs = controllers.map((c) => c.run());
  return {
    controllers,
    async stop() {
      await Promise.all(controllers.map((c) => c.stop()));
      await Promise.all(runs);
      await ctx.shutdown();
    },
  };
}

export interface ControllerCluster {
  cluster: TestCluster;
  kubelet: FakeKubelet;
  run: ControllerRun;
  stop(): Promise<void>;
}

export async function startControllerCluster(descriptors: readonly ControllerDescriptor[], kubelet: FakeKubeletOptions = {}): Promise<ControllerCluster> {
  const cluster = await startTestCluster({ members: 1 });
  const k = new FakeKubelet(cluster.client, kubelet);
  await k.start();
  const out: ControllerCluster = {
    cluster,
    kubelet: k,
    run: runControllers(cluster.client, descriptors),
    async stop() {
      await out.run.stop();
      await k.stop();
      await cluster.stop();
    },
  };
  return out;
}

export async function podsWithLabels(client: KubeClient, labels: Record<string, string>, ns = 'default'): Promise<Pod[]> {
  return (await client.list<Pod>('pods', ns, { labelSelector: labels })).items;
}

export function activePods(pods: readonly Pod[]): Pod[] {
  return pods.filter((p) => p.metadata?.deletionTimestamp === undefined);
}

export async function eventsAbout(client: KubeClient, name: string, ns = 'default'): Promise<Event[]> {
  return (await client.list<Event>('events', ns, { fieldSelector: `involvedObject.name=${name}` })).items;
}
