// What createContainer decides before anything is made: which image entry, which argv, which
// environment and working directory; or the waiting reason and message when it cannot be made.
// Pure, apart from nothing: the image table and the isolation mode are given.
import { unknownImageMessage, type ImageTable } from '../images/image-table.js';
import { containerArgv, containerEnvironment } from './container-command.js';
import type { IsolationMode } from './isolation.js';
import { RuntimeError, type ContainerConfig } from './types.js';

export interface CreateInputs {
  config: ContainerConfig;
  images: ImageTable;
  isolation: IsolationMode;
  hostname: string;
  podIP: string;
  home: string;
  podWorkDir: string;
}

export interface CreateDecision {
  imageRef: string;
  argv: string[];
  env: Record<string, string>;
  workingDir: string;
}

/** Decides the container's process, or throws the RuntimeError the kubelet shows as its waiting reason. */
export function decideContainer(inputs: CreateInputs): CreateDecision {
  const { config } = inputs;
  const found = inputs.images.lookup(config.image);
  if (found.kind === 'invalid') {
    throw new RuntimeError('InvalidImageName', `Failed to apply default image tag "${config.image}": couldn't parse image name "${config.image}": invalid reference format`);
  }
  if (found.kind === 'unknown') throw new RuntimeError('ErrImagePull', unknownImageMessage(config.image, inputs.images));
  const argv = containerArgv(config, found.entry);
  if (argv.length === 0) {
    throw new RuntimeError('CreateContainerError', `no command specified: the container "${config.name}" has neither command nor args and image "${config.image}" has no default`);
  }
  if (config.mounts.length > 0 && inputs.isolation === 'none') {
    throw new RuntimeError('CreateContainerError',
      `the container "${config.name}" has volumes, but this node can make neither a mount namespace (it does not run as root) nor an unprivileged user namespace, so they cannot be mounted`);
  }
  return {
    imageRef: found.entry.ref,
    argv,
    env: containerEnvironment({ env: config.env, image: found.entry, hostname: inputs.hostname, home: inputs.home, podIP: inputs.podIP }),
    workingDir: config.workingDir !== undefined && config.workingDir !== '' ? config.workingDir : inputs.podWorkDir,
  };
}
