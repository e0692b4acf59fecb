// The process runtime: the kubelet's RuntimeService for containers that are process trees on
// the node's own filesystem. A container runs under a wrapper shell (isolation.ts) as the leader
// of its own process group, in its own mount, UTS and PID namespaces where the host allows;
// its output goes through FIFOs into its CRI log; everything needed to find it again after a
// kubelet restart is recorded under <rootDir>/runtime/ (records.ts).
import type { ChildProcess } from 'node:child_process';
import { parseImageName } from '../images/image-name.js';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdirSync, rmdirSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ImageTable } from '../images/image-table.js';
import { loadImageTable } from '../images/load-images.js';
import { adoptOrFinish, type AdoptDecision } from './adoption.js';
import { checkStartable } from './container-checks.js';
import { execInContainer } from './container-exec.js';
import { closeFds, containerFiles, openContainerOutputs, prepareContainerFiles, spawnContainer, waitUntilReady } from './container-launch.js';
import { containerStatusOf } from './container-status.js';
import { ContainerWatch, type ContainerWatchOptions, type LeaderExit } from './container-watch.js';
import { decideContainer } from './create-decision.js';
import { mtimeOf, onHostPath, readText } from './host-files.js';
import { exitStatusFromLeader, exitStatusOf, parseExitFile, type ExitStatus } from './exit-status.js';
import { probeIsolation, type IsolationMode } from './isolation.js';
import { ensureMountPoints, pathsUsedBy, removeMountPoints, type CreatedMountPoint } from './mount-points.js';
import { signalGroup } from './process-group.js';
import { childrenOf, identityOf } from '@kubets/component-base';
import { RecordStore, type ContainerRecord, type SandboxRecord } from './records.js';
import type { RuntimeLogger } from './runtime-logger.js';
import {
  RuntimeError,
  type ContainerConfig,
  type ContainerEvent,
  type ContainerStatus,
  type ExecResult,
  type PodSandboxConfig,
  type PodSandboxStatus,
  type RuntimeService,
  type RuntimeVersion,
} from './types.js';

export const runtimeName = 'kubets-process';
/** The kubelet package's version. */
export const runtimeVersion = '0.1.0';

export interface ProcessRuntimeSettings {
  rootDir: string;
  logMaxSizeBytes: number;
  logMaxFiles: number;
  logger: RuntimeLogger;
  isolation: IsolationMode;
  images: ImageTable;
  /** Settles when every image can run (see load-images.ts); a start waits for it. */
  imagesReady: Promise<void>;
  /** Absolute paths of the programs the runtime runs itself. */
  programs: { unshare: string; nsenter: string };
}

/** How long a SIGKILLed container may take to be seen gone before stop gives up waiting. */
const killWaitMs = 30_000;

interface StartInProgress {
  ended: boolean;
  leaderExit?: LeaderExit;
}

function newId(): string {
  return randomBytes(16).toString('hex');
}

export class ProcessRuntime implements RuntimeService {
  private readonly store: RecordStore;
  private readonly sandboxes = new Map<string, SandboxRecord>();
  private readonly containers = new Map<string, ContainerRecord>();
  private readonly watches = new Map<string, ContainerWatch>();
  /** Resolved when a container is seen exited; made when it starts or is adopted. */
  private readonly exits = new Map<string, { done: Promise<void>; resolve: () => void; killed: boolean }>();
  private readonly events = new EventEmitter();
  /** Containers whose start waits for their command to run; an exit seen meanwhile is held here. */
  private readonly starting = new Map<string, StartInProgress>();

  constructor(private readonly settings: ProcessRuntimeSettings) {
    this.store = new RecordStore(settings.rootDir);
  }

  version(): RuntimeVersion {
    return { runtimeName, runtimeVersion };
  }

  isolation(): IsolationMode {
    return this.settings.isolation;
  }

  onEvent(listener: (event: ContainerEvent) => void): () => void {
    this.events.on('event', listener);
    return () => this.events.off('event', listener);
  }

  private emit(type: ContainerEvent['type'], record: ContainerRecord): void {
    const podUid = this.sandboxes.get(record.sandboxId)?.config.uid ?? '';
    this.events.emit('event', { type, containerId: record.id, sandboxId: record.sandboxId, podUid } satisfies ContainerEvent);
  }

  private podWorkDir(uid: string): string {
    return join(this.settings.rootDir, 'pods', uid, 'work');
  }

  // ---- sandboxes

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    const record: SandboxRecord = { id: newId(), config, state: 'ready', createdAt: Date.now(), createdMountPoints: [] };
    mkdirSync(this.podWorkDir(config.uid), { recursive: true });
    mkdirSync(config.logDirectory, { recursive: true });
    this.store.saveSandbox(record);
    this.sandboxes.set(record.id, record);
    return record.id;
  }

  async stopPodSandbox(sandboxId: string): Promise<void> {
    const sandbox = this.sandboxes.get(sandboxId);
    if (sandbox === undefined) return;
    await Promise.all(this.containersOf(sandboxId).map((c) => this.stopContainer(c.id, 0)));
    sandbox.state = 'notready';
    this.store.saveSandbox(sandbox);
  }

  async removePodSandbox(sandboxId: string): Promise<void> {
    const sandbox = this.sandboxes.get(sandboxId);
    if (sandbox === undefined) return;
    for (const c of this.containersOf(sandboxId)) await this.removeContainer(c.id);
    this.sandboxes.delete(sandboxId);
    const inUse = new Set([...this.sandboxes.values()].flatMap((s) => s.createdMountPoints.map((p) => p.path)));
    for (const failure of removeMountPoints(sandbox.createdMountPoints, inUse)) {
      this.settings.logger.warn({ sandboxId, ...failure }, 'a mount point the runtime made was left in place');
    }
    if (![...this.sandboxes.values()].some((s) => s.config.uid === sandbox.config.uid)) this.removePodWorkDir(sandbox.config.uid);
    this.store.deleteSandbox(sandboxId);
  }

  /** The pod's work dir goes; its pod dir only when empty (the volumes live there too, and are not ours). */
  private removePodWorkDir(uid: string): void {
    rmSync(this.podWorkDir(uid), { recursive: true, force: true });
    try {
      rmdirSync(join(this.settings.rootDir, 'pods', uid));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'ENOENT') this.settings.logger.warn({ podUid: uid, err: e }, 'the pod directory cannot be removed');
    }
  }

  listPodSandboxes(): PodSandboxStatus[] {
    return [...this.sandboxes.values()].map((s) => ({ id: s.id, config: s.config, state: s.state, createdAt: s.createdAt }));
  }

  private containersOf(sandboxId: string): ContainerRecord[] {
    return [...this.containers.values()].filter((c) => c.sandboxId === sandboxId);
  }

  // ---- containers

  async createContainer(sandboxId: string, config: ContainerConfig): Promise<string> {
    const sandbox = this.sandboxes.get(sandboxId);
    if (sandbox === undefined || sandbox.state !== 'ready') {
      throw new RuntimeError('CreateContainerError', `pod sandbox ${sandboxId} is not ready`);
    }
    const decision = decideContainer({
      config,
      images: this.settings.images,
      isolation: this.settings.isolation,
      hostname: sandbox.config.hostname,
      podIP: sandbox.config.podIP,
      home: this.settings.isolation === 'none' ? homedir() : '/root',
      podWorkDir: this.podWorkDir(sandbox.config.uid),
    });
    this.makeMountPoints(sandbox, config);
    const record: ContainerRecord = {
      id: newId(),
      sandboxId,
      config,
      ...decision,
      isolation: this.settings.isolation,
      state: 'created',
      createdAt: Date.now(),
      startedAt: 0,
      finishedAt: 0,
      logPath: join(sandbox.config.logDirectory, config.logPath),
    };
    this.store.saveContainer(record);
    this.containers.set(record.id, record);
    return record.id;
  }

  private makeMountPoints(sandbox: SandboxRecord, config: ContainerConfig): void {
    if (config.mounts.length === 0) return;
    let made: CreatedMountPoint[];
    try {
      made = ensureMountPoints(config.mounts);
    } catch (e) {
      throw new RuntimeError('CreateContainerError', `cannot prepare the mounts of container "${config.name}": ${(e as Error).message}`);
    }
    // Mount points another sandbox made and this one uses too: this one removes them if it is the last.
    const used = pathsUsedBy(config.mounts);
    const listed = new Set(sandbox.createdMountPoints.map((p) => p.path));
    const shared = [...this.sandboxes.values()].flatMap((s) => s.createdMountPoints).filter((p) => used.has(p.path) && !listed.has(p.path));
    const added = [...made, ...new Map(shared.map((p) => [p.path, p])).values()];
    if (added.length === 0) return;
    sandbox.createdMountPoints.push(...added);
    this.store.saveSandbox(sandbox);
  }

  async startContainer(containerId: string): Promise<void> {
    const record = this.containers.get(containerId);
    // Only python containers need the python alias that is still being made; others start at once.
    if (record !== undefined && parseImageName(record.config.image)?.repository === 'python') await this.settings.imagesReady;
    if (record === undefined) throw new RuntimeError('RunContainerError', `container ${containerId} does not exist`);
    if (record.state !== 'created') throw new RuntimeError('RunContainerError', `container ${containerId} is ${record.state}, not created`);
    const sandbox = this.sandboxes.get(record.sandboxId);
    const problem = sandbox?.state !== 'ready' ? `pod sandbox ${record.sandboxId} is not ready` : checkStartable(record);
    if (problem !== undefined) this.failStart(record, problem);
    await this.launch(record, sandbox!);
  }

  /** Upstream's way: a container that could not start is exited with StartError (128). */
  private failStart(record: ContainerRecord, message: string): never {
    this.finish(record, { exitCode: 128, reason: 'StartError', message });
    throw new RuntimeError('RunContainerError', message);
  }

  private async launch(record: ContainerRecord, sandbox: SandboxRecord): Promise<void> {
    const files = await prepareContainerFiles(this.store.containerFilesDir(record.id));
    const fds = openContainerOutputs(files);
    let child: ChildProcess;
    try {
      const launchDir = this.podWorkDir(sandbox.config.uid);
      child = await spawnContainer({ record, hostname: sandbox.config.hostname, files, launchDir, unsharePath: this.settings.programs.unshare }, fds);
    } catch (e) {
      closeFds(fds);
      this.failStart(record, `starting the container process failed: ${(e as Error).message}`);
    }
    child.unref();
    const identity = identityOf(child.pid!);
    Object.assign(record, { state: 'running', startedAt: Date.now(), leader: identity });
    this.store.saveContainer(record);
    const start: StartInProgress = { ended: false };
    this.starting.set(record.id, start);
    try {
      // The readers open while our write ends still hold the FIFOs: what a short-lived container
      // wrote cannot be dropped with the last reference before we read it.
      this.watch(record, { child, identity });
    } catch (e) {
      this.starting.delete(record.id);
      this.exits.delete(record.id);
      signalGroup(identity, 'SIGKILL');
      this.failStart(record, `reading the container output failed: ${(e as Error).message}`);
    } finally {
      closeFds(fds);
    }
    await this.untilCommandRuns(record, files.readyFile, start);
  }

  /** Resolves once the command runs (then 'started' is emitted before its exit); throws when it never did. */
  private async untilCommandRuns(record: ContainerRecord, readyFile: string, start: StartInProgress): Promise<void> {
    const outcome = await waitUntilReady(readyFile, () => start.ended);
    this.starting.delete(record.id);
    if (outcome === 'ended') {
      this.exited(record, start.leaderExit);
      throw new RuntimeError('RunContainerError', record.message ?? `the container ended before its command ran (exit code ${record.exitCode})`);
    }
    if (outcome === 'timeout') this.settings.logger.warn({ containerId: record.id }, 'the container did not report its command running in time');
    this.settings.logger.debug({ containerId: record.id, pid: record.leader?.pid }, 'container started');
    this.emit('started', record);
    if (start.ended) this.exited(record, start.leaderExit);
  }

  private watch(record: ContainerRecord, leader: ContainerWatchOptions['leader']): void {
    let resolve!: () => void;
    const done = new Promise<void>((r) => (resolve = r));
    this.exits.set(record.id, { done, resolve, killed: false });
    const watch = new ContainerWatch({
      containerId: record.id,
      fifos: containerFiles(this.store.containerFilesDir(record.id)).fifos,
      log: { path: record.logPath, maxSizeBytes: this.settings.logMaxSizeBytes, maxFiles: this.settings.logMaxFiles },
      leader,
      isolation: record.isolation,
      logger: this.settings.logger,
      onExit: (leaderExit) => this.exited(record, leaderExit),
    });
    this.watches.set(record.id, watch);
  }

  private exited(record: ContainerRecord, leaderExit: LeaderExit): void {
    const start = this.starting.get(record.id);
    if (start !== undefined) {
      // Its start has not reported yet: the exit waits, so that 'started' comes before 'exited'.
      Object.assign(start, { ended: true, leaderExit });
      return;
    }
    const exit = this.exits.get(record.id);
    const recorded = parseExitFile(readText(containerFiles(this.store.containerFilesDir(record.id)).exitFile));
    const status = recorded ?? (leaderExit !== undefined ? exitStatusFromLeader(leaderExit.code, leaderExit.signal) : unrecordedExit(exit?.killed ?? false));
    this.watches.delete(record.id);
    this.finish(record, status);
    this.exits.delete(record.id);
    exit?.resolve();
  }

  private finish(record: ContainerRecord, status: ExitStatus, finishedAt = Date.now()): void {
    delete record.leader;
    Object.assign(record, { state: 'exited', finishedAt, ...status });
    this.store.saveContainer(record);
    this.settings.logger.debug({ containerId: record.id, exitCode: status.exitCode, reason: status.reason }, 'container exited');
    this.emit('exited', record);
  }

  async stopContainer(containerId: string, timeoutSeconds: number): Promise<void> {
    const record = this.containers.get(containerId);
    const exit = this.exits.get(containerId);
    if (record?.state !== 'running' || record.leader === undefined || exit === undefined) return;
    const leader = record.leader;
    signalGroup(leader, 'SIGTERM');
    if (!(await settlesWithin(exit.done, timeoutSeconds * 1000))) {
      exit.killed = true;
      signalGroup(leader, 'SIGKILL');
      if (!(await settlesWithin(exit.done, killWaitMs))) {
        this.settings.logger.error({ containerId, pid: leader.pid }, 'the container did not exit after SIGKILL');
      }
    }
  }

  async removeContainer(containerId: string): Promise<void> {
    const record = this.containers.get(containerId);
    if (record === undefined) return;
    if (record.state === 'running') await this.stopContainer(containerId, 0);
    this.containers.delete(containerId);
    this.store.deleteContainer(containerId);
    this.emit('removed', record);
  }

  listContainers(filter?: { sandboxId?: string; podUid?: string }): ContainerStatus[] {
    return [...this.containers.values()]
      .filter((c) => filter?.sandboxId === undefined || c.sandboxId === filter.sandboxId)
      .filter((c) => filter?.podUid === undefined || this.sandboxes.get(c.sandboxId)?.config.uid === filter.podUid)
      .map(containerStatusOf);
  }

  containerStatus(containerId: string): ContainerStatus | undefined {
    const record = this.containers.get(containerId);
    return record === undefined ? undefined : containerStatusOf(record);
  }

  async execSync(containerId: string, cmd: string[], timeoutMs: number): Promise<ExecResult> {
    const record = this.containers.get(containerId);
    if (record?.state !== 'running' || record.leader === undefined) {
      throw new RuntimeError('RunContainerError', `container ${containerId} is not running`);
    }
    const problem = checkStartable({ ...record, argv: cmd });
    if (problem !== undefined) throw new RuntimeError('RunContainerError', problem);
    const namespacePid = childrenOf(record.leader.pid)[0];
    if (record.isolation !== 'none' && namespacePid === undefined) {
      throw new RuntimeError('RunContainerError', `container ${containerId} has no process to enter`);
    }
    return execInContainer(
      { isolation: record.isolation, env: record.env, workingDir: record.workingDir, nsenterPath: this.settings.programs.nsenter, ...(namespacePid !== undefined && { namespacePid }) },
      cmd,
      timeoutMs,
    );
  }

  // ---- restart safety

  async recover(): Promise<void> {
    const unreadable = (path: string, error: Error) => this.settings.logger.error({ path, err: error }, 'a runtime record cannot be read; it is skipped');
    for (const sandbox of this.store.loadSandboxes(unreadable)) this.sandboxes.set(sandbox.id, sandbox);
    for (const record of this.store.loadContainers(unreadable)) {
      this.containers.set(record.id, record);
      if (record.state !== 'running') continue;
      this.recoverRunning(record, adoptOrFinish(record, readText(containerFiles(this.store.containerFilesDir(record.id)).exitFile)));
    }
  }

  private recoverRunning(record: ContainerRecord, decision: AdoptDecision): void {
    if (decision.kind === 'finish') {
      const exitFile = containerFiles(this.store.containerFilesDir(record.id)).exitFile;
      this.finish(record, decision.status, mtimeOf(exitFile) ?? Date.now());
      return;
    }
    try {
      this.watch(record, { identity: decision.leader });
      this.settings.logger.info({ containerId: record.id, pid: decision.leader.pid }, 'adopted a running container');
    } catch (e) {
      // Its output cannot be read again, so it would block on a full pipe: end it rather than leave it.
      this.exits.delete(record.id);
      this.settings.logger.error({ containerId: record.id, err: e }, 'a running container cannot be adopted; it is killed');
      signalGroup(decision.leader, 'SIGKILL');
      this.finish(record, { ...exitStatusOf(137), message: `the kubelet restarted and could not reopen the container's output: ${(e as Error).message}` });
    }
  }

  async close(): Promise<void> {
    await this.settings.imagesReady; // nothing of ours is left running in the background
    const watches = [...this.watches.values()];
    this.watches.clear();
    this.exits.clear(); // what it watched is no longer its to stop: a new runtime adopts it
    await Promise.all(watches.map((w) => w.detach()));
    this.events.removeAllListeners();
  }
}

/** A leader that was not our child ended and its wrapper left no code. */
function unrecordedExit(killed: boolean): ExitStatus {
  return killed ? exitStatusOf(137) : { exitCode: 255, reason: 'Error', message: 'the container exited without recording its exit code' };
}

function settlesWithin(done: Promise<void>, ms: number): Promise<boolean> {
  if (ms <= 0) return Promise.race([done.then(() => true), Promise.resolve(false)]);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void done.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}


export interface ProcessRuntimeOptions {
  rootDir: string;
  logMaxSizeBytes: number;
  logMaxFiles: number;
  imageConfigPath?: string;
  logger: RuntimeLogger;
  /** Forces an isolation mode instead of probing for one (tests of the unprivileged paths). */
  isolation?: IsolationMode;
}

/** Makes the runtime: probes which isolation this host allows and loads the image table. */
export async function createProcessRuntime(options: ProcessRuntimeOptions): Promise<ProcessRuntime> {
  const [isolation, images] = await Promise.all([options.isolation ?? probeIsolation(), loadImageTable(options.rootDir, options.imageConfigPath)]);
  options.logger.info({ isolation }, 'process runtime isolation');
  return new ProcessRuntime({
    rootDir: options.rootDir,
    logMaxSizeBytes: options.logMaxSizeBytes,
    logMaxFiles: options.logMaxFiles,
    logger: options.logger,
    isolation,
    images: images.table,
    imagesReady: images.ready.catch((e: unknown) => options.logger.error({ err: e }, 'the python image cannot be prepared')),
    programs: { unshare: onHostPath('unshare'), nsenter: onHostPath('nsenter') },
  });
}
