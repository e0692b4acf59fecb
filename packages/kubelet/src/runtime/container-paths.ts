// A container sees the host's filesystem with its mounts on top. These map a path as the
// container sees it to the host path that holds it, so the kubelet can check and prepare paths
// before the container's namespace exists.
import { posix } from 'node:path';
import type { Mount } from './types.js';

/** Mounts in the order they must be made: a mount inside another comes after it. */
export function mountOrder(mounts: readonly Mount[]): Mount[] {
  return [...mounts].sort((a, b) => depth(a.containerPath) - depth(b.containerPath));
}

function depth(path: string): number {
  return posix.normalize(path).split('/').filter((p) => p !== '').length;
}

function within(path: string, dir: string): string | undefined {
  const p = posix.normalize(path);
  const d = posix.normalize(dir).replace(/\/$/, '');
  if (p === d) return '';
  return p.startsWith(`${d}/`) ? p.slice(d.length + 1) : undefined;
}

/** The host path behind a container path: under the deepest mount that covers it, else itself. */
export function hostPathOf(mounts: readonly Mount[], containerPath: string): string {
  let best: { mount: Mount; rest: string } | undefined;
  for (const mount of mounts) {
    const rest = within(containerPath, mount.containerPath);
    if (rest !== undefined && (best === undefined || depth(mount.containerPath) > depth(best.mount.containerPath))) best = { mount, rest };
  }
  return best === undefined ? posix.normalize(containerPath) : posix.join(best.mount.hostPath, best.rest);
}
