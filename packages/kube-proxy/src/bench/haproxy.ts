// The haproxy leg: Debian's haproxy, run by the benchmark itself in TCP mode with the same
// endpoints and round robin, from a config in a temporary directory, in the foreground (-db) so
// that it is one process the benchmark starts and stops by pid. Where haproxy is not installed the
// leg is skipped with the reason, rather than failing the whole run.
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { ManagedProcess } from '@kubets/cli';
import { freePorts } from '@kubets/testing';
import { reachesAll } from './traffic.js';
import type { Target } from './traffic-client.js';

export interface HaproxyOptions {
  /** 0: haproxy's own default (a thread per CPU). */
  threads: number;
}

export interface RunningHaproxy {
  target: Target;
  pid: number;
  version: string;
  threads: number | 'default';
  stop(): Promise<void>;
}

const isExecutable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The haproxy binary: HAPROXY_BIN, else the first on PATH or in the sbin directories (Debian installs it in /usr/sbin). */
export function findHaproxy(): string | undefined {
  if (process.env.HAPROXY_BIN !== undefined) return isExecutable(process.env.HAPROXY_BIN) ? process.env.HAPROXY_BIN : undefined;
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'].filter((d) => d !== '');
  return dirs.map((d) => join(d, 'haproxy')).find(isExecutable);
}

/** The config: one TCP frontend on `listen`, one backend of the endpoints, round robin, no health checks (the endpoints are up). */
export function haproxyConfig(listen: Target, endpoints: Target[], opts: HaproxyOptions): string {
  return [
    'global',
    // Two descriptors a connection, and haproxy refuses to start if it cannot raise its limit to that.
    '  maxconn 4096',
    ...(opts.threads > 0 ? [`  nbthread ${opts.threads}`] : []),
    'defaults',
    '  mode tcp',
    '  timeout connect 5s',
    '  timeout client 60s',
    '  timeout server 60s',
    'frontend bench',
    `  bind ${listen.host}:${listen.port}`,
    '  default_backend endpoints',
    'backend endpoints',
    '  balance roundrobin',
    ...endpoints.map((e, i) => `  server endpoint-${i} ${e.host}:${e.port}`),
    '',
  ].join('\n');
}

/** Starts haproxy in front of the endpoints; resolves once its frontend reaches every one. */
export async function startHaproxy(bin: string, endpoints: Target[], opts: HaproxyOptions): Promise<RunningHaproxy> {
  const dir = await mkdtemp(join(tmpdir(), 'kube-proxy-bench-haproxy-'));
  const target = { host: '127.0.0.1', port: (await freePorts(1))[0]! };
  const config = join(dir, 'haproxy.cfg');
  await writeFile(config, haproxyConfig(target, endpoints, opts));
  const proc = new ManagedProcess({ name: 'haproxy', command: bin, args: ['-db', '-f', config], ready: () => reachesAll(target, endpoints) });
  const stop = async () => {
    await proc.stop(2000);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    proc.start();
    await proc.waitReady(10_000);
  } catch (e) {
    await stop();
    throw e;
  }
  return { target, pid: proc.pid!, version: haproxyVersion(bin), threads: opts.threads > 0 ? opts.threads : 'default', stop };
}

/** "2.6.12-1+deb12u3", from the first line of `haproxy -v`. */
function haproxyVersion(bin: string): string {
  const first = execFileSync(bin, ['-v'], { encoding: 'utf8' }).split('\n', 1)[0] ?? '';
  return /version (\S+)/.exec(first)?.[1] ?? first;
}
