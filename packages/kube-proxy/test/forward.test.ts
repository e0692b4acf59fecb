// The TCP forwarder over real loopback sockets: bytes intact both ways, half-close, backpressure,
// connect retries and timeouts, resets that travel across, and no handle left behind.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { connect, createServer, Socket, type AddressInfo, type Server } from 'node:net';
import { eventually } from '@kubets/testing';
import t, { type Test } from 'tap';
import { ConnectTimeoutError } from '../src/userspace/connect.js';
import { forwardConnection, proxyServerOptions, type ForwardObserver, type ForwardOptions, type Forwarding } from '../src/userspace/forward.js';
import type { Backend } from '../src/userspace/load-balancer.js';

const loopback = '127.0.0.1';

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, loopback, resolve));
  return (server.address() as AddressInfo).port;
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A backend whose connections are handled by `handle`; closed (and its sockets destroyed) at teardown. */
async function backendServer(t: Test, handle: (s: Socket) => void): Promise<Backend> {
  const sockets = new Set<Socket>();
  const server = createServer({ allowHalfOpen: true }, (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
    handle(s);
  });
  const port = await listen(server);
  t.teardown(() => {
    for (const s of sockets) s.destroy();
    return close(server);
  });
  return { ip: loopback, port };
}

interface Proxy {
  port: number;
  /** The proxy's side of each client connection, in order of arrival. */
  clientSides: Socket[];
  forwardings: Forwarding[];
}

/** A listener that forwards every connection with options(): the forwarder as the lead's listeners use it. */
async function proxyServer(t: Test, options: () => ForwardOptions): Promise<Proxy> {
  const proxy: Proxy = { port: 0, clientSides: [], forwardings: [] };
  const server = createServer(proxyServerOptions, (c) => {
    proxy.clientSides.push(c);
    proxy.forwardings.push(forwardConnection(c, options()));
  });
  proxy.port = await listen(server);
  t.teardown(async () => {
    for (const f of proxy.forwardings) f.destroy();
    await close(server);
  });
  return proxy;
}

function dial(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: loopback, port, allowHalfOpen: true });
    s.once('connect', () => resolve(s)).once('error', reject);
  });
}

/** Everything the socket sends until its end, or the error that ended it. */
function readAll(s: Socket): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    s.on('data', (c: Buffer) => chunks.push(c));
    s.once('end', () => resolve(Buffer.concat(chunks))).once('error', reject);
  });
}

/** The error a socket ends with (rejects if it ends cleanly). */
function errorOf(s: Socket): Promise<NodeJS.ErrnoException> {
  return new Promise((resolve, reject) => {
    s.once('error', resolve);
    s.once('close', (hadError) => {
      if (!hadError) reject(new Error('closed without an error'));
    });
    s.resume();
  });
}

/** Writes `data` in chunks of random sizes, with backpressure, then ends the socket. */
async function writeInChunks(s: Socket, data: Buffer, random: () => number): Promise<void> {
  for (let at = 0; at < data.length; ) {
    const size = 1 + Math.floor(random() * 200_000);
    const ok = s.write(data.subarray(at, at + size));
    at += size;
    if (!ok) await new Promise((resolve) => s.once('drain', resolve));
  }
  s.end();
}

/** mulberry32: the same bytes on every run. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), a | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function randomBytes(size: number, random: () => number): Buffer {
  const b = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) b[i] = Math.floor(random() * 256);
  return b;
}

const digest = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Records what the forwarder reports. */
function recorder() {
  const events: string[] = [];
  const failures: Error[] = [];
  const closed: Array<{ fromClient: number; fromBackend: number; err: Error | undefined }> = [];
  const observer: ForwardObserver = {
    connected: (b) => events.push(`connected ${b.port}`),
    connectFailed: (b, err) => {
      events.push(`failed ${b.port}`);
      failures.push(err);
    },
    noEndpoint: () => events.push('no endpoint'),
    closed: (fromClient, fromBackend, err) => {
      events.push('closed');
      closed.push({ fromClient, fromBackend, err });
    },
  };
  return { events, failures, closed, observer };
}

t.test('bytes arrive intact both ways, across many chunks, and closed() counts them', async (t) => {
  const random = seededRandom(19);
  for (const [up, down] of [
    [0, 0],
    [1, 70_000],
    [65_537, 1],
    [3 * 1024 * 1024 + 7, 2 * 1024 * 1024 + 13],
  ] as const) {
    const request = randomBytes(up, random);
    const reply = randomBytes(down, random);
    let received: Buffer | undefined;
    const backend = await backendServer(t, (s) => {
      void readAll(s).then((got) => {
        received = got;
        return writeInChunks(s, reply, random);
      });
    });
    const rec = recorder();
    const proxy = await proxyServer(t, () => ({ pick: () => backend, observer: rec.observer }));
    const client = await dial(proxy.port);
    const [answer] = await Promise.all([readAll(client), writeInChunks(client, request, random)]);
    t.equal(digest(answer), digest(reply), `${down} bytes down`);
    t.equal(digest(received!), digest(request), `${up} bytes up`);
    await proxy.forwardings[0]!.done;
    t.same(rec.closed, [{ fromClient: up, fromBackend: down, err: undefined }]);
    t.same(rec.events, [`connected ${backend.port}`, 'closed']);
  }
});

t.test('half-close: a client that shuts down its writing at once still gets the whole reply', async (t) => {
  const reply = randomBytes(500_000, seededRandom(1));
  const backend = await backendServer(t, (s) => {
    void readAll(s).then((request) => s.end(request.toString() === 'GET' ? reply : 'bad request'));
  });
  const proxy = await proxyServer(t, () => ({ pick: () => backend }));
  const client = await dial(proxy.port);
  client.end('GET'); // very likely before the proxy has its backend: the FIN is held, then passed on
  t.equal(digest(await readAll(client)), digest(reply));
  await proxy.forwardings[0]!.done;
});

t.test('half-close, the other way: the server ends first, the client answers after reading EOF', async (t) => {
  const answer = randomBytes(500_000, seededRandom(2));
  let backendGot: Promise<Buffer> | undefined;
  const backend = await backendServer(t, (s) => {
    backendGot = readAll(s);
    s.end('hello, then my FIN');
  });
  const proxy = await proxyServer(t, () => ({ pick: () => backend }));
  const client = await dial(proxy.port);
  t.equal((await readAll(client)).toString(), 'hello, then my FIN');
  client.end(answer);
  t.equal(digest(await backendGot!), digest(answer), 'the backend reads the whole answer after its own FIN');
  await proxy.forwardings[0]!.done;
});

t.test('backpressure: a reader that does not read stalls the writer; the proxy buffers a bounded amount', async (t) => {
  // The proxy's writable buffers are checked after each write of its own sockets: the proxy's side
  // of the client, and its side of the backend (known by the backend's port as remote port).
  const total = 48 * 1024 * 1024;
  const bound = 16 * 1024 + 64 * 1024; // the writable high-water mark plus one read
  const data = randomBytes(1024 * 1024, seededRandom(3));
  let backendPort = 0;
  let proxyClientSide: Socket | undefined;
  let proxyBackendSide: Socket | undefined;
  let maxBuffered = 0;
  const write = Socket.prototype.write;
  Socket.prototype.write = function (this: Socket, ...args: Parameters<Socket['write']>) {
    const ok = write.apply(this, args);
    if (backendPort !== 0 && this.remotePort === backendPort) proxyBackendSide = this;
    if (this === proxyClientSide || this === proxyBackendSide) maxBuffered = Math.max(maxBuffered, this.writableLength);
    return ok;
  } as Socket['write'];
  t.teardown(() => {
    Socket.prototype.write = write;
  });

  for (const direction of ['down', 'up'] as const) {
    let writerWaiting = false;
    let writerSent = 0;
    /** Sends `total` bytes, noting when it waits for 'drain' (the stall we wait for). */
    const sendAll = async (s: Socket) => {
      while (writerSent < total) {
        writerSent += data.length;
        if (!s.write(data)) {
          writerWaiting = true;
          await new Promise((resolve) => s.once('drain', resolve));
          writerWaiting = false;
        }
      }
      s.end();
    };
    let slowReader: Socket | undefined;
    const backend = await backendServer(t, (s) => {
      if (direction === 'down') void sendAll(s);
      else slowReader = s.pause();
    });
    backendPort = backend.port;
    const proxy = await proxyServer(t, () => ({ pick: () => backend }));
    const client = await dial(proxy.port);
    proxyClientSide = proxy.clientSides[0]!;
    if (direction === 'down') slowReader = client.pause();
    else void sendAll(client);
    // Stalled: the writer waits for 'drain' while the proxy's socket towards the reader is full.
    const proxyWriter = () => (direction === 'down' ? proxyClientSide : proxyBackendSide);
    await eventually(() => writerWaiting && proxyWriter()?.writableNeedDrain === true, `the ${direction} writer stalls on a reader that does not read`);
    const reading = countBytes(slowReader!.resume());
    t.equal(await reading, total, `${direction}: every byte arrives once the reader reads`);
    t.ok(maxBuffered <= bound, `${direction}: the proxy never buffered more than ${bound} bytes in a socket (max ${maxBuffered})`);
    slowReader!.end();
    await proxy.forwardings[0]!.done;
  }
});

function countBytes(s: Socket): Promise<number> {
  return new Promise((resolve, reject) => {
    let n = 0;
    s.on('data', (c: Buffer) => (n += c.length));
    s.once('end', () => resolve(n)).once('error', reject);
  });
}

/** A loopback port nothing listens on. */
async function refusedEndpoint(): Promise<Backend> {
  const server = createServer();
  const port = await listen(server);
  await close(server);
  return { ip: loopback, port };
}

t.test('a refused endpoint is reported and the next pick (told what failed) is tried', async (t) => {
  const refused = await refusedEndpoint();
  const good = await backendServer(t, (s) => s.end('from the good one'));
  const picks: string[][] = [];
  const rec = recorder();
  const proxy = await proxyServer(t, () => ({
    pick: (failed) => {
      picks.push(failed.map((b) => String(b.port)));
      return failed.length > 0 ? good : refused;
    },
    observer: rec.observer,
  }));
  const client = await dial(proxy.port);
  client.end();
  t.equal((await readAll(client)).toString(), 'from the good one');
  await proxy.forwardings[0]!.done;
  t.same(picks, [[], [String(refused.port)]]);
  t.same(rec.events, [`failed ${refused.port}`, `connected ${good.port}`, 'closed']);
  t.equal((rec.failures[0] as NodeJS.ErrnoException).code, 'ECONNREFUSED');
});

/**
 * An endpoint that never answers: a listener in a child process whose event loop is blocked, so it
 * never accepts; with backlog 1 the kernel queues two connections (made here), then drops SYNs.
 */
async function unansweringEndpoint(t: Test): Promise<Backend> {
  const script =
    "const s=require('net').createServer();s.listen({port:0,host:'127.0.0.1',backlog:1},()=>{" +
    "require('fs').writeSync(1,s.address().port+'\\n');Atomics.wait(new Int32Array(new SharedArrayBuffer(4)),0,0);});";
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  // SIGKILL: a blocked event loop never runs a SIGTERM handler (the test runner installs one in children).
  const exited = new Promise((resolve) => child.once('exit', resolve));
  t.teardown(async () => {
    child.kill('SIGKILL');
    await exited;
  });
  const port = await new Promise<number>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
  const fillers = [await dial(port), await dial(port)];
  t.teardown(() => {
    for (const s of fillers) s.destroy();
  });
  return { ip: loopback, port };
}

t.test('an endpoint that does not answer in time fails each attempt with ConnectTimeoutError, then the client is reset', async (t) => {
  const silent = await unansweringEndpoint(t);
  const rec = recorder();
  const proxy = await proxyServer(t, () => ({ pick: () => silent, connectTimeoutsMs: [20, 40], observer: rec.observer }));
  const client = await dial(proxy.port);
  t.equal((await errorOf(client)).code, 'ECONNRESET');
  await proxy.forwardings[0]!.done;
  t.same(rec.events, [`failed ${silent.port}`, `failed ${silent.port}`, 'closed']);
  t.same(
    rec.failures.map((e) => e instanceof ConnectTimeoutError && e.timeoutMs),
    [20, 40],
  );
});

t.test('a client that goes away while the proxy connects abandons the attempt', async (t) => {
  const silent = await unansweringEndpoint(t);
  const rec = recorder();
  let picked = false;
  const proxy = await proxyServer(t, () => ({
    pick: () => {
      picked = true;
      return silent;
    },
    connectTimeoutsMs: [60_000],
    observer: rec.observer,
  }));
  const client = await dial(proxy.port);
  await eventually(() => picked, 'the proxy connects');
  client.resetAndDestroy();
  await proxy.forwardings[0]!.done;
  t.same(rec.events, ['closed'], 'neither connected nor failed: abandoned');
  t.equal((rec.closed[0]?.err as NodeJS.ErrnoException | undefined)?.code, 'ECONNRESET');
});

t.test('no endpoint: the client is reset at once', async (t) => {
  const rec = recorder();
  const proxy = await proxyServer(t, () => ({ pick: () => undefined, observer: rec.observer }));
  // So fast that the client may see it as its connect's outcome.
  const client = connect({ host: loopback, port: proxy.port });
  t.equal((await errorOf(client)).code, 'ECONNRESET');
  await proxy.forwardings[0]!.done;
  t.same(rec.events, ['no endpoint', 'closed']);
});

t.test('a backend that resets its connection gets the client reset too', async (t) => {
  const backend = await backendServer(t, (s) => s.once('data', () => s.resetAndDestroy()));
  const rec = recorder();
  const proxy = await proxyServer(t, () => ({ pick: () => backend, observer: rec.observer }));
  const client = await dial(proxy.port);
  client.write('anything');
  t.equal((await errorOf(client)).code, 'ECONNRESET');
  await proxy.forwardings[0]!.done;
  t.equal((rec.closed[0]?.err as NodeJS.ErrnoException | undefined)?.code, 'ECONNRESET');
});

/** A connection through the proxy that is established end to end (the client has read the backend's first bytes). */
async function establishedConnection(t: Test) {
  let backendSide: Promise<NodeJS.ErrnoException> | undefined;
  const backend = await backendServer(t, (s) => {
    backendSide = errorOf(s);
    s.write('ready');
  });
  const proxy = await proxyServer(t, () => ({ pick: () => backend }));
  const client = await dial(proxy.port);
  await new Promise((resolve) => client.once('data', resolve));
  return { client, forwarding: proxy.forwardings[0]!, backendError: backendSide! };
}

t.test('a client that resets its connection gets the backend connection reset, not ended', async (t) => {
  const { client, forwarding, backendError } = await establishedConnection(t);
  client.resetAndDestroy();
  t.equal((await backendError).code, 'ECONNRESET');
  await forwarding.done;
});

t.test('destroy() resets both sides', async (t) => {
  const { client, forwarding, backendError } = await establishedConnection(t);
  const clientError = errorOf(client);
  forwarding.destroy();
  t.equal((await clientError).code, 'ECONNRESET');
  t.equal((await backendError).code, 'ECONNRESET');
  await forwarding.done;
});

t.test('thousands of short connections leave no socket or timer behind', async (t) => {
  const backend = await backendServer(t, (s) => {
    s.on('data', (d: Buffer) => s.write(d));
    s.once('end', () => s.end());
  });
  const rec = recorder();
  const refused = await refusedEndpoint();
  let n = 0;
  // Every third connection first meets a refused endpoint: retries must not leak either.
  const proxy = await proxyServer(t, () => {
    const refusedFirst = n++ % 3 === 0;
    return { pick: (failed) => (refusedFirst && failed.length === 0 ? refused : backend), observer: rec.observer };
  });
  const handles = () => (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles().length;
  const handlesBefore = handles();
  const resourcesBefore = process.getActiveResourcesInfo().length;
  const total = 3000;
  const concurrency = 50;
  let started = 0;
  let echoed = 0;
  const worker = async () => {
    while (started < total) {
      started++;
      const client = await dial(proxy.port);
      client.end('ping');
      if ((await readAll(client)).toString() === 'ping') echoed++;
      client.destroy();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  await Promise.all(proxy.forwardings.map((f) => f.done));
  t.equal(echoed, total, 'every connection echoed');
  t.equal(rec.closed.length, total, 'closed() once per connection');
  t.equal(rec.events.filter((e) => e.startsWith('failed')).length, total / 3, 'one refused attempt every third connection');
  await eventually(() => handles() <= handlesBefore, `active handles back to ${handlesBefore}`);
  await eventually(() => process.getActiveResourcesInfo().length <= resourcesBefore, `active resources back to ${resourcesBefore}`);
  t.pass(`handles back to ${handles()}, resources to ${process.getActiveResourcesInfo().length}`);
});
