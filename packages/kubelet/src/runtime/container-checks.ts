// What must hold before a container's process is spawned, checked on the host so the error is
// upstream's and not a shell's "not found" in the log: its working directory exists and its
// argv[0] is an executable on its PATH. Paths are the container's view, mapped through its mounts.
import { accessSync, constants, statSync } from 'node:fs';
import { executableNotFoundMessage, findExecutable } from './container-command.js';
import { hostPathOf } from './container-paths.js';
import type { ContainerRecord } from './records.js';

type Checked = Pick<ContainerRecord, 'argv' | 'env' | 'workingDir' | 'config'>;

/** The reason it cannot start, in upstream's words, or undefined when it can. */
export function checkStartable(container: Checked): string | undefined {
  const { mounts } = container.config;
  const isDirectory = (p: string) => statOf(hostPathOf(mounts, p))?.isDirectory() === true;
  if (!isDirectory(container.workingDir)) {
    return `chdir to cwd ("${container.workingDir}") set in config.json failed: no such file or directory`;
  }
  const isExecutable = (p: string) => {
    const host = hostPathOf(mounts, p);
    return statOf(host)?.isFile() === true && canExecute(host);
  };
  const name = container.argv[0] ?? '';
  const found = findExecutable(name, container.env['PATH'] ?? '', container.workingDir, isExecutable);
  return found === undefined ? executableNotFoundMessage(name) : undefined;
}

function statOf(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined; // missing
  }
}

function canExecute(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
