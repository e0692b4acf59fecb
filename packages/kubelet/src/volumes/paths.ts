// Where a pod's volumes live on the node, in upstream's layout:
// <rootDir>/pods/<uid>/volumes/<plugin>/<name>, plugin as upstream names it (kubernetes.io~configmap ...).
// hostPath volumes are used in place and have no directory here.
import { join } from 'node:path';
import type { Volume } from '@kubets/api';

export type VolumeKind = 'emptyDir' | 'hostPath' | 'configMap' | 'secret' | 'downwardAPI' | 'projected';

const pluginDirs: Record<Exclude<VolumeKind, 'hostPath'>, string> = {
  emptyDir: 'kubernetes.io~empty-dir',
  configMap: 'kubernetes.io~configmap',
  secret: 'kubernetes.io~secret',
  downwardAPI: 'kubernetes.io~downward-api',
  projected: 'kubernetes.io~projected',
};

/** The kinds whose content the kubelet writes; containers always get them read-only. */
export const projectedKinds: ReadonlySet<VolumeKind> = new Set(['configMap', 'secret', 'downwardAPI', 'projected']);

/** The kind of a volume, undefined for kinds this kubelet cannot make (PVC, NFS, CSI ...). */
export function volumeKind(volume: Volume): VolumeKind | undefined {
  for (const kind of ['emptyDir', 'hostPath', 'configMap', 'secret', 'downwardAPI', 'projected'] as const) {
    if (volume[kind] !== undefined) return kind;
  }
  return undefined;
}

export function podVolumesDir(rootDir: string, podUid: string): string {
  return join(rootDir, 'pods', podUid, 'volumes');
}

/** Where the volume's content is on the host: its own directory, or the hostPath itself. */
export function volumeHostPath(rootDir: string, podUid: string, volume: Volume): string | undefined {
  const kind = volumeKind(volume);
  if (kind === undefined) return undefined;
  if (kind === 'hostPath') return volume.hostPath!.path;
  return join(podVolumesDir(rootDir, podUid), pluginDirs[kind], volume.name);
}

/** The directory of one plugin's volumes of a pod (for teardown). */
export function pluginDir(rootDir: string, podUid: string, kind: Exclude<VolumeKind, 'hostPath'>): string {
  return join(podVolumesDir(rootDir, podUid), pluginDirs[kind]);
}
