// Helpers for the prober and lifecycle tests: local servers on ephemeral loopback ports, a port
// nothing listens on, a self-signed certificate, and a fake exec function.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Server } from 'node:net';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ExecResult } from '../src/runtime/types.js';

export const loopback = '127.0.0.1';

export interface LocalServer {
  port: number;
  close(): Promise<void>;
}

export async function listen(server: Server): Promise<LocalServer> {
  await new Promise<void>((resolve) => server.listen(0, loopback, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        (server as http.Server).closeAllConnections?.();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

export function httpServer(handler: http.RequestListener): Promise<LocalServer> {
  return listen(http.createServer(handler));
}

/** A port the OS handed out and took back: nothing listens there. */
export async function closedPort(): Promise<number> {
  const s = await listen(net.createServer());
  await s.close();
  return s.port;
}

/** A self-signed certificate for 127.0.0.1, made with openssl in a temp dir that is removed again. */
export async function selfSignedCert(): Promise<{ key: Buffer; cert: Buffer }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kubets-prober-cert-'));
  try {
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    await promisify(execFile)('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1']);
    return { key: await readFile(key), cert: await readFile(cert) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function httpsServer(handler: http.RequestListener): Promise<LocalServer> {
  return listen(https.createServer(await selfSignedCert(), handler));
}

export function execResult(exitCode: number, stdout = '', stderr = '', timedOut = false): ExecResult {
  return { exitCode, stdout: Buffer.from(stdout), stderr: Buffer.from(stderr), timedOut };
}

/** Records every call; answers with what `answer` returns for it. */
export function fakeExec(answer: (cmd: string[], timeoutMs: number) => ExecResult | Promise<ExecResult>) {
  const calls: Array<{ containerId: string; cmd: string[]; timeoutMs: number }> = [];
  const exec = async (containerId: string, cmd: string[], timeoutMs: number) => {
    calls.push({ containerId, cmd, timeoutMs });
    return answer(cmd, timeoutMs);
  };
  return { exec, calls };
}
