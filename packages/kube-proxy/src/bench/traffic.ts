// The driver's side of the traffic programs: it starts the endpoint servers (each its own
// process, stopped by pid), runs one measurement in a fresh client process and reads its JSON
// line back, and probes that an address answers the echo protocol (a proxy is ready once it does).
import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ManagedProcess } from '@kubets/cli';
import { header, Mode } from './protocol.js';
import type { ExchangeResult, Measurement, RequestsResult, StreamResult, Target } from './traffic-client.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const run = promisify(execFile);

export interface EndpointServers {
  targets: Target[];
  pids: number[];
  stop(): Promise<void>;
}

/** The port a server printed once it listened, if it has yet. */
function printedPort(p: ManagedProcess): number | undefined {
  for (const line of p.lines()) {
    if (!line.startsWith('{')) continue;
    const port = (JSON.parse(line) as { port?: unknown }).port;
    if (typeof port === 'number') return port;
  }
  return undefined;
}

/** n endpoint servers on 127.0.0.1, each on a port of its own choosing. */
export async function startEndpointServers(n: number, readyTimeoutMs = 10_000): Promise<EndpointServers> {
  const procs: ManagedProcess[] = [];
  const stop = async () => void (await Promise.all(procs.map((p) => p.stop(2000))));
  try {
    for (let i = 0; i < n; i++) {
      const p: ManagedProcess = new ManagedProcess({
        name: `endpoint-${i}`, command: process.execPath, args: [join(here, 'endpoint-server.js')],
        ready: async () => printedPort(p) !== undefined,
      });
      procs.push(p);
      p.start();
    }
    await Promise.all(procs.map((p) => p.waitReady(readyTimeoutMs, 5)));
  } catch (e) {
    await stop();
    throw e;
  }
  return { targets: procs.map((p) => ({ host: '127.0.0.1', port: printedPort(p)! })), pids: procs.map((p) => p.pid!), stop };
}

export function runMeasurement(m: Extract<Measurement, { kind: 'exchange' }>): Promise<ExchangeResult>;
export function runMeasurement(m: Extract<Measurement, { kind: 'stream' }>): Promise<StreamResult>;
export function runMeasurement(m: Extract<Measurement, { kind: 'requests' }>): Promise<RequestsResult>;
/** Runs one measurement in a client process of its own; rejects, with its stderr, when that fails. */
export async function runMeasurement(m: Measurement): Promise<ExchangeResult | StreamResult | RequestsResult> {
  const { stdout, stderr } = await run(process.execPath, [join(here, 'traffic-client.js'), JSON.stringify(m)], { maxBuffer: 256 * 1024 * 1024 });
  if (stderr !== '') process.stderr.write(stderr);
  return JSON.parse(stdout) as ExchangeResult | StreamResult | RequestsResult;
}

/** True when `t` accepts a connection and echoes a message back within timeoutMs. */
export function answersEcho(t: Target, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const message = Buffer.from('kube-proxy-bench');
    let got = 0;
    const socket = connect({ host: t.host, port: t.port });
    const finish = (ok: boolean) => (socket.destroy(), clearTimeout(timer), resolve(ok));
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on('data', (d: Buffer) => (got += d.length) >= message.length && finish(true));
    // Refused or reset: not ready yet, which is what the caller polls for.
    socket.once('error', () => finish(false));
    socket.once('end', () => finish(false));
    socket.write(Buffer.concat([header(Mode.echo), message]));
  });
}
