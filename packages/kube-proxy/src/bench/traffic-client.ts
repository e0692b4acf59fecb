// The benchmark's traffic, run as its own process: one measurement (given as JSON in argv[2])
// against endpoint servers or a proxy in front of them; prints one JSON line with its result and
// exits. All connections go to loopback. Reads land in one reused buffer (net's onread), since
// only byte counts matter, so the client costs the same in every leg.
//   exchange: `connections` connections at once, each sending `bytes` while receiving `bytes`;
//   stream:   one connection sending `bytes`, timed until the server's count comes back;
//   requests: open loop, `rate` exchanges of `messageBytes` a second for `seconds` after
//             `warmupSeconds`, over `connections` kept-alive connections (pipelined, round robin)
//             or, with connections 0, a new connection per exchange; each latency is measured
//             from its scheduled time, so a stall delays every exchange due meanwhile.
import { connect, type Socket } from 'node:net';
import { header, Mode, sendBytes, SINK_ACK_BYTES } from './protocol.js';

export interface Target {
  host: string;
  port: number;
}

export type Measurement =
  | { kind: 'exchange'; targets: Target[]; connections: number; bytes: number }
  | { kind: 'stream'; target: Target; bytes: number }
  | { kind: 'requests'; targets: Target[]; rate: number; seconds: number; warmupSeconds: number; connections: number; messageBytes: number };

export interface ExchangeResult { seconds: number; bytesSent: number; bytesReceived: number; errors: number }
export interface StreamResult { seconds: number; bytes: number; acknowledged: number }
export interface RequestsResult { latenciesMs: number[]; sent: number; errors: number }

const RECV = Buffer.allocUnsafe(64 * 1024);

let errorsReported = 0;
/** Errors are counted in the result; the first few are also told on stderr, for the reader of a bad run. */
function reportError(what: string, e: Error): void {
  if (++errorsReported <= 5) process.stderr.write(`traffic-client: ${what}: ${e.message}\n`);
}

/** A connection whose reads are counted by `onBytes` (with the bytes, valid only during the call). */
function open(t: Target, onBytes: (n: number, buf: Buffer) => void): Socket {
  return connect({
    host: t.host, port: t.port, noDelay: true, allowHalfOpen: true,
    onread: { buffer: RECV, callback: (n: number, buf: Uint8Array) => (onBytes(n, buf as Buffer), true) },
  });
}

/** Settles with the error that closed the socket, or once `finished` says the work is done. */
function exchangeOne(t: Target, bytes: number): Promise<{ received: number; error?: Error }> {
  return new Promise((resolve) => {
    let received = 0;
    let sent = false;
    const check = () => sent && received >= bytes && resolve({ received });
    const socket = open(t, (n) => ((received += n), check()));
    socket.once('connect', () => {
      socket.write(header(Mode.exchange, bytes));
      sendBytes(socket, bytes, () => socket.end(() => ((sent = true), check())));
    });
    socket.once('error', (error) => resolve({ received, error }));
    socket.once('close', () => resolve({ received, error: new Error(`closed after ${received} of ${bytes} bytes`) }));
  });
}

async function exchange(m: Extract<Measurement, { kind: 'exchange' }>): Promise<ExchangeResult> {
  const t0 = performance.now();
  const all = await Promise.all(Array.from({ length: m.connections }, (_, i) => exchangeOne(m.targets[i % m.targets.length]!, m.bytes)));
  const seconds = (performance.now() - t0) / 1000;
  for (const r of all) if (r.error) reportError('exchange', r.error);
  return { seconds, bytesSent: m.connections * m.bytes, bytesReceived: all.reduce((s, r) => s + r.received, 0), errors: all.filter((r) => r.error).length };
}

function stream(m: Extract<Measurement, { kind: 'stream' }>): Promise<StreamResult> {
  return new Promise((resolve, reject) => {
    const ack = Buffer.alloc(SINK_ACK_BYTES);
    let got = 0;
    const t0 = performance.now();
    const socket = open(m.target, (n, buf) => {
      got += buf.copy(ack, got, 0, Math.min(n, SINK_ACK_BYTES - got));
    });
    socket.once('connect', () => {
      socket.write(header(Mode.sink));
      sendBytes(socket, m.bytes, () => socket.end());
    });
    socket.once('end', () => resolve({ seconds: (performance.now() - t0) / 1000, bytes: m.bytes, acknowledged: got === SINK_ACK_BYTES ? Number(ack.readBigUInt64BE()) : -1 }));
    socket.once('error', reject);
  });
}

/** Kept-alive, pipelined: each connection answers in order, so a FIFO of scheduled times per connection matches replies. */
function keptAliveSender(m: Extract<Measurement, { kind: 'requests' }>, record: (scheduledAt: number) => void, fail: () => void): { ready: Promise<void>; send: (scheduledAt: number) => void } {
  const request = Buffer.alloc(m.messageBytes);
  const conns = Array.from({ length: m.connections }, (_, i) => {
    const due: number[] = [];
    let head = 0;
    let pending = 0;
    const socket = open(m.targets[i % m.targets.length]!, (n) => {
      for (pending += n; pending >= m.messageBytes && head < due.length; pending -= m.messageBytes) record(due[head++]!);
    });
    socket.write(header(Mode.echo));
    const ready = new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    socket.on('error', (e) => {
      reportError('requests', e);
      for (; head < due.length; head++) fail();
    });
    return { socket, due, ready };
  });
  let next = 0;
  return {
    ready: Promise.all(conns.map((c) => c.ready)).then(() => undefined),
    send: (scheduledAt) => {
      const c = conns[next++ % conns.length]!;
      c.due.push(scheduledAt);
      c.socket.write(request);
    },
  };
}

/** A new connection per exchange: connect, send header and request at once, read the reply, close. */
function connectingSender(m: Extract<Measurement, { kind: 'requests' }>, record: (scheduledAt: number) => void, fail: () => void): { ready: Promise<void>; send: (scheduledAt: number) => void } {
  const request = Buffer.concat([header(Mode.echo), Buffer.alloc(m.messageBytes)]);
  let target = 0;
  return {
    ready: Promise.resolve(),
    send: (scheduledAt) => {
      let got = 0;
      let done = false;
      const socket = open(m.targets[target++ % m.targets.length]!, (n) => {
        if ((got += n) < m.messageBytes || done) return;
        done = true;
        record(scheduledAt);
        socket.end();
      });
      socket.write(request);
      socket.once('error', (e) => {
        reportError('requests', e);
        if (!done) (done = true), fail();
      });
    },
  };
}

async function requests(m: Extract<Measurement, { kind: 'requests' }>): Promise<RequestsResult> {
  const total = Math.round(m.rate * (m.warmupSeconds + m.seconds));
  const warmup = Math.round(m.rate * m.warmupSeconds);
  const intervalMs = 1000 / m.rate;
  const latenciesMs: number[] = [];
  let settled = 0;
  let errors = 0;
  let allSettled: () => void = () => {};
  const finished = new Promise<void>((r) => (allSettled = r));
  let t0 = 0;
  const settle = () => ++settled === total && allSettled();
  const record = (scheduledAt: number) => {
    if (scheduledAt >= t0 + warmup * intervalMs) latenciesMs.push(Math.round((performance.now() - scheduledAt) * 1000) / 1000);
    settle();
  };
  const fail = () => ((errors += 1), settle());
  const sender = m.connections > 0 ? keptAliveSender(m, record, fail) : connectingSender(m, record, fail);
  await sender.ready;
  t0 = performance.now();
  let sent = 0;
  // Open loop: each wake-up sends every exchange whose time has come, late or not.
  const tick = () => {
    const now = performance.now();
    for (; sent < total && t0 + sent * intervalMs <= now; sent++) sender.send(t0 + sent * intervalMs);
    if (sent < total) setTimeout(tick, Math.max(0, t0 + sent * intervalMs - performance.now()));
  };
  tick();
  const deadline = new Promise<void>((r) => setTimeout(r, (m.warmupSeconds + m.seconds) * 1000 + 10_000).unref());
  await Promise.race([finished, deadline]);
  return { latenciesMs, sent, errors: errors + (total - settled) };
}

function run(m: Measurement): Promise<ExchangeResult | StreamResult | RequestsResult> {
  if (m.kind === 'exchange') return exchange(m);
  if (m.kind === 'stream') return stream(m);
  return requests(m);
}

const measurement = JSON.parse(process.argv[2] ?? '{}') as Measurement;
run(measurement).then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0)),
  (e: Error) => {
    process.stderr.write(`traffic-client: ${e.stack ?? e.message}\n`);
    process.exit(1);
  },
);
