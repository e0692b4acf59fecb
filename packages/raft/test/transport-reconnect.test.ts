import t from 'tap';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { Backoff, HandshakeHeader, WsTransport, type TransportHandler, type TransportOptions } from '../src/transport/index.js';
import type { Message, NodeId } from '../src/types.js';
import { freePorts } from '@kubets/testing';

async function waitFor(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const msg = (from: NodeId, to: NodeId, seq: number, payload = 16): Message => ({
  type: 'app', from, to, term: 1, logTerm: 1, index: seq, commit: 0, reject: false, rejectHint: 0,
  context: new Uint8Array(0),
  entries: [{ term: 1, index: seq + 1, type: 'normal', data: new Uint8Array(payload) }],
});

interface Node {
  id: NodeId;
  transport: WsTransport;
  received: Message[];
  events: string[];
}

async function start(id: NodeId, options: Partial<TransportOptions> = {}): Promise<Node> {
  const n: Node = { id, transport: undefined as unknown as WsTransport, received: [], events: [] };
  const handler: TransportHandler = {
    onMessages: (ms) => n.received.push(...ms),
    onUnreachable: (p) => n.events.push(`unreachable ${p}`),
    onPeerConnected: (p) => n.events.push(`connected ${p}`),
    onPeerDisconnected: (p) => n.events.push(`disconnected ${p}`),
  };
  n.transport = await WsTransport.start({
    clusterId: 'c', memberId: id, handler, random: mulberry32(id), backoff: { initialMs: 10, maxMs: 80 }, ...options,
  });
  return n;
}

t.test('backoff doubles up to the cap, with jitter from the injected source, and resets', async (t) => {
  const b = new Backoff({ initialMs: 100, maxMs: 1000, random: mulberry32(42) });
  const delays = Array.from({ length: 7 }, () => b.next());
  const caps = [100, 200, 400, 800, 1000, 1000, 1000];
  delays.forEach((d, i) => t.ok(d >= caps[i]! / 2 && d <= caps[i]!, `attempt ${i}: ${d.toFixed(1)} in [${caps[i]! / 2}, ${caps[i]}]`));
  const again = new Backoff({ initialMs: 100, maxMs: 1000, random: mulberry32(42) });
  t.same(Array.from({ length: 7 }, () => again.next()), delays, 'the same seed gives the same delays');
  b.reset();
  t.ok(b.next() <= 100, 'reset starts over');
  t.equal(new Backoff({ initialMs: 100, random: () => 0 }).next(), 50);
  t.equal(new Backoff({ initialMs: 100, random: () => 0.999999 }).next() <= 100, true);
});

t.test('reconnects when a peer restarts on the same port, and delivers in order', async (t) => {
  const a = await start(1);
  let b = await start(2);
  t.teardown(async () => {
    await a.transport.close();
    await b.transport.close();
  });
  const port = b.transport.address().port;
  a.transport.addPeer(2, b.transport.url);
  b.transport.addPeer(1, a.transport.url);
  await waitFor(() => a.transport.peerStats(2)?.connected === true, 'a -> b');
  a.transport.send([msg(1, 2, 0), msg(1, 2, 1)]);
  await waitFor(() => b.received.length === 2, 'the first messages');

  await b.transport.close();
  await waitFor(() => a.events.includes('disconnected 2') && a.events.filter((e) => e === 'unreachable 2').length >= 2, 'a to notice and retry');
  // Sent while b is down: dropped, not held for later (Raft resends what still matters; a held
  // proposal would commit long after its client gave up on it).
  const droppedBefore = a.transport.peerStats(2)!.droppedMessages;
  a.transport.send([msg(1, 2, 2), msg(1, 2, 3)]);
  t.equal(a.transport.peerStats(2)!.droppedMessages, droppedBefore + 2, 'messages for a down peer are dropped');
  t.equal(a.transport.peerStats(2)!.queuedMessages, 0);

  b = await start(2, { listen: { port } });
  b.transport.addPeer(1, a.transport.url);
  await waitFor(() => a.transport.peerStats(2)?.connected === true, 'a -> b again');
  a.transport.send([msg(1, 2, 4), msg(1, 2, 5), msg(1, 2, 6)]);
  await waitFor(() => b.received.length === 3, 'the messages sent after the restart');
  t.same(b.received.map((m) => m.index), [4, 5, 6], 'in order, and none of those sent while it was down');
  t.equal(a.events.filter((e) => e === 'connected 2').length, 2, 'connected twice');
  // And the other direction works too.
  b.transport.send([msg(2, 1, 9)]);
  await waitFor(() => a.received.length === 1, 'b -> a');
});

t.test('a bounded queue drops the oldest messages while dialing, and everything once the peer is down', async (t) => {
  const [port] = await freePorts(1);
  const a = await start(1, { queue: { maxMessages: 10, maxBytes: 64 * 1024 } });
  t.teardown(() => a.transport.close());
  a.transport.addPeer(2, `http://127.0.0.1:${port}`);
  const sent = Array.from({ length: 25 }, (_, i) => msg(1, 2, i));
  a.transport.send(sent);
  const stats = a.transport.peerStats(2)!;
  t.equal(stats.queuedMessages, 10);
  t.equal(stats.droppedMessages, 15);
  t.ok(a.events.includes('unreachable 2'), 'a drop reports the peer unreachable');

  // Bytes bound the queue too: one big message (65111 of the 65536 bytes) pushes out six small
  // ones (103 bytes each), leaving four.
  a.transport.send([msg(1, 2, 100, 65024)]);
  t.equal(a.transport.peerStats(2)!.queuedMessages, 5, 'room made by dropping the oldest');
  t.equal(a.transport.peerStats(2)!.droppedMessages, 21);
  t.ok(a.transport.peerStats(2)!.queuedBytes <= 64 * 1024);
  // A message larger than the whole bound is dropped, not queued.
  a.transport.send([msg(1, 2, 101, 70 * 1024)]);
  t.equal(a.transport.peerStats(2)!.droppedMessages, 22);

  // The dial fails: the peer is down, its queue is dropped, and so is what is sent meanwhile.
  await waitFor(() => a.transport.peerStats(2)!.queuedMessages === 0, 'the failed dial to drop the queue');
  t.equal(a.transport.peerStats(2)!.droppedMessages, 27);
  a.transport.send([msg(1, 2, 102)]);
  t.equal(a.transport.peerStats(2)!.droppedMessages, 28, 'a message for a down peer is dropped');

  const b = await start(2, { listen: { port } });
  t.teardown(() => b.transport.close());
  b.transport.addPeer(1, a.transport.url);
  await waitFor(() => a.transport.peerStats(2)?.connected === true, 'the redial');
  a.transport.send([msg(1, 2, 103)]);
  await waitFor(() => b.received.length === 1, 'a message sent once it is up');
  t.same(b.received.map((m) => m.index), [103]);
});

t.test('a peer that stops reading costs bounded memory', async (t) => {
  // A listener that completes the handshake and then never reads: TCP backs up into our buffers.
  let server!: Server;
  const sockets: import('node:stream').Duplex[] = [];
  server = createServer();
  const wss = new WebSocketServer({ noServer: true });
  wss.on('headers', (h) => h.push(`${HandshakeHeader.clusterId}: c`, `${HandshakeHeader.memberId}: 2`));
  server.on('upgrade', (req, socket, head) =>
    wss.handleUpgrade(req, socket, head, () => {
      sockets.push(socket);
      socket.pause();
    }),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });
  const highWaterBytes = 1024 * 1024;
  const maxFrameBytes = 256 * 1024;
  const queue = { maxMessages: 100_000, maxBytes: 4 * 1024 * 1024 };
  const a = await start(1, { highWaterBytes, maxFrameBytes, queue, keepaliveMs: 0 });
  t.teardown(() => a.transport.close());
  a.transport.addPeer(2, `ws://127.0.0.1:${(server.address() as AddressInfo).port}/raft`);
  await waitFor(() => a.transport.peerStats(2)?.connected === true, 'the connection');

  // 256 MiB offered, in bursts, as a leader would; the kernel takes a few MiB, then nothing.
  for (let burst = 0; burst < 64; burst++) {
    a.transport.send(Array.from({ length: 64 }, (_, i) => msg(1, 2, burst * 64 + i, 64 * 1024)));
    await new Promise((r) => setImmediate(r));
  }
  await waitFor(() => a.transport.peerStats(2)!.queuedBytes > queue.maxBytes / 2, 'the queue to fill once the socket stops taking data');
  const s = a.transport.peerStats(2)!;
  t.ok(s.bufferedBytes <= highWaterBytes + maxFrameBytes, `socket buffer ${s.bufferedBytes} stays under high water plus a frame`);
  t.ok(s.queuedBytes <= queue.maxBytes, `queue ${s.queuedBytes} stays within its bound`);
  t.ok(s.droppedMessages > 3000, `${s.droppedMessages} messages dropped`);
  t.ok(s.sentBytes < 64 * 1024 * 1024, `only ${s.sentBytes} bytes went to the socket`);
});
