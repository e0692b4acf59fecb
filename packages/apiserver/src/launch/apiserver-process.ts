// Starts kubets-apiserver processes (for tests and the benchmark) and stops exactly those, by pid:
// SIGTERM, then SIGKILL if one outlives the grace period.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

// dist/src/launch/apiserver-process.js -> dist/src/main.js
const mainJs = fileURLToPath(new URL('../main.js', import.meta.url));

export interface ApiServerProcess {
  url: string;
  port: number;
  pid: number;
  child: ChildProcess;
  /** The last log lines (stdout and stderr), when kept. */
  logs: string[];
  stop(graceMs?: number): Promise<void>;
}

export interface ApiServerProcessOptions {
  extraArgs?: string[];
  /** Options for node itself, such as `--cpu-prof` when profiling. */
  nodeArgs?: string[];
  timeoutMs?: number;
  /**
   * Log lines kept once it listens (default 2000). 0 drains stdout unread: a benchmark does not
   * pay for reading one access-log line per request.
   */
  keepLogLines?: number;
}

const live = new Set<ApiServerProcess>();

/** Stops every API server started here and not yet stopped (for SIGINT/SIGTERM handlers). */
export async function stopAllApiServers(): Promise<void> {
  await Promise.all([...live].map((s) => s.stop(2000)));
}

const running = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;

export async function startApiServerProcess(etcdEndpoints: string[], opts: ApiServerProcessOptions = {}): Promise<ApiServerProcess> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const keepLines = opts.keepLogLines ?? 2000;
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), mainJs, `--etcd-servers=${etcdEndpoints.join(',')}`, '--bind-address=127.0.0.1', '--secure-port=0', ...(opts.extraArgs ?? [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const keep = (s: string) => {
    logs.push(s);
    if (logs.length > Math.max(keepLines, 200)) logs.shift();
  };
  child.stderr!.on('data', (d: Buffer) => keep(d.toString()));
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`kubets-apiserver did not start within ${timeoutMs} ms:\n${logs.join('\n')}`)), timeoutMs);
    lines.on('line', (line) => {
      keep(line);
      try {
        const rec = JSON.parse(line) as { msg?: string; port?: number };
        if (rec.msg === 'listening' && typeof rec.port === 'number') {
          clearTimeout(timer);
          resolve(rec.port);
        }
      } catch {
        // not a log line of ours
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kubets-apiserver exited with ${code} before listening:\n${logs.join('\n')}`));
    });
  });
  lines.removeAllListeners('line');
  if (keepLines > 0) {
    lines.on('line', keep);
  } else {
    lines.close();
    child.stdout!.resume();
  }
  const proc: ApiServerProcess = {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid!,
    child,
    logs,
    stop: (graceMs = 10_000) =>
      new Promise<void>((resolve) => {
        live.delete(proc);
        if (!running(child)) return resolve();
        const timer = setTimeout(() => running(child) && process.kill(child.pid!, 'SIGKILL'), graceMs);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        process.kill(child.pid!, 'SIGTERM');
      }),
  };
  live.add(proc);
  return proc;
}
