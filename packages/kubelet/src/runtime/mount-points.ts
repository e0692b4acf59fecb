// A bind mount needs its target to exist. A target missing on the host is made (directories,
// or an empty file for a file volume) and remembered, so that it is removed again with the
// sandbox: only what we made, only while empty, and not while another of our sandboxes uses it.
// Every sandbox whose containers use a mount point we made lists it, so the last one removes it.
import { closeSync, mkdirSync, openSync, rmdirSync, statSync, unlinkSync } from 'node:fs';
import { posix } from 'node:path';
import { hostPathOf, mountOrder } from './container-paths.js';
import type { Mount } from './types.js';

export interface CreatedMountPoint {
  /** The host path that was made. */
  path: string;
  kind: 'directory' | 'file';
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false; // missing (or unreadable: then mkdir says why)
  }
}

/** The host paths a container's mounts are made at, in the order they are made. */
export function mountTargets(mounts: readonly Mount[]): string[] {
  const ordered = mountOrder(mounts);
  return ordered.map((mount, i) => hostPathOf(ordered.slice(0, i), mount.containerPath));
}

/** The mount targets with every directory above them: what must stay while the mounts exist. */
export function pathsUsedBy(mounts: readonly Mount[]): Set<string> {
  const used = new Set<string>();
  for (const target of mountTargets(mounts)) {
    for (let p = target; p !== posix.dirname(p); p = posix.dirname(p)) used.add(p);
  }
  return used;
}

/** Makes every missing mount target; returns what it made, parents before children. */
export function ensureMountPoints(mounts: readonly Mount[]): CreatedMountPoint[] {
  const created: CreatedMountPoint[] = [];
  const ordered = mountOrder(mounts);
  mountTargets(ordered).forEach((target, i) => {
    if (exists(target)) return;
    const isFile = statSync(ordered[i]!.hostPath).isFile();
    created.push(...makeDirectories(isFile ? posix.dirname(target) : target));
    if (isFile) {
      closeSync(openSync(target, 'wx'));
      created.push({ path: target, kind: 'file' });
    }
  });
  return created;
}

function makeDirectories(dir: string): CreatedMountPoint[] {
  const missing: string[] = [];
  for (let d = dir; !exists(d); d = posix.dirname(d)) missing.unshift(d);
  for (const d of missing) mkdirSync(d);
  return missing.map((path) => ({ path, kind: 'directory' }));
}

/**
 * Removes mount points we made, children first, skipping those in use by another sandbox.
 * A directory that is not empty (something else put files there) or a file that is not
 * empty is left where it is. Returns the paths it could not remove, with why.
 */
export function removeMountPoints(created: readonly CreatedMountPoint[], inUse: ReadonlySet<string>): Array<{ path: string; error: string }> {
  const failures: Array<{ path: string; error: string }> = [];
  const deepestFirst = [...created].sort((a, b) => b.path.split('/').length - a.path.split('/').length);
  for (const point of deepestFirst) {
    if (inUse.has(point.path)) continue;
    try {
      if (point.kind === 'directory') rmdirSync(point.path);
      else if (statSync(point.path).size === 0) unlinkSync(point.path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') failures.push({ path: point.path, error: code ?? String(e) });
    }
  }
  return failures;
}
