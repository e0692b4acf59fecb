// The driver's side of the traffic programs: it starts the endpoint servers (each its own
// process, stopped by pid), runs one measurement in a fresh client process and reads its JSON
// line back, and probes which endpoint a connection reaches (a proxy is ready once all are reached).
import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ManagedProcess } from '@kubets/cli';
import { header, Mode, PORT_ANSWER_BYTES } from './protocol.js';
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

/** The port of the endpoint server that answers a connection to `t`, or undefined when none does within timeoutMs. */
export function answeringPort(t: Target, timeoutMs = 1000): Promise<number | undefined> {
  return new Promise((resolve) => {
    const answer = Buffer.alloc(PORT_ANSWER_BYTES);
    let got = 0;
    const socket = connect({ host: t.host, port: t.port });
    const finish = (port: number | undefined) => (socket.destroy(), clearTimeout(timer), resolve(port));
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    socket.on('data', (d: Buffer) => (got += d.copy(answer, got)) === PORT_ANSWER_BYTES && finish(answer.readUInt32BE()));
    // Refused or reset: nobody answers yet, which is what the caller polls for.
    socket.once('error', () => finish(undefined));
    socket.once('end', () => finish(undefined));
    socket.write(header(Mode.port));
  });
}

/** True once connections to `t` reach every one of the endpoints (a proxy may add them over more than one sync). */
export async function reachesAll(t: Target, endpoints: Target[]): Promise<boolean> {
  const want = new Set(endpoints.map((e) => e.port));
  const seen = new Set<number>();
  // Round robin reaches each in turn; twice as many tries leaves room for a balancer that starts anywhere.
  for (let i = 0; i < 2 * want.size && seen.size < want.size; i++) {
    const port = await answeringPort(t);
    if (port === undefined) return false;
    seen.add(port);
  }
  return [...want].every((p) => seen.has(p));
}
