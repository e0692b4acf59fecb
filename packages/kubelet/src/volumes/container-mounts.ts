// Which host paths a container's volumeMounts become, as upstream's makeMounts decides it
// (pkg/kubelet/kubelet_pods.go): the volume's directory (or the hostPath), joined with subPath
// or the expanded subPathExpr; an absolute subPath or one with '..' is refused; projected kinds
// are always read-only. Pure: the manager makes missing subPath directories.
import { join } from 'node:path';
import type { Container, Pod } from '@kubets/api';
import { ContainerConfigError } from '../container/errors.js';
import { expand } from '../container/expand.js';
import type { EnvVar } from '../container/service-env.js';
import { projectedKinds, volumeHostPath, volumeKind } from './paths.js';

export interface PlannedMount {
  containerPath: string;
  /** The volume's own path on the host. */
  volumePath: string;
  /** Relative to volumePath; '' for the whole volume. */
  subPath: string;
  readOnly: boolean;
  volumeName: string;
}

export function planContainerMounts(rootDir: string, pod: Pod, container: Container, env: readonly EnvVar[] = []): PlannedMount[] {
  const volumes = new Map((pod.spec?.volumes ?? []).map((v) => [v.name, v]));
  return (container.volumeMounts ?? []).map((mount) => {
    const volume = volumes.get(mount.name);
    const volumePath = volume && volumeHostPath(rootDir, pod.metadata?.uid ?? '', volume);
    if (volume === undefined || volumePath === undefined) throw new ContainerConfigError(`cannot find volume "${mount.name}" to mount into container "${container.name}"`);
    const subPath = mount.subPathExpr ? expandSubPathExpr(mount.subPathExpr, env) : (mount.subPath ?? '');
    checkSubPath(subPath);
    const readOnly = mount.readOnly === true || projectedKinds.has(volumeKind(volume)!);
    return { containerPath: mount.mountPath, volumePath, subPath, readOnly, volumeName: mount.name };
  });
}

/** The host path a planned mount binds. */
export function mountSource(m: PlannedMount): string {
  return m.subPath === '' ? m.volumePath : join(m.volumePath, m.subPath);
}

function checkSubPath(subPath: string): void {
  if (subPath === '') return;
  if (subPath.startsWith('/')) throw new ContainerConfigError(`error SubPath \`${subPath}\` must not be an absolute path`);
  if (subPath.split('/').includes('..')) throw new ContainerConfigError(`unable to provision SubPath \`${subPath}\`: must not contain '..'`);
}

/** $(VAR) from the container's environment; a variable that is unset or empty is an error, as upstream. */
export function expandSubPathExpr(expr: string, env: readonly EnvVar[]): string {
  const vars = new Map(env.map((v) => [v.name, v.value]));
  const missing = new Set<string>();
  const expanded = expand(expr, (name) => {
    const value = vars.get(name);
    if (value === undefined || value === '') missing.add(name);
    return value ?? '';
  });
  if (missing.size > 0) throw new ContainerConfigError(`missing value for ${[...missing].sort().join(', ')}`);
  return expanded;
}
