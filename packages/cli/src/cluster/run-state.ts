// run/state.json: what a running `kubets up` supervises, rewritten (atomically) on every change,
// so `kubets status`, `kubets down` and a detached start can read it without asking the
// supervisor. Every pid comes with its start time (see process-identity.ts), so a recorded pid
// that now belongs to another process is never taken for ours.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import type { ProcessIdentity } from '../launch/process-identity.js';
import { writeFileAtomically } from './files.js';
import { clusterPaths } from './layout.js';

export type RunPhase = 'starting' | 'running' | 'stopping' | 'failed';

export interface ProcessState {
  name: string;
  role: string;
  url: string;
  logFile?: string;
  /** A kubelet's root dir: `kubets down` resets it, which stops the pods the kubelet left running. */
  rootDir?: string;
  process?: ProcessIdentity;
  startedAt?: number;
  readyAt?: number;
  restarts: number;
  lastExit?: { code: number | null; signal: string | null; at: number };
}

export interface RunState {
  name: string;
  dataDir: string;
  supervisor: ProcessIdentity;
  startedAt: number;
  readyAt?: number;
  phase: RunPhase;
  error?: string;
  kubeconfig: string;
  processes: ProcessState[];
}

export function readRunState(dataDir: string): RunState | undefined {
  const path = clusterPaths(dataDir).state;
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as RunState;
  } catch {
    // Written by rename, so never half-written; unreadable means someone else's file: ignore it.
    return undefined;
  }
}

export function writeRunState(dataDir: string, state: RunState): void {
  writeFileAtomically(clusterPaths(dataDir).state, JSON.stringify(state, null, 2));
}

export function removeRunState(dataDir: string): void {
  rmSync(clusterPaths(dataDir).state, { force: true });
}
