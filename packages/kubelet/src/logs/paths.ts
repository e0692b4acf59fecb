// Where containers' logs live, as upstream's kubelet lays them out (pkg/kubelet/kuberuntime's
// BuildPodLogsDirectory and BuildContainerLogsDirectory):
//   <rootDir>/logs/<namespace>_<podName>_<podUid>/<container>/<restartCount>.log
// Rotation renames `N.log` to `N.log.<UTC YYYYMMDD-HHMMSS.mmm>`, so a container's whole log is its
// rotated files in name order, then `N.log`.
import { readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export function podLogDirectory(rootDir: string, namespace: string, podName: string, podUid: string): string {
  return join(rootDir, 'logs', `${namespace}_${podName}_${podUid}`);
}

/** The CRI logPath of a container run, relative to its pod's log directory (ContainerConfig.logPath). */
export function containerLogRelativePath(container: string, restartCount: number): string {
  return join(container, `${restartCount}.log`);
}

export function containerLogPath(rootDir: string, namespace: string, podName: string, podUid: string, container: string, restartCount: number): string {
  return join(podLogDirectory(rootDir, namespace, podName, podUid), containerLogRelativePath(container, restartCount));
}

/** A rotated file's suffix: the UTC time of its rotation, which sorts as it happened. */
const rotatedSuffix = /^\.\d{8}-\d{6}\.\d{3}$/;

/**
 * The files that hold one container run's log, oldest first: its rotated files, then the
 * current one (listed even when it does not exist yet, so that a follower can wait for it).
 */
export async function containerLogFiles(currentPath: string): Promise<string[]> {
  const dir = dirname(currentPath);
  const name = basename(currentPath);
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [currentPath];
    throw e;
  }
  const rotated = entries.filter((e) => e.startsWith(name) && rotatedSuffix.test(e.slice(name.length))).sort();
  return [...rotated.map((e) => join(dir, e)), currentPath];
}
