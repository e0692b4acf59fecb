// The python image runs the host's python3 and also answers to `python`, as the python image does.
// A version manager's shim (pyenv) is resolved to the interpreter it runs, so the container does
// not depend on the shim's own environment.
import { execFile } from 'node:child_process';
import { rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

let found: Promise<string | undefined> | undefined;

/** The host's python3 interpreter, or undefined when it has none; looked up once per process. */
export function findPython3(): Promise<string | undefined> {
  found ??= lookUpPython3();
  return found;
}

async function lookUpPython3(): Promise<string | undefined> {
  try {
    const { stdout } = await run('python3', ['-c', 'import sys; print(sys.executable)'], { timeout: 10_000 });
    const path = stdout.trim();
    return path === '' ? undefined : path;
  } catch {
    return undefined; // no python3 on this host: the table has no python image
  }
}

/** Makes `<dir>/python` and `<dir>/python3` (dir exists) point at the interpreter. */
export async function preparePythonAlias(dir: string, python3: string): Promise<string> {
  for (const name of ['python', 'python3']) {
    const link = join(dir, name);
    await rm(link, { force: true });
    await symlink(python3, link);
  }
  return dir;
}
