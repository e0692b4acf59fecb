// The few mount operations the volume manager needs as root: a tmpfs for `medium: Memory`
// emptyDirs, and unmounting it. util-linux's mount/umount do the work; /proc/self/mountinfo
// says what is mounted.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** mountinfo escapes space, tab, newline and backslash as octal. */
function unescapeMountPath(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** True when path is itself a mount point (as this process sees mounts). */
export async function isMountPoint(path: string): Promise<boolean> {
  const table = await readFile('/proc/self/mountinfo', 'utf8');
  return table.split('\n').some((line) => {
    const mountPoint = line.split(' ')[4];
    return mountPoint !== undefined && unescapeMountPath(mountPoint) === path;
  });
}

/** Mounts a tmpfs on dir, limited to sizeBytes when given. */
export async function mountTmpfs(dir: string, sizeBytes?: bigint): Promise<void> {
  const options = sizeBytes !== undefined && sizeBytes > 0n ? ['-o', `size=${sizeBytes}`] : [];
  await run('mount', ['-t', 'tmpfs', ...options, 'tmpfs', dir]);
}

/** Unmounts dir if something is mounted there (repeatedly, should it be stacked). */
export async function unmountIfMounted(dir: string): Promise<void> {
  while (await isMountPoint(dir)) await run('umount', [dir]);
}
