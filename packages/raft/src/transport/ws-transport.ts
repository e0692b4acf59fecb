// The Raft transport: each replica listens for WebSocket connections on its peer URL (path /raft)
// and dials one persistent outbound connection per peer. Messages to a peer travel on our
// outbound connection to it, so per-peer order is the order of send(); snapshots travel on
// short-lived connections of their own (snapshot-sender.ts). Peers prove their identity in the
// upgrade handshake (handshake.ts) and are refused with HTTP 403 if they are not who we expect.

import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { messageSize } from '../storage/codec.js';
import { noopLogger, type Logger } from '../storage/logger.js';
import type { Message, NodeId } from '../types.js';
import type { ResolvedOptions, TransportContext, TransportHandler } from './context.js';
import { decodeFrame, encodeSnapshotAck, FrameKind } from './frame.js';
import { checkDialer, listenerHeaderLines, refusalResponse, type StreamKind } from './handshake.js';
import { keepAlive } from './keepalive.js';
import { PeerStream, type PeerStats } from './peer.js';
import { sendSnapshot } from './snapshot-sender.js';

export interface TransportOptions {
  clusterId: string;
  memberId: NodeId;
  handler: TransportHandler;
  /** Where to listen when the transport owns its HTTP server. Default 127.0.0.1, port 0 (ephemeral). */
  listen?: { host?: string; port?: number };
  /** Serve on an existing HTTP(S) server instead (upgrades on other paths are left to it). */
  server?: Server;
  /** URL path of the Raft endpoint. Default /raft. */
  path?: string;
  /** Initial peers: member id to peer URL (http://, https://, ws:// or wss://; /raft is added to a bare host). */
  peers?: Iterable<[NodeId, string]>;
  logger?: Logger;
  /** Source of [0, 1) randomness for reconnect jitter. Default Math.random. */
  random?: () => number;
  backoff?: { initialMs?: number; maxMs?: number };
  /** Per-peer send queue bound. Default 4096 messages, 64 MiB. */
  queue?: { maxMessages?: number; maxBytes?: number };
  /** Batch cap: one frame carries messages up to this many bytes (a larger single message goes alone). Default 1 MiB. */
  maxFrameBytes?: number;
  /** Stop writing to a peer while its socket buffers more than this. Default 4 MiB. */
  highWaterBytes?: number;
  /** Largest frame accepted on a message stream. Default 64 MiB. */
  maxMessageBytes?: number;
  /** Largest snapshot accepted (and sent). Default 1 GiB. */
  maxSnapshotBytes?: number;
  /** Ping interval for dead-connection detection; 0 disables. Default 5 s. */
  keepaliveMs?: number;
  handshakeTimeoutMs?: number;
  snapshotTimeoutMs?: number;
}

export interface TransportStats {
  receivedMessages: number;
  receivedFrames: number;
  /** Messages for members we do not know, or sent after close. */
  unroutable: number;
  /** Inbound messages whose from/to did not match the connection's identity. */
  rejectedInbound: number;
  refusedConnections: number;
  snapshotsSent: number;
  snapshotsFailed: number;
  peers: Record<string, PeerStats>;
}

/** http://host:port -> ws://host:port/raft; keeps an explicit path. */
export function peerWsUrl(url: string, path = '/raft'): string {
  const u = new URL(url);
  if (u.protocol === 'http:') u.protocol = 'ws:';
  else if (u.protocol === 'https:') u.protocol = 'wss:';
  else if (u.protocol !== 'ws:' && u.protocol !== 'wss:') throw new Error(`unsupported peer URL scheme ${u.protocol} in ${url}`);
  if (u.pathname === '/' || u.pathname === '') u.pathname = path;
  return u.toString();
}

interface Peer {
  url: string;
  stream: PeerStream;
  /** The snapshot being sent to this peer, if any: one at a time. */
  snapshot: WebSocket | undefined;
}

export class WsTransport {
  private readonly ctx: TransportContext;
  private readonly peers = new Map<NodeId, Peer>();
  private readonly inbound = new Map<NodeId, WebSocket>();
  private readonly sockets = new Set<WebSocket>();
  private readonly streamWss: WebSocketServer;
  private readonly snapshotWss: WebSocketServer;
  private readonly path: string;
  private readonly ownServer: boolean;
  private closed = false;
  private closing: Promise<void> | undefined;
  private readonly counters = {
    receivedMessages: 0,
    receivedFrames: 0,
    unroutable: 0,
    rejectedInbound: 0,
    refusedConnections: 0,
    snapshotsSent: 0,
    snapshotsFailed: 0,
  };

  private constructor(
    private readonly options: TransportOptions,
    private readonly server: Server,
    ownServer: boolean,
  ) {
    if (!/^[\x21-\x7e]{1,128}$/.test(options.clusterId)) throw new Error(`cluster id must be 1-128 printable ASCII characters without spaces`);
    if (!Number.isSafeInteger(options.memberId) || options.memberId <= 0) throw new Error(`member id must be a positive integer`);
    this.ownServer = ownServer;
    this.path = options.path ?? '/raft';
    const resolved: ResolvedOptions = {
      queue: { maxMessages: options.queue?.maxMessages ?? 4096, maxBytes: options.queue?.maxBytes ?? 64 * 1024 * 1024 },
      maxFrameBytes: options.maxFrameBytes ?? 1024 * 1024,
      highWaterBytes: options.highWaterBytes ?? 4 * 1024 * 1024,
      maxMessageBytes: options.maxMessageBytes ?? 64 * 1024 * 1024,
      maxSnapshotBytes: options.maxSnapshotBytes ?? 1024 * 1024 * 1024,
      keepaliveMs: options.keepaliveMs ?? 5_000,
      handshakeTimeoutMs: options.handshakeTimeoutMs ?? 5_000,
      snapshotTimeoutMs: options.snapshotTimeoutMs ?? 5 * 60_000,
      backoff: { initialMs: options.backoff?.initialMs ?? 100, maxMs: options.backoff?.maxMs ?? 5_000 },
      random: options.random ?? Math.random,
    };
    const logger = options.logger ?? noopLogger;
    const handler = options.handler;
    // After close() nothing is reported: the node may already be gone. A throwing callback is
    // logged, not allowed to unwind into the socket's event handlers.
    const live =
      <A extends unknown[]>(name: string, f: ((...a: A) => void) | undefined) =>
      (...a: A): void => {
        if (this.closed || !f) return;
        try {
          f.apply(handler, a);
        } catch (err) {
          logger.error({ callback: name, err: (err as Error).message }, 'raft transport callback threw');
        }
      };
    this.ctx = {
      self: { clusterId: options.clusterId, memberId: options.memberId },
      options: resolved,
      logger,
      handler: {
        onMessages: live('onMessages', handler.onMessages),
        onUnreachable: live('onUnreachable', handler.onUnreachable),
        onSnapshotStatus: live('onSnapshotStatus', handler.onSnapshotStatus),
        onPeerRefused: live('onPeerRefused', handler.onPeerRefused),
        onPeerConnected: live('onPeerConnected', handler.onPeerConnected),
        onPeerDisconnected: live('onPeerDisconnected', handler.onPeerDisconnected),
      },
      track: (ws) => {
        this.sockets.add(ws);
        ws.once('close', () => this.sockets.delete(ws));
      },
    };
    const wssOptions = { noServer: true, perMessageDeflate: false, clientTracking: false } as const;
    this.streamWss = new WebSocketServer({ ...wssOptions, maxPayload: resolved.maxMessageBytes });
    this.snapshotWss = new WebSocketServer({ ...wssOptions, maxPayload: resolved.maxSnapshotBytes + 1024 });
    const identity = listenerHeaderLines(this.ctx.self);
    for (const wss of [this.streamWss, this.snapshotWss]) wss.on('headers', (headers) => headers.push(...identity));
    server.on('upgrade', this.onUpgrade);
    for (const [id, url] of options.peers ?? []) this.addPeer(id, url);
  }

  /** Starts listening (or attaches to options.server) and dials the initial peers. */
  static async start(options: TransportOptions): Promise<WsTransport> {
    if (options.server) return new WsTransport(options, options.server, false);
    const server = createServer((_req, res) => {
      res.writeHead(426, { 'content-type': 'text/plain' }).end('this endpoint speaks WebSocket only\n');
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.listen?.port ?? 0, options.listen?.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new WsTransport(options, server, true);
  }

  /** The address the transport listens on. */
  address(): { host: string; port: number } {
    const a = this.server.address() as AddressInfo | null;
    if (!a) throw new Error('the transport is not listening');
    return { host: a.address, port: a.port };
  }

  /** This replica's peer URL, for others' addPeer(). */
  get url(): string {
    const { host, port } = this.address();
    return `ws://${host.includes(':') ? `[${host}]` : host}:${port}${this.path}`;
  }

  /** Adds a member (or changes its URL): we dial it, and accept its connections. */
  addPeer(id: NodeId, url: string): void {
    if (this.closed || id === this.options.memberId) return;
    const wsUrl = peerWsUrl(url, this.path);
    const existing = this.peers.get(id);
    if (existing) {
      existing.url = wsUrl;
      existing.stream.setUrl(wsUrl);
      return;
    }
    const stream = new PeerStream(id, wsUrl, this.ctx);
    this.peers.set(id, { url: wsUrl, stream, snapshot: undefined });
    stream.start();
  }

  /** Removes a member: stop dialing it, drop its queue, close its connections, refuse it from now on. */
  removePeer(id: NodeId): void {
    const peer = this.peers.get(id);
    if (!peer) return;
    this.peers.delete(id);
    peer.stream.close();
    peer.snapshot?.terminate();
    this.inbound.get(id)?.terminate();
  }

  /**
   * Queues messages for their peers and returns at once. Each peer's messages go out in order,
   * batched; when a peer's queue is full the oldest are dropped and the peer reported unreachable.
   */
  send(messages: readonly Message[]): void {
    let unreachable: Set<NodeId> | undefined;
    for (const m of messages) {
      const peer = this.closed ? undefined : this.peers.get(m.to);
      if (!peer) {
        this.counters.unroutable++;
        continue;
      }
      const size = messageSize(m);
      if (m.type === 'snap' && m.snapshot) {
        this.startSnapshot(m.to, peer, m, size);
        continue;
      }
      if (peer.stream.enqueue(m, size) > 0) (unreachable ??= new Set()).add(m.to);
    }
    if (unreachable) for (const id of unreachable) this.ctx.handler.onUnreachable?.(id);
  }

  stats(): TransportStats {
    const peers: Record<string, PeerStats> = {};
    for (const [id, p] of this.peers) peers[id] = p.stream.peerStats();
    return { ...this.counters, peers };
  }

  peerStats(id: NodeId): PeerStats | undefined {
    return this.peers.get(id)?.stream.peerStats();
  }

  /** Stops dialing, closes every connection and the server; resolves when all are closed. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.closed = true;
    this.server.off('upgrade', this.onUpgrade);
    for (const p of this.peers.values()) p.stream.close();
    const closes = [...this.sockets].map(
      (ws) =>
        new Promise<void>((resolve) => {
          if (ws.readyState === WebSocket.CLOSED) return resolve();
          ws.once('close', () => resolve());
          ws.terminate();
        }),
    );
    await Promise.all(closes);
    this.streamWss.close();
    this.snapshotWss.close();
    if (this.ownServer) {
      await new Promise<void>((resolve) => {
        this.server.close(() => resolve());
        this.server.closeAllConnections();
      });
    }
  }

  private startSnapshot(to: NodeId, peer: Peer, m: Message, size: number): void {
    if (size > this.ctx.options.maxSnapshotBytes) {
      this.ctx.logger.error({ peer: to, bytes: size, max: this.ctx.options.maxSnapshotBytes }, 'raft snapshot too large to send');
      this.counters.snapshotsFailed++;
      this.ctx.handler.onSnapshotStatus?.(to, false);
      return;
    }
    if (peer.snapshot) {
      // One at a time; Raft will send again after this failure report.
      this.ctx.logger.warn({ peer: to }, 'a raft snapshot is already in flight to this peer; dropping the new one');
      this.counters.snapshotsFailed++;
      this.ctx.handler.onSnapshotStatus?.(to, false);
      return;
    }
    this.counters.snapshotsSent++;
    const ws = sendSnapshot(this.ctx, to, peer.url, m, size, (ok) => {
      if (peer.snapshot === ws) peer.snapshot = undefined;
      if (!ok) this.counters.snapshotsFailed++;
    });
    peer.snapshot = ws;
  }

  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    let pathname: string;
    try {
      pathname = new URL(req.url ?? '/', 'http://x').pathname;
    } catch {
      pathname = '';
    }
    if (pathname !== this.path) {
      // Someone else's upgrade on a shared server; on our own server nobody else will answer it.
      if (this.ownServer) this.refuse(socket, 404, `no WebSocket endpoint at ${req.url ?? ''}`);
      return;
    }
    if (this.closed) return this.refuse(socket, 503, 'shutting down');
    const check = checkDialer(req.headers, this.ctx.self, (id) => this.peers.has(id));
    if (!check.ok) {
      this.counters.refusedConnections++;
      this.ctx.logger.warn({ remote: req.socket.remoteAddress, reason: check.reason }, 'refused a raft peer connection');
      return this.refuse(socket, check.status, check.reason);
    }
    const wss = check.stream === 'snapshot' ? this.snapshotWss : this.streamWss;
    wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, check.from, check.stream));
  };

  private refuse(socket: Duplex, status: 400 | 403 | 404 | 503, reason: string): void {
    socket.on('error', () => {});
    socket.end(refusalResponse(status, reason));
  }

  private accept(ws: WebSocket, from: NodeId, stream: StreamKind): void {
    this.ctx.track(ws);
    ws.on('error', (err) => this.ctx.logger.debug({ peer: from, err: err.message }, 'raft inbound connection error'));
    if (this.closed) {
      ws.terminate();
      return;
    }
    if (stream === 'snapshot') return this.acceptSnapshot(ws, from);
    // A redial replaces the old connection, which may be half-dead.
    this.inbound.get(from)?.terminate();
    this.inbound.set(from, ws);
    const stop = keepAlive(ws, this.ctx.options.keepaliveMs, () =>
      this.ctx.logger.warn({ peer: from }, 'raft inbound connection stopped answering pings; closing it'),
    );
    ws.on('close', () => {
      stop();
      if (this.inbound.get(from) === ws) this.inbound.delete(from);
    });
    ws.on('message', (data, isBinary) => {
      const messages = this.receive(ws, from, data, isBinary);
      if (messages && messages.length > 0) this.ctx.handler.onMessages(messages, from);
    });
  }

  private acceptSnapshot(ws: WebSocket, from: NodeId): void {
    const timer = setTimeout(() => ws.terminate(), this.ctx.options.snapshotTimeoutMs);
    ws.on('close', () => clearTimeout(timer));
    ws.once('message', (data, isBinary) => {
      const messages = this.receive(ws, from, data, isBinary);
      if (!messages) return;
      if (messages.length !== 1 || messages[0]!.type !== 'snap' || !messages[0]!.snapshot) {
        ws.close(1007, 'a snapshot connection carries exactly one snapshot message');
        return;
      }
      this.ctx.logger.info({ peer: from, index: messages[0]!.snapshot.metadata.index }, 'raft snapshot received');
      this.ctx.handler.onMessages(messages, from);
      ws.send(encodeSnapshotAck());
    });
  }

  /** Decodes a frame and keeps only messages that really are from `from` to us. */
  private receive(ws: WebSocket, from: NodeId, data: RawData, isBinary: boolean): Message[] | undefined {
    if (!isBinary) {
      ws.close(1003, 'binary frames only');
      return undefined;
    }
    let messages: Message[];
    try {
      const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
      const frame = decodeFrame(buf);
      if (frame.kind !== FrameKind.MESSAGES) throw new Error(`unexpected frame kind ${frame.kind}`);
      messages = frame.messages;
    } catch (err) {
      this.ctx.logger.warn({ peer: from, err: (err as Error).message }, 'malformed raft frame; closing the connection');
      ws.close(1007, 'malformed frame');
      return undefined;
    }
    const self = this.options.memberId;
    const valid = messages.filter((m) => m.from === from && m.to === self);
    if (valid.length !== messages.length) {
      this.counters.rejectedInbound += messages.length - valid.length;
      this.ctx.logger.warn({ peer: from, dropped: messages.length - valid.length }, 'dropped raft messages whose from/to do not match the connection');
    }
    this.counters.receivedFrames++;
    this.counters.receivedMessages += valid.length;
    return valid;
  }
}
