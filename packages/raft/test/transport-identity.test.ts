import t from 'tap';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { encodeFrame, HandshakeHeader, PROTOCOL_VERSION, WsTransport, type TransportHandler } from '../src/transport/index.js';
import { messageSize } from '../src/storage/index.js';
import type { Message, NodeId } from '../src/types.js';

async function waitFor(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const heartbeat = (from: NodeId, to: NodeId): Message => ({
  type: 'heartbeat', from, to, term: 1, logTerm: 0, index: 0, commit: 0, reject: false, rejectHint: 0,
  context: new Uint8Array(0), entries: [],
});

interface Node {
  transport: WsTransport;
  received: Message[];
  refusals: string[];
}

async function node(clusterId: string, memberId: NodeId): Promise<Node> {
  const n: Node = { transport: undefined as unknown as WsTransport, received: [], refusals: [] };
  const handler: TransportHandler = {
    onMessages: (ms) => n.received.push(...ms),
    onPeerRefused: (_p, reason) => n.refusals.push(reason),
  };
  n.transport = await WsTransport.start({ clusterId, memberId, handler, backoff: { initialMs: 5, maxMs: 20 }, random: () => 0.5 });
  return n;
}

/** Dials `url` with the given headers; resolves with the HTTP status and the refusal header. */
function rawUpgrade(url: string, headers: Record<string, string>, path = '/raft'): Promise<{ status: number; reason: string | undefined }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({
      host: u.hostname,
      port: u.port,
      path,
      headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', ...headers },
    });
    req.on('response', (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, reason: res.headers[HandshakeHeader.refused] as string | undefined });
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, reason: undefined });
    });
    req.on('error', reject);
    req.end();
  });
}

const goodHeaders = (from: NodeId, to: NodeId, clusterId = 'prod'): Record<string, string> => ({
  [HandshakeHeader.protocol]: PROTOCOL_VERSION,
  [HandshakeHeader.clusterId]: clusterId,
  [HandshakeHeader.memberId]: String(from),
  [HandshakeHeader.targetId]: String(to),
  [HandshakeHeader.stream]: 'message',
});

t.test('a replica of another cluster is refused, told why, and keeps retrying', async (t) => {
  const a = await node('prod', 1);
  const stranger = await node('staging', 2);
  t.teardown(async () => {
    await a.transport.close();
    await stranger.transport.close();
  });
  a.transport.addPeer(2, stranger.transport.url); // a knows a member 2, but this one is of another cluster
  stranger.transport.addPeer(1, a.transport.url);
  await waitFor(() => stranger.refusals.length >= 3 && a.refusals.length >= 3, 'repeated refusals on both sides');
  t.match(stranger.refusals[0], /^HTTP 403: cluster id mismatch: this member belongs to cluster prod, the dialer to staging$/);
  t.match(a.refusals[0], /^HTTP 403: cluster id mismatch: this member belongs to cluster staging, the dialer to prod$/);
  t.ok(a.transport.stats().refusedConnections >= 3);
  t.equal(stranger.transport.peerStats(1)?.connected, false);
  t.match(stranger.transport.peerStats(1)?.refused, /cluster id mismatch/);
  t.ok(stranger.transport.peerStats(1)!.dials >= 3, 'it keeps dialing, with backoff');
  stranger.transport.send([heartbeat(2, 1)]);
  t.same(a.received, [], 'nothing got through');
});

t.test('an unknown member, a wrong target and a bad handshake are refused with 4xx and a reason', async (t) => {
  const a = await node('prod', 1);
  t.teardown(() => a.transport.close());
  a.transport.addPeer(2, 'http://127.0.0.1:1'); // a member, even if unreachable
  const url = a.transport.url;

  t.same(await rawUpgrade(url, goodHeaders(7, 1)), { status: 403, reason: 'member 7 is not a member of cluster prod' });
  t.same(await rawUpgrade(url, goodHeaders(2, 5)), { status: 403, reason: 'dialed member 5 but this is member 1' });
  t.same(await rawUpgrade(url, goodHeaders(2, 1, 'dev')), { status: 403, reason: 'cluster id mismatch: this member belongs to cluster prod, the dialer to dev' });
  t.same(await rawUpgrade(url, { ...goodHeaders(2, 1), [HandshakeHeader.protocol]: '9' }), { status: 400, reason: 'unsupported raft protocol version 9, want 1' });
  t.same(await rawUpgrade(url, {}), { status: 400, reason: 'unsupported raft protocol version (none), want 1' });
  t.equal((await rawUpgrade(url, goodHeaders(2, 1), '/other')).status, 404);
  t.equal((await rawUpgrade(url, goodHeaders(2, 1))).status, 101, 'the right member gets in');

  // A transport whose peer map points member 5 at a's URL is told it reached member 1.
  const b = await node('prod', 2);
  t.teardown(() => b.transport.close());
  b.transport.addPeer(5, url);
  await waitFor(() => b.refusals.length > 0, 'the refusal');
  t.equal(b.refusals[0], 'HTTP 403: dialed member 5 but this is member 1');
});

t.test('the dialer checks the identity the listener answers with', async (t) => {
  // An impostor that accepts any upgrade and claims to be member 2 of cluster "other".
  const server = createServer();
  const wss = new WebSocketServer({ noServer: true });
  wss.on('headers', (h) => h.push(`${HandshakeHeader.clusterId}: other`, `${HandshakeHeader.memberId}: 2`));
  server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => ws.close()));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => server.close(() => r())));
  const a = await node('prod', 1);
  t.teardown(() => a.transport.close());
  a.transport.addPeer(2, `ws://127.0.0.1:${(server.address() as AddressInfo).port}/raft`);
  await waitFor(() => a.refusals.length > 0, 'the dialer to notice');
  t.equal(a.refusals[0], 'cluster id mismatch: the peer answered for cluster other, this member belongs to prod');
  t.equal(a.transport.peerStats(2)?.connected, false);
});

t.test('a connection cannot speak for another member, and malformed frames close it', async (t) => {
  const a = await node('prod', 1);
  t.teardown(() => a.transport.close());
  a.transport.addPeer(2, 'http://127.0.0.1:1');
  a.transport.addPeer(3, 'http://127.0.0.1:1');
  const ws = new WebSocket(a.transport.url, { headers: goodHeaders(2, 1) });
  await new Promise((r, j) => ws.once('open', r).once('error', j));
  const forged = [heartbeat(3, 1), heartbeat(2, 1), heartbeat(2, 4)];
  ws.send(encodeFrame(forged, forged.map(messageSize)));
  await waitFor(() => a.received.length === 1, 'the genuine message');
  t.same(a.received, [heartbeat(2, 1)], 'only the message really from 2 to 1');
  t.equal(a.transport.stats().rejectedInbound, 2);

  const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
  ws.send(Buffer.from([1, 1, 255, 255, 255, 255]));
  t.equal(await closed, 1007, 'closed with 1007 (invalid payload)');
});
