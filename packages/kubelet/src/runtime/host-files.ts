// Lookups on the host's files where a missing file is an answer, not an error.
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** A file's text, or undefined when it is not there. */
export function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined; // not there: e.g. the wrapper did not get to record a code
  }
}

/** When a file was last written (unix ms), or undefined when it is not there. */
export function mtimeOf(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined; // not there
  }
}

/** The absolute path of a program on the kubelet's own PATH (its name when not found). */
export function onHostPath(name: string): string {
  const dirs = (process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(':').filter((d) => d.startsWith('/'));
  for (const dir of dirs) {
    const full = join(dir, name);
    try {
      accessSync(full, constants.X_OK);
      return full;
    } catch {
      // not in this directory
    }
  }
  return name;
}
