// The kubelet's container runtime interface: the role of the CRI (k8s.io/cri-api's RuntimeService
// and ImageService), shaped for one process. The pod workers speak only this, so a Docker runtime
// can later sit beside the process runtime. Ids are opaque strings chosen by the runtime; a
// container's id as the API shows it is `<runtime name>://<id>`.

/** What a pod sandbox is made from: the pod's identity and the things its containers share. */
export interface PodSandboxConfig {
  uid: string;
  name: string;
  namespace: string;
  /** Increases each time the sandbox of this pod is made again. */
  attempt: number;
  /** The pod's hostname in its own UTS namespace (the pod's name unless spec.hostname says otherwise). */
  hostname: string;
  /** The pod's address, from the pod network; the containers get it as KUBETS_POD_IP. */
  podIP: string;
  /** Where the containers' logs go: `<root-dir>/logs/<namespace>_<name>_<uid>/`. */
  logDirectory: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export type SandboxState = 'ready' | 'notready';

export interface PodSandboxStatus {
  id: string;
  config: PodSandboxConfig;
  state: SandboxState;
  /** Unix milliseconds. */
  createdAt: number;
}

/** A volume as a container sees it: hostPath appears at containerPath inside the pod's mount namespace. */
export interface Mount {
  containerPath: string;
  hostPath: string;
  readOnly: boolean;
}

export interface ContainerConfig {
  name: string;
  /** 0 for the first run of this container in this pod, then 1, 2 ... (the restart count). */
  attempt: number;
  /** The image as the pod names it; the runtime resolves it through its image table. */
  image: string;
  /** The pod's command and args, already $(VAR)-expanded; either may be empty. The runtime combines them
   * with the image's defaults as Docker does: command (else the image's entrypoint) followed by args
   * (else, when command is empty too, the image's default args). */
  command: string[];
  args: string[];
  /** In order; later entries win, as a container's env does. */
  env: Array<{ name: string; value: string }>;
  /** Relative to the container's view of the filesystem; defaults to the pod's own working directory. */
  workingDir?: string;
  mounts: Mount[];
  /** The CRI log file, relative to the sandbox's logDirectory: `<container>/<attempt>.log`. */
  logPath: string;
  /** Carried through to the status, for the kubelet's own bookkeeping (pod uid, container name, hash...). */
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export type ContainerState = 'created' | 'running' | 'exited' | 'unknown';

export interface ContainerStatus {
  id: string;
  sandboxId: string;
  name: string;
  attempt: number;
  state: ContainerState;
  /** Unix milliseconds; 0 when it has not happened. */
  createdAt: number;
  startedAt: number;
  finishedAt: number;
  /** Set once exited: the exit code, 128+n when a signal ended it. */
  exitCode?: number;
  /** Set when a signal ended it, e.g. 'SIGKILL'. */
  signal?: string;
  /** Why it is in its state, as the CRI gives it: 'Completed', 'Error', 'OOMKilled', 'StartError'... */
  reason?: string;
  message?: string;
  image: string;
  /** What the image resolved to, e.g. `kubets-process://node@/usr/bin/node`. */
  imageRef: string;
  /** Absolute path of its CRI log file. */
  logPath: string;
  /** The host pid of its process group leader while running (not part of the CRI; for diagnostics). */
  pid?: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface ExecResult {
  exitCode: number;
  stdout: Buffer;
  stderr: Buffer;
  /** True when the command was killed because it outlived the timeout. */
  timedOut: boolean;
}

/** What happened to a container, pushed by the runtime so that the kubelet does not wait for a relist (the PLEG). */
export interface ContainerEvent {
  type: 'started' | 'exited' | 'removed';
  containerId: string;
  sandboxId: string;
  podUid: string;
}

export interface RuntimeVersion {
  runtimeName: string;
  runtimeVersion: string;
}

export interface RuntimeService {
  version(): RuntimeVersion;
  /** Makes the pod's directories and shared namespaces ready; returns the sandbox id. */
  runPodSandbox(config: PodSandboxConfig): Promise<string>;
  /** Stops every container of the sandbox at once (SIGKILL); the kubelet stops them gracefully before. */
  stopPodSandbox(sandboxId: string): Promise<void>;
  /** Forgets the sandbox and removes its files; its containers must be gone. Unknown ids are not an error. */
  removePodSandbox(sandboxId: string): Promise<void>;
  listPodSandboxes(): PodSandboxStatus[];
  /** Prepares a container (resolves the image, records it); throws a RuntimeError when it cannot be made. */
  createContainer(sandboxId: string, config: ContainerConfig): Promise<string>;
  startContainer(containerId: string): Promise<void>;
  /** SIGTERM to the whole process group, SIGKILL after timeoutSeconds; resolves once it has exited. */
  stopContainer(containerId: string, timeoutSeconds: number): Promise<void>;
  removeContainer(containerId: string): Promise<void>;
  listContainers(filter?: { sandboxId?: string; podUid?: string }): ContainerStatus[];
  containerStatus(containerId: string): ContainerStatus | undefined;
  /** Runs a command in the container's namespaces, with its environment; kills it after timeoutMs. */
  execSync(containerId: string, cmd: string[], timeoutMs: number): Promise<ExecResult>;
  /** Subscribes to container events; returns the unsubscribe function. */
  onEvent(listener: (event: ContainerEvent) => void): () => void;
  /** Finds what an earlier kubelet left running (restart safety); called once before anything else. */
  recover(): Promise<void>;
  /** Stops watching; leaves the containers running (they outlive the kubelet). */
  close(): Promise<void>;
}

/** Why a runtime call failed, in the kubelet's waiting reasons (a catalog, not message text). */
export type RuntimeErrorReason = 'ErrImagePull' | 'InvalidImageName' | 'CreateContainerError' | 'RunContainerError' | 'CreateContainerConfigError';

export class RuntimeError extends Error {
  constructor(
    readonly reason: RuntimeErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'RuntimeError';
  }
}
