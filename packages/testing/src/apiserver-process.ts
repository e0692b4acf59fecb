// One kubets-apiserver process on a free loopback port, for tests and benchmarks, launched by
// the CLI's launcher (the one `kubets up` uses). Stops exactly that process, by pid.
import type { ChildProcess } from 'node:child_process';
import { apiServerSpec, apiServerUrl, freePorts, ManagedProcess } from '@kubets/cli';
import { retryOnTakenPort } from './retry.js';

export interface ApiServerProcess {
  url: string;
  port: number;
  pid: number;
  child: ChildProcess;
  /** Its last output lines (stdout and stderr). */
  readonly logs: string[];
  stop(graceMs?: number): Promise<void>;
}

export interface ApiServerProcessOptions {
  extraArgs?: string[];
  /** Options for node itself, such as `--cpu-prof` when profiling. */
  nodeArgs?: string[];
  timeoutMs?: number;
  /**
   * Output lines kept (default 2000). 0 keeps only stderr: a benchmark does not pay for reading
   * one access-log line per request.
   */
  keepLogLines?: number;
}

const live = new Set<ApiServerProcess>();

/** Stops every API server started here and not yet stopped (for SIGINT/SIGTERM handlers). */
export async function stopAllApiServers(): Promise<void> {
  await Promise.all([...live].map((s) => s.stop(2000)));
}

export function startApiServerProcess(etcdEndpoints: string[], opts: ApiServerProcessOptions = {}): Promise<ApiServerProcess> {
  return retryOnTakenPort(() => startOnce(etcdEndpoints, opts));
}

async function startOnce(etcdEndpoints: string[], opts: ApiServerProcessOptions): Promise<ApiServerProcess> {
  const [port] = await freePorts(1);
  const proc = new ManagedProcess(apiServerSpec({
    name: 'apiserver', port: port!, etcdServers: etcdEndpoints,
    keepLines: opts.keepLogLines ?? 2000,
    ...(opts.extraArgs !== undefined ? { flags: opts.extraArgs } : {}),
    ...(opts.nodeArgs !== undefined ? { nodeArgs: opts.nodeArgs } : {}),
  }));
  proc.start();
  try {
    await proc.waitReady(opts.timeoutMs ?? 30_000);
  } catch (e) {
    await proc.stop(0);
    throw e;
  }
  const server: ApiServerProcess = {
    url: apiServerUrl(port!),
    port: port!,
    pid: proc.pid!,
    child: proc.childProcess!,
    get logs() {
      return proc.lines();
    },
    stop: async (graceMs = 10_000) => {
      live.delete(server);
      await proc.stop(graceMs);
    },
  };
  live.add(server);
  return server;
}
