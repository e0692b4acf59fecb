// Why a container's configuration could not be made: the pod worker shows the reason as the
// container's waiting reason and puts the message in an Event, as upstream's kubelet does.

export type ContainerConfigErrorReason = 'CreateContainerConfigError';

export class ContainerConfigError extends Error {
  readonly reason: ContainerConfigErrorReason = 'CreateContainerConfigError';
  constructor(message: string) {
    super(message);
    this.name = 'ContainerConfigError';
  }
}
