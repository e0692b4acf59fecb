// The kubelet's volume manager: makes each volume of a pod real under
// <rootDir>/pods/<uid>/volumes/<plugin>/<name>, keeps the ConfigMap/Secret/downward API ones
// current (atomic ..data swaps, see atomic-writer.ts), gives each container its mounts, and
// removes it all with the pod. Calls for one pod run one at a time, so a refresh never races a
// set-up on the same ..data link.
import { existsSync, mkdirSync, realpathSync } from 'node:fs';
import { chmod, mkdir, readdir, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseQuantity, type Container, type Pod, type Volume } from '@kubets/api';
import type { EventLog } from '@kubets/component-base';
import { ContainerConfigError } from '../container/errors.js';
import type { EnvVar } from '../container/service-env.js';
import type { Mount } from '../runtime/types.js';
import type { ObjectSource } from '../sources/types.js';
import { VolumeError, type VolumeManager } from './types.js';
import { writeAtomically } from './atomic-writer.js';
import { mountSource, planContainerMounts, type PlannedMount } from './container-mounts.js';
import { checkHostPathType } from './host-path.js';
import { isMountPoint, mountTmpfs, unmountIfMounted } from './mount-table.js';
import { pluginDir, podVolumesDir, projectedKinds, volumeHostPath, volumeKind } from './paths.js';
import { volumePayload } from './payload.js';

export interface VolumeManagerOptions {
  rootDir: string;
  source: ObjectSource;
  nodeName: string;
  logger: EventLog;
  /** Root can mount tmpfs for `medium: Memory`; otherwise such an emptyDir is a plain directory. */
  isRoot: boolean;
  /** The node's allocatable, for downward API resource limits a container does not set. */
  allocatable?: Record<string, string | number>;
}

export interface PodVolumeManager extends VolumeManager {
  /** As VolumeManager's, with the container's environment for subPathExpr. */
  containerMounts(pod: Pod, container: Container, env?: readonly EnvVar[]): Mount[];
}

export function createVolumeManager(opts: VolumeManagerOptions): PodVolumeManager {
  const perPod = new PodSerializer();
  const setUp = (pod: Pod, only?: (v: Volume) => boolean) =>
    perPod.run(podUid(pod), async () => {
      for (const volume of pod.spec?.volumes ?? []) {
        if (only === undefined || only(volume)) await setUpVolume(opts, pod, volume);
      }
    });
  return {
    setUpPod: (pod) => setUp(pod),
    refreshPod: (pod) => setUp(pod, (v) => projectedKinds.has(volumeKind(v)!)),
    containerMounts: (pod, container, env = []) => planContainerMounts(opts.rootDir, pod, container, env).map((m) => toMount(m, container)),
    tearDownPod: (uid) => perPod.run(uid, () => tearDown(opts.rootDir, uid)),
  };
}

function podUid(pod: Pod): string {
  const uid = pod.metadata?.uid;
  if (!uid) throw new VolumeError('FailedMount', `pod ${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''} has no uid`);
  return uid;
}

async function setUpVolume(opts: VolumeManagerOptions, pod: Pod, volume: Volume): Promise<void> {
  const kind = volumeKind(volume);
  if (kind === undefined) {
    const named = Object.keys(volume).find((k) => k !== 'name') ?? 'unknown';
    throw new VolumeError('VolumesUnsupported', `volume "${volume.name}": ${named} volumes are not supported by this kubelet`);
  }
  const path = volumeHostPath(opts.rootDir, podUid(pod), volume)!;
  try {
    if (kind === 'hostPath') await checkHostPathType(path, volume.hostPath!.type);
    else if (kind === 'emptyDir') await setUpEmptyDir(opts, pod, volume, path);
    else await writeAtomically(path, (await volumePayload(pod, volume, opts))!);
  } catch (e) {
    if (e instanceof VolumeError) throw e;
    throw new VolumeError('FailedMount', `MountVolume.SetUp failed for volume "${volume.name}" : ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** A directory everyone may write (0777, as upstream), on a tmpfs of sizeLimit for medium Memory when root. */
async function setUpEmptyDir(opts: VolumeManagerOptions, pod: Pod, volume: Volume, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  if (volume.emptyDir?.medium === 'Memory') {
    if (opts.isRoot) {
      // Set-up runs on every sync; a tmpfs already there holds the pod's data and stays.
      if (!(await isMountPoint(dir))) {
        const limit = volume.emptyDir.sizeLimit;
        await mountTmpfs(dir, limit === undefined ? undefined : parseQuantity(String(limit)).value());
      }
    } else {
      opts.logger.warn({ pod: `${pod.metadata?.namespace}/${pod.metadata?.name}`, volume: volume.name }, 'emptyDir medium Memory needs root for a tmpfs: using a plain directory on disk, without its sizeLimit');
    }
  }
  await chmod(dir, 0o777);
}

/** Unmounts the pod's tmpfs emptyDirs, then removes its volume directories; hostPaths are never under them. */
async function tearDown(rootDir: string, uid: string): Promise<void> {
  const emptyDirs = pluginDir(rootDir, uid, 'emptyDir');
  for (const name of await namesIn(emptyDirs)) await unmountIfMounted(join(emptyDirs, name));
  await rm(podVolumesDir(rootDir, uid), { recursive: true, force: true });
}

async function namesIn(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

/** Makes a missing subPath directory, refusing one that resolves outside its volume (a symlink out). */
function toMount(m: PlannedMount, container: Container): Mount {
  const hostPath = mountSource(m);
  if (m.subPath !== '') {
    try {
      if (!existsSync(hostPath)) mkdirSync(hostPath, { recursive: true });
      const inside = relative(realpathSync(m.volumePath), realpathSync(hostPath));
      if (inside === '..' || inside.startsWith('../') || inside.startsWith('/')) throw new Error('outside the volume');
    } catch {
      // Upstream keeps the host's details out of the message the user sees.
      throw new ContainerConfigError(`failed to prepare subPath for volumeMount "${m.volumeName}" of container "${container.name}"`);
    }
  }
  return { containerPath: m.containerPath, hostPath, readOnly: m.readOnly };
}

/** Runs the calls for one key one after another; different keys run side by side. */
class PodSerializer {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.then(fn);
    // The tail only orders the next call; this call's caller gets its error through `next`.
    const tail = next.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }
}
