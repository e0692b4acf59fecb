// What the runtime must remember across a kubelet restart, one JSON file per sandbox and per
// container under <rootDir>/runtime/. Each write goes to a temporary file that is renamed over
// the record, so a kubelet killed mid-write leaves the old record or the new one, never half.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IsolationMode } from './isolation.js';
import type { CreatedMountPoint } from './mount-points.js';
import type { ProcessIdentity } from '@kubets/component-base';
import type { ContainerConfig, ContainerStatus, PodSandboxConfig, SandboxState } from './types.js';

export interface SandboxRecord {
  id: string;
  config: PodSandboxConfig;
  state: SandboxState;
  createdAt: number;
  /** Mount targets this sandbox's containers made on the host, to remove with it. */
  createdMountPoints: CreatedMountPoint[];
}

/** A container's record: its status as the CRI shows it (its own fields) and what it was made from. */
export interface ContainerRecord
  extends Pick<ContainerStatus, 'id' | 'sandboxId' | 'state' | 'createdAt' | 'startedAt' | 'finishedAt' | 'exitCode' | 'signal' | 'reason' | 'message' | 'imageRef' | 'logPath'> {
  config: ContainerConfig;
  /** What runs, as decided at create: the argv, its environment and working dir (container view). */
  argv: string[];
  env: Record<string, string>;
  workingDir: string;
  isolation: IsolationMode;
  /** The process group leader while running, with its start time (a reused pid is never ours). */
  leader?: ProcessIdentity;
}

export class RecordStore {
  readonly sandboxDir: string;
  readonly containerDir: string;

  constructor(rootDir: string) {
    this.sandboxDir = join(rootDir, 'runtime', 'sandboxes');
    this.containerDir = join(rootDir, 'runtime', 'containers');
    mkdirSync(this.sandboxDir, { recursive: true });
    mkdirSync(this.containerDir, { recursive: true });
  }

  /** The directory of a container's FIFOs and exit file. */
  containerFilesDir(id: string): string {
    return join(this.containerDir, id);
  }

  saveSandbox(record: SandboxRecord): void {
    writeAtomically(join(this.sandboxDir, `${record.id}.json`), record);
  }

  saveContainer(record: ContainerRecord): void {
    writeAtomically(join(this.containerDir, `${record.id}.json`), record);
  }

  deleteSandbox(id: string): void {
    rmSync(join(this.sandboxDir, `${id}.json`), { force: true });
  }

  deleteContainer(id: string): void {
    rmSync(join(this.containerDir, `${id}.json`), { force: true });
    rmSync(this.containerFilesDir(id), { recursive: true, force: true });
  }

  /** The records on disk; one that cannot be read is passed to onUnreadable and skipped. */
  loadSandboxes(onUnreadable: (path: string, error: Error) => void): SandboxRecord[] {
    return readRecords<SandboxRecord>(this.sandboxDir, onUnreadable);
  }

  loadContainers(onUnreadable: (path: string, error: Error) => void): ContainerRecord[] {
    return readRecords<ContainerRecord>(this.containerDir, onUnreadable);
  }
}

function writeAtomically(path: string, value: unknown): void {
  const temp = `${path}.tmp`;
  writeFileSync(temp, JSON.stringify(value));
  renameSync(temp, path);
}

function readRecords<T>(dir: string, onUnreadable: (path: string, error: Error) => void): T[] {
  const records: T[] = [];
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
    const path = join(dir, name);
    try {
      records.push(JSON.parse(readFileSync(path, 'utf8')) as T);
    } catch (e) {
      onUnreadable(path, e as Error);
    }
  }
  return records;
}
