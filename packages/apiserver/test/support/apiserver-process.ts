// Starts real kubets-apiserver processes for tests and stops exactly those, by pid.

import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const mainJs = fileURLToPath(new URL('../../src/main.js', import.meta.url));

export interface ApiServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  logs: string[];
  stop(): Promise<void>;
}

export async function startApiServerProcess(etcdEndpoints: string[], extraArgs: string[] = [], timeoutMs = 30_000): Promise<ApiServerProcess> {
  const child = spawn(process.execPath, [mainJs, `--etcd-servers=${etcdEndpoints.join(',')}`, '--bind-address=127.0.0.1', '--secure-port=0', ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`kubets-apiserver did not start within ${timeoutMs} ms:\n${logs.join('\n')}`)), timeoutMs);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      logs.push(line);
      if (logs.length > 2000) logs.shift();
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
    child.stderr!.on('data', (d: Buffer) => logs.push(d.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`kubets-apiserver exited with ${code} before listening:\n${logs.join('\n')}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    child,
    logs,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
