// What a container runs, decided from the pod's command and args and the image's defaults, as
// Docker and the CRI combine them; and the environment it starts with. Pure, so tested alone.
import { isAbsolute, posix } from 'node:path';
import type { ImageEntry } from '../images/image-table.js';
import type { ContainerConfig } from './types.js';

/** command (else the entrypoint) followed by args (else, when command is empty too, the image's cmd). */
export function containerArgv(config: Pick<ContainerConfig, 'command' | 'args'>, image: ImageEntry): string[] {
  if (config.command.length > 0) return [...config.command, ...config.args];
  const entrypoint = image.entrypoint ?? [];
  const args = config.args.length > 0 ? config.args : (image.cmd ?? []);
  return [...entrypoint, ...args];
}

export interface EnvironmentInputs {
  env: ContainerConfig['env'];
  image: ImageEntry;
  hostname: string;
  home: string;
  podIP: string;
}

/** The image's PATH, HOSTNAME and HOME unless env sets them, then env in order, then KUBETS_POD_IP. */
export function containerEnvironment(inputs: EnvironmentInputs): Record<string, string> {
  const result: Record<string, string> = {
    PATH: inputs.image.path.join(':'),
    HOSTNAME: inputs.hostname,
    HOME: inputs.home,
  };
  for (const { name, value } of inputs.env) result[name] = value;
  result['KUBETS_POD_IP'] = inputs.podIP;
  return result;
}

/**
 * Where argv[0] is, found as exec(3) finds it: a name with a slash is taken as a path (relative
 * to the working directory), any other is looked up on PATH. `isExecutable` answers for a path
 * as the container sees it. Returns undefined when it is nowhere to be found.
 */
export function findExecutable(name: string, path: string, workingDir: string, isExecutable: (p: string) => boolean): string | undefined {
  if (name === '') return undefined;
  if (name.includes('/')) {
    const full = isAbsolute(name) ? name : posix.join(workingDir, name);
    return isExecutable(full) ? full : undefined;
  }
  for (const dir of path.split(':')) {
    const full = posix.join(dir === '' ? workingDir : isAbsolute(dir) ? dir : posix.join(workingDir, dir), name);
    if (isExecutable(full)) return full;
  }
  return undefined;
}

/** Upstream's message (runc's, as the kubelet shows it) for an argv[0] that is not there. */
export function executableNotFoundMessage(name: string): string {
  return name.includes('/')
    ? `exec: "${name}": stat ${name}: no such file or directory`
    : `exec: "${name}": executable file not found in $PATH`;
}
