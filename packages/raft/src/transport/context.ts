// What the transport's parts share: identity, options, callbacks, the logger, and the registry of
// open sockets that close() must wait for.

import type { WebSocket } from 'ws';
import type { Logger } from '../storage/logger.js';
import type { Message, NodeId } from '../types.js';
import type { Identity } from './handshake.js';

export interface TransportHandler {
  /** Messages from one peer, in the order it sent them. Called synchronously from the socket's data event. */
  onMessages(messages: Message[], from: NodeId): void;
  /** A peer could not be reached or a message to it was dropped (Raft: reportUnreachable). */
  onUnreachable?(peer: NodeId): void;
  /** The outcome of sending a snapshot (Raft: reportSnapshot); ok means the peer acknowledged receipt. */
  onSnapshotStatus?(peer: NodeId, ok: boolean): void;
  /** The peer refused our connection (wrong cluster, unknown member, wrong target) or failed our check of it. */
  onPeerRefused?(peer: NodeId, reason: string): void;
  /** Our message stream to the peer is open. */
  onPeerConnected?(peer: NodeId): void;
  /** Our message stream to the peer closed; we keep redialing. */
  onPeerDisconnected?(peer: NodeId): void;
}

export interface ResolvedOptions {
  queue: { maxMessages: number; maxBytes: number };
  maxFrameBytes: number;
  highWaterBytes: number;
  maxMessageBytes: number;
  maxSnapshotBytes: number;
  keepaliveMs: number;
  handshakeTimeoutMs: number;
  snapshotTimeoutMs: number;
  backoff: { initialMs: number; maxMs: number };
  random: () => number;
}

export interface TransportContext {
  self: Identity;
  options: ResolvedOptions;
  handler: TransportHandler;
  logger: Logger;
  /** Registers a socket so close() can terminate it and wait for its 'close' event. */
  track(ws: WebSocket): void;
}
