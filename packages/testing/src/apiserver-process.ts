// One kubets-apiserver process on a free loopback port, for tests and benchmarks, launched by
// the CLI's launcher (the one `kubets up` uses). Stops exactly that process, by pid.
import type { ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { apiServerSpec, apiServerUrl, freePorts, ManagedProcess, ReadyTimeoutError } from '@kubets/cli';
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
  /** Deadline for /readyz to answer 200. Default 60 s. */
  timeoutMs?: number;
  /**
   * Output lines kept (default 2000). 0 keeps only stderr: a benchmark does not pay for reading
   * one access-log line per request.
   */
  keepLogLines?: number;
}

/**
 * Default deadline for /readyz. Generous: a start takes 3-8 s, but test files start their
 * servers at the same moment, several at a time, on machines other jobs load too.
 */
const readyTimeoutMs = 60_000;

const live = new Set<ApiServerProcess>();

/** What GET /readyz?verbose answers, for a start that timed out. */
async function readyzReport(url: string): Promise<string> {
  try {
    const res = await fetch(`${url}/readyz?verbose`, { signal: AbortSignal.timeout(5_000) });
    return `/readyz?verbose answered ${res.status}:\n${await res.text()}`;
  } catch (e) {
    return `/readyz?verbose did not answer: ${(e as Error).message}`;
  }
}

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
    await proc.waitReady(opts.timeoutMs ?? readyTimeoutMs);
  } catch (e) {
    // Why it was not ready, while it still runs: its own health checks say which one fails.
    if (e instanceof ReadyTimeoutError) e.message += `\n${await readyzReport(apiServerUrl(port!))}; load average ${loadavg()[0]!.toFixed(1)}`;
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
