import t from 'tap';
import { WsTransport, type TransportHandler, type TransportOptions } from '../src/transport/index.js';
import type { Message, NodeId } from '../src/types.js';

/** Polls a condition (no fixed sleeps): resolves when it holds, rejects at the deadline. */
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
  entries: [{ term: 1, index: seq + 1, type: 'normal', data: new Uint8Array(payload).fill(seq & 0xff) }],
});

interface Node {
  id: NodeId;
  transport: WsTransport;
  received: Message[];
  events: string[];
}

async function cluster(n: number, extra: Partial<TransportOptions> = {}): Promise<Node[]> {
  const nodes: Node[] = [];
  for (let id = 1; id <= n; id++) {
    const node: Node = { id, transport: undefined as unknown as WsTransport, received: [], events: [] };
    const handler: TransportHandler = {
      onMessages: (ms) => node.received.push(...ms),
      onUnreachable: (p) => node.events.push(`unreachable ${p}`),
      onSnapshotStatus: (p, ok) => node.events.push(`snapshot ${p} ${ok ? 'ok' : 'failed'}`),
      onPeerConnected: (p) => node.events.push(`connected ${p}`),
      onPeerRefused: (p, reason) => node.events.push(`refused ${p}: ${reason}`),
    };
    node.transport = await WsTransport.start({ clusterId: 'test', memberId: id, handler, random: mulberry32(id), ...extra });
    nodes.push(node);
  }
  for (const a of nodes) for (const b of nodes) if (a !== b) a.transport.addPeer(b.id, b.transport.url);
  return nodes;
}

const connectedAll = (nodes: Node[]) => () => nodes.every((a) => nodes.every((b) => a === b || a.transport.peerStats(b.id)?.connected));

t.test('three transports exchange messages, in order per peer, batched', async (t) => {
  const nodes = await cluster(3);
  t.teardown(() => Promise.all(nodes.map((n) => n.transport.close())));
  await waitFor(connectedAll(nodes), 'all six connections');
  const [a, b, c] = nodes as [Node, Node, Node];

  // 500 messages from each node to each other node, sent in bursts as a Raft loop would.
  for (let burst = 0; burst < 10; burst++) {
    for (const from of nodes) {
      const out: Message[] = [];
      for (let i = 0; i < 50; i++) for (const to of nodes) if (to !== from) out.push(msg(from.id, to.id, burst * 50 + i));
      from.transport.send(out);
    }
    await new Promise((r) => setImmediate(r));
  }
  await waitFor(() => nodes.every((n) => n.received.length === 1000), 'every message');
  for (const to of nodes) {
    for (const from of nodes) {
      if (from === to) continue;
      const seqs = to.received.filter((m) => m.from === from.id).map((m) => m.index);
      t.same(seqs, Array.from({ length: 500 }, (_, i) => i), `${from.id} -> ${to.id}: all 500, in order`);
    }
  }
  const stats = a.transport.stats();
  t.equal(stats.peers[b.id]!.sentMessages, 500);
  t.ok(stats.peers[b.id]!.sentFrames <= 20, `500 messages in ${stats.peers[b.id]!.sentFrames} frames`);
  t.equal(stats.peers[c.id]!.droppedMessages, 0);
  t.same(c.received[0]!.entries[0]!.data, new Uint8Array(16).fill(0), 'payload bytes intact');
});

t.test('a large snapshot is delivered on its own connection and acknowledged', async (t) => {
  const nodes = await cluster(2, { queue: { maxMessages: 64, maxBytes: 64 * 1024 } });
  t.teardown(() => Promise.all(nodes.map((n) => n.transport.close())));
  const [a, b] = nodes as [Node, Node];
  await waitFor(connectedAll(nodes), 'connections');
  const data = new Uint8Array(32 * 1024 * 1024);
  for (let i = 0; i < data.length; i += 4096) data[i] = (i / 4096) & 0xff;
  const snap: Message = {
    ...msg(1, 2, 0), type: 'snap', entries: [],
    snapshot: { metadata: { index: 1000, term: 3, confState: { voters: [1, 2], learners: [] } }, data },
  };
  // Heartbeats sent around it are not held up behind it, and it is not subject to the small queue bound.
  a.transport.send([msg(1, 2, 1), snap, msg(1, 2, 2)]);
  await waitFor(() => a.events.includes('snapshot 2 ok'), 'the snapshot acknowledgement', 30_000);
  const got = b.received.find((m) => m.type === 'snap');
  t.ok(got, 'snapshot received');
  t.same(got!.snapshot!.metadata, snap.snapshot!.metadata);
  t.equal(got!.snapshot!.data.length, data.length);
  t.ok(Buffer.from(got!.snapshot!.data).equals(Buffer.from(data)), 'every byte');
  await waitFor(() => b.received.length === 3, 'the heartbeats too');
  t.same(b.received.filter((m) => m.type === 'app').map((m) => m.index), [1, 2]);
  t.equal(a.transport.stats().snapshotsSent, 1);

  // A second snapshot while one is in flight is refused at once (Raft retries).
  const small: Message = { ...snap, snapshot: { metadata: snap.snapshot!.metadata, data: new Uint8Array(10) } };
  a.transport.send([small, small]);
  await waitFor(() => a.events.filter((e) => e.startsWith('snapshot 2')).length === 3, 'both outcomes');
  t.same(a.events.filter((e) => e.startsWith('snapshot 2')), ['snapshot 2 ok', 'snapshot 2 failed', 'snapshot 2 ok']);
});

t.test('messages for unknown members or after close go nowhere', async (t) => {
  const nodes = await cluster(2);
  const [a] = nodes as [Node, Node];
  a.transport.send([msg(1, 9, 0), msg(1, 1, 0)]);
  t.equal(a.transport.stats().unroutable, 2);
  await Promise.all(nodes.map((n) => n.transport.close()));
  a.transport.send([msg(1, 2, 0)]);
  t.equal(a.transport.stats().unroutable, 3);
  await a.transport.close(); // idempotent
});

t.test('close() leaves no sockets, servers or timers behind', async (t) => {
  const active = () => {
    const r = process.getActiveResourcesInfo();
    return { tcp: r.filter((x) => x.startsWith('TCP')).length, timers: r.filter((x) => x === 'Timeout').length };
  };
  // Handles close asynchronously after their sockets are destroyed: let the earlier tests' go.
  await waitFor(() => active().tcp === 0, 'earlier tests to release their sockets', 2_000);
  const before = active();
  const nodes = await cluster(3, { keepaliveMs: 50 });
  await waitFor(connectedAll(nodes), 'connections');
  // One peer goes away, so the others are mid-backoff with redial timers pending.
  await nodes[2]!.transport.close();
  await waitFor(() => nodes[0]!.events.includes('unreachable 3'), 'the loss to be noticed');
  nodes[0]!.transport.send([msg(1, 3, 0)]);
  t.ok(active().tcp > 0 && active().timers > before.timers, 'sanity: there was something to clean up');
  await Promise.all(nodes.map((n) => n.transport.close()));
  await waitFor(() => active().tcp === 0, 'no TCP handles', 2_000);
  t.pass('no TCP handles');
  t.ok(active().timers <= before.timers, 'no timers');
});
