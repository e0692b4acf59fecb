// What the pod workers need from the rest of the kubelet, as narrow interfaces: the runtime, the
// pod network, volumes, probes, status, Events, and the environment a container is given.
import type { Container, Pod } from '@kubets/api';
import type { PodNetwork } from '../network/pod-network.js';
import type { RuntimeService } from '../runtime/types.js';
import type { StatusManager } from '../status/manager.js';
import type { VolumeManager } from '../volumes/types.js';
import type { Backoff } from './backoff.js';

export interface ProbeResults {
  addPod(pod: Pod): void;
  removePod(podUid: string): void;
  setContainerState(podUid: string, containerName: string, state: { containerId: string; startedAt: number; podIP: string } | undefined): void;
  isReady(podUid: string, containerName: string): boolean;
  isStarted(podUid: string, containerName: string): boolean;
  /** Why the container's current run must be restarted (its liveness or startup probe failed), if it must. */
  livenessFailed(podUid: string, containerName: string): string | undefined;
}

export interface PodEvents {
  event(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string): void;
}

export interface ContainerEnvironment {
  /** The container's environment; throws a config error (CreateContainerConfigError) when a reference is missing. */
  environment(pod: Pod, container: Container, podIPs: string[]): Promise<Array<{ name: string; value: string }>>;
  /** command and args with $(VAR) expanded against that environment. */
  expand(words: string[] | undefined, env: Array<{ name: string; value: string }>): string[];
}

export type LifecycleHandler = NonNullable<NonNullable<Container['lifecycle']>['postStart']>;

export type RunHook = (handler: LifecycleHandler, ctx: { pod: Pod; container: Container; containerId: string; podIP: string; timeoutMs: number }) => Promise<string | undefined>;

export interface PodSyncDeps {
  nodeName: string;
  rootDir: string;
  runtime: RuntimeService;
  network: PodNetwork;
  volumes: VolumeManager;
  probes: ProbeResults;
  status: StatusManager;
  events: PodEvents;
  env: ContainerEnvironment;
  runHook: RunHook;
  backoff: Backoff;
  hostIPs(): string[];
  /** Deletes the pod object with grace 0 and its uid as precondition (gone already is fine). */
  deletePod(pod: Pod): Promise<void>;
  now(): number;
  logger: { info(o: object, m: string): void; warn(o: object, m: string): void; error(o: object, m: string): void; debug(o: object, m: string): void };
}
