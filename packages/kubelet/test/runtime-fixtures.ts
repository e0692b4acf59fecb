// What the process runtime's tests share: a temp root dir, a runtime that stops what the test
// started, a sandbox and container config, and the members of a process group from /proc.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '@kubets/testing';
import { createProcessRuntime, type ProcessRuntime, type ProcessRuntimeOptions } from '../src/runtime/process-runtime.js';
import type { ContainerConfig, ContainerStatus, PodSandboxConfig } from '../src/runtime/types.js';

export interface Teardown {
  teardown(fn: () => unknown): void;
}

export const quietLogger = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} };

export async function tempRoot(t: Teardown): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kubets-runtime-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A runtime whose running containers are stopped (by their recorded pid) when the test ends. */
export async function startRuntime(t: Teardown, rootDir: string, options: Partial<ProcessRuntimeOptions> = {}): Promise<ProcessRuntime> {
  const runtime = await createProcessRuntime({ rootDir, logMaxSizeBytes: 1 << 20, logMaxFiles: 3, logger: quietLogger, ...options });
  t.teardown(async () => {
    await Promise.all(runtime.listContainers().filter((c) => c.state === 'running').map((c) => runtime.stopContainer(c.id, 0)));
    await runtime.close();
  });
  return runtime;
}

export function sandboxConfig(rootDir: string, name: string, overrides: Partial<PodSandboxConfig> = {}): PodSandboxConfig {
  const uid = `uid-${name}`;
  return {
    uid, name, namespace: 'default', attempt: 0, hostname: name, podIP: '127.1.0.7',
    logDirectory: join(rootDir, 'logs', `default_${name}_${uid}`), labels: {}, annotations: {},
    ...overrides,
  };
}

export function containerConfig(name: string, command: string[], overrides: Partial<ContainerConfig> = {}): ContainerConfig {
  return { name, attempt: 0, image: 'busybox', command, args: [], env: [], mounts: [], logPath: `${name}/0.log`, labels: {}, annotations: {}, ...overrides };
}

/** Creates and starts a container in a new sandbox; returns both ids. */
export async function runContainer(runtime: ProcessRuntime, rootDir: string, config: ContainerConfig, sandbox: Partial<PodSandboxConfig> = {}): Promise<{ sandboxId: string; id: string }> {
  const sandboxId = await runtime.runPodSandbox(sandboxConfig(rootDir, sandbox.name ?? `pod-${config.name}`, sandbox));
  const id = await runtime.createContainer(sandboxId, config);
  await runtime.startContainer(id);
  return { sandboxId, id };
}

export async function exitedStatus(runtime: ProcessRuntime, id: string, timeoutMs = 10_000): Promise<ContainerStatus> {
  await eventually(() => runtime.containerStatus(id)?.state === 'exited', `container ${id} exited`, timeoutMs, 10);
  return runtime.containerStatus(id)!;
}

/** The pids whose process group is pgid (except those running the program `except`). */
export function groupMembers(pgid: number, except?: string): number[] {
  const members: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (Number(fields[2]) === pgid && fields[0] !== 'Z' && comm !== except) members.push(Number(name));
    } catch {
      // exited while we looked
    }
  }
  return members;
}

/** The pids whose command line mentions text (a container's wrapper names its exit file, with the id). */
export function processesMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(text)) pids.push(Number(name));
    } catch {
      // exited while we looked
    }
  }
  return pids.sort((a, b) => a - b);
}

/** The content of each CRI log entry of a file (the text after `<time> <stream> <tag> `). */
export async function logEntries(path: string): Promise<Array<{ stream: string; tag: string; text: string }>> {
  const text = await readFile(path, 'utf8');
  return text.split('\n').filter((l) => l !== '').map((line) => {
    const [, stream = '', tag = '', body = ''] = /^\S+ (\S+) (\S) (.*)$/.exec(line) ?? [];
    return { stream, tag, text: body };
  });
}

export async function filesIn(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort();
}
