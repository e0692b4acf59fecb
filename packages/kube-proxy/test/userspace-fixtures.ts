// Fixtures for the userspace data path's tests: endpoint servers that say who they are, a data
// path in this process, snapshots from Service and EndpointSlice objects, and a client that reads
// the whole reply or tells how the connection ended.
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { EndpointSlice, Service } from '@kubets/api';
import { createLogger, createMetricsRegistry } from '@kubets/component-base';
import { userspaceMetrics } from '../src/metrics.js';
import { buildSnapshot, type ProxySnapshot } from '../src/model/snapshot.js';
import { UserspaceDataPath } from '../src/userspace/proxier.js';

export const quietLogger = createLogger('kube-proxy-test', { logLevel: 'fatal' });

/** A loopback address no other test is likely to use at the same time (127.130.0.0 - 127.189.255.254). */
export function randomLoopbackIP(): string {
  const r = (n: number) => Math.floor(Math.random() * n);
  return `127.${130 + r(60)}.${r(256)}.${1 + r(254)}`;
}

export interface EndpointServer {
  name: string;
  ip: string;
  port: number;
  server: Server;
  /** Connections it accepted. */
  accepted: number;
  /** Sockets still open on it. */
  sockets: Set<Socket>;
  close(): Promise<void>;
}

/** A server that writes its name on connect, then echoes. */
export async function endpointServer(name: string, ip = '127.0.0.1'): Promise<EndpointServer> {
  const sockets = new Set<Socket>();
  const e: EndpointServer = {
    name, ip, port: 0, accepted: 0, sockets,
    server: createServer({ allowHalfOpen: true }, (s) => {
      e.accepted++;
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
      s.write(`${name}\n`);
      s.pipe(s);
    }),
    close: () => new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      e.server.close(() => resolve());
    }),
  };
  await new Promise<void>((resolve) => e.server.listen(0, ip, resolve));
  e.port = (e.server.address() as { port: number }).port;
  return e;
}

export function service(name: string, spec: NonNullable<Service['spec']>): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'default', name, resourceVersion: '1' }, spec };
}

/** One slice per endpoint server (each listens on its own port). */
export function slicesFor(svc: string, servers: readonly { ip: string; port: number; name: string }[], portName = '', extra: (i: number) => Partial<NonNullable<EndpointSlice['endpoints']>[number]> = () => ({})): EndpointSlice[] {
  return servers.map((s, i) => ({
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { namespace: 'default', name: `${svc}-${s.name}`, labels: { 'kubernetes.io/service-name': svc } },
    addressType: 'IPv4',
    ports: [{ name: portName, port: s.port }],
    endpoints: [{ addresses: [s.ip], conditions: { ready: true }, ...extra(i) }],
  }));
}

export function snapshotOf(services: Service[], slices: EndpointSlice[], nodeName = 'node-1'): ProxySnapshot {
  return buildSnapshot(services, slices, nodeName);
}

export function dataPath(nodeAddresses: string[] = ['127.0.0.1'], connectTimeoutsMs?: number[]) {
  const registry = createMetricsRegistry();
  const path = new UserspaceDataPath({ nodeAddresses, metrics: userspaceMetrics(registry), logger: quietLogger, retryIntervalMs: 100, ...(connectTimeoutsMs !== undefined ? { connectTimeoutsMs } : {}) });
  return { path, registry };
}

export interface Reply {
  /** What the endpoint said first: its name. */
  from: string;
  data: string;
  /** How it ended: 'end' (FIN), or the error code (ECONNRESET, ECONNREFUSED). */
  ended: string;
}

/** Connects, sends `send` (then half-closes), and reads until the connection ends. */
export function exchange(ip: string, port: number, send = ''): Promise<Reply> {
  return new Promise((resolve) => {
    const s = connect({ host: ip, port, allowHalfOpen: true });
    let data = '';
    s.setEncoding('utf8');
    s.on('connect', () => s.end(send));
    s.on('data', (d: string) => (data += d));
    s.on('end', () => {
      s.end();
      resolve({ from: data.split('\n')[0]!, data, ended: 'end' });
    });
    s.on('error', (err: NodeJS.ErrnoException) => resolve({ from: data.split('\n')[0] ?? '', data, ended: err.code ?? 'error' }));
  });
}

/** A connection held open: its first line tells the endpoint; say() echoes through it. */
export async function openConnection(ip: string, port: number): Promise<{ from: string; say(text: string): Promise<string>; close(): void; closed: Promise<string> }> {
  const s = connect({ host: ip, port });
  s.setEncoding('utf8');
  /** How the connection ended: the error code, or 'close'. */
  const closed = new Promise<string>((resolve) => {
    let code = 'close';
    s.on('error', (e: NodeJS.ErrnoException) => (code = e.code ?? 'error')).on('close', () => resolve(code));
  });
  const lines: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  let buf = '';
  s.on('data', (d: string) => {
    buf += d;
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      const w = waiters.shift();
      if (w !== undefined) w(line);
      else lines.push(line);
    }
  });
  const next = () => new Promise<string>((resolve, reject) => {
    const l = lines.shift();
    if (l !== undefined) return resolve(l);
    waiters.push(resolve);
    s.once('error', reject);
  });
  const from = await next();
  return { from, say: (text) => { s.write(`${text}\n`); return next(); }, close: () => s.destroy(), closed };
}
