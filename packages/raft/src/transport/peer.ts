// Our outbound message stream to one peer: one persistent WebSocket, redialed with backoff while
// the transport is open. Messages wait in a bounded queue and go out batched, one frame per flush,
// and only while the socket's own buffer is below the high-water mark, so a slow peer costs at
// most the queue's bound in memory. A peer that is down gets nothing queued: its messages are
// dropped until a connection opens again.

import { WebSocket } from 'ws';
import type { Message, NodeId } from '../types.js';
import { Backoff } from './backoff.js';
import type { TransportContext } from './context.js';
import { encodeFrame } from './frame.js';
import { checkListener, dialHeaders, Header } from './handshake.js';
import { keepAlive } from './keepalive.js';
import { SendQueue } from './send-queue.js';

export interface PeerStats {
  connected: boolean;
  queuedMessages: number;
  queuedBytes: number;
  /** Bytes the socket holds that the kernel has not taken yet (bounded by the high-water mark plus a frame). */
  bufferedBytes: number;
  sentMessages: number;
  sentFrames: number;
  sentBytes: number;
  droppedMessages: number;
  dials: number;
  /** The last refusal, while it is the latest outcome of a dial. */
  refused: string | undefined;
  lastError: string | undefined;
}

export class PeerStream {
  readonly queue: SendQueue;
  private readonly backoff: Backoff;
  private ws: WebSocket | undefined;
  private redial: NodeJS.Timeout | undefined;
  private flushScheduled = false;
  private closed = false;
  /** Set when a dial fails or the connection is lost, cleared when a connection opens. */
  private down = false;
  private stats = { sentMessages: 0, sentFrames: 0, sentBytes: 0, dials: 0, encodeDrops: 0 };
  private refused: string | undefined;
  private lastError: string | undefined;
  /** Whether we were connected before the current run of failed dials (to log the loss once). */
  private wasConnected = false;

  constructor(
    readonly id: NodeId,
    private url: string,
    private readonly ctx: TransportContext,
  ) {
    this.queue = new SendQueue(ctx.options.queue);
    this.backoff = new Backoff({ ...ctx.options.backoff, random: ctx.options.random });
  }

  get connected(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  start(): void {
    this.dial();
  }

  /** Points the stream at a new URL, redialing at once. */
  setUrl(url: string): void {
    if (url === this.url) return;
    this.url = url;
    this.backoff.reset();
    if (this.ws) this.ws.terminate();
    else if (this.redial) {
      clearTimeout(this.redial);
      this.redial = undefined;
      this.dial();
    }
  }

  /**
   * Queues a message; returns how many were dropped to make room. Never blocks. While the peer is
   * down (a dial failed or the connection was lost) messages are dropped, not kept: Raft resends
   * what matters, and a proposal held through an outage would commit long after its client gave
   * up on it, over newer writes (etcd's transport drops them too).
   */
  enqueue(m: Message, size: number): number {
    if (this.down) {
      this.queue.dropped++;
      return 1;
    }
    const dropped = this.queue.push(m, size);
    this.scheduleFlush();
    return dropped;
  }

  peerStats(): PeerStats {
    return {
      connected: this.connected,
      queuedMessages: this.queue.length,
      queuedBytes: this.queue.bytes,
      bufferedBytes: this.ws?.bufferedAmount ?? 0,
      sentMessages: this.stats.sentMessages,
      sentFrames: this.stats.sentFrames,
      sentBytes: this.stats.sentBytes,
      droppedMessages: this.queue.dropped + this.stats.encodeDrops,
      dials: this.stats.dials,
      refused: this.refused,
      lastError: this.lastError,
    };
  }

  /** Stops redialing and drops the queue; the socket itself is closed by the transport's registry. */
  close(): void {
    this.closed = true;
    if (this.redial) clearTimeout(this.redial);
    this.redial = undefined;
    this.queue.clear();
    this.ws?.terminate();
  }

  private dial(): void {
    if (this.closed) return;
    const { ctx, id } = this;
    const log = ctx.logger;
    this.stats.dials++;
    const ws = new WebSocket(this.url, {
      headers: dialHeaders(ctx.self, id, 'message'),
      perMessageDeflate: false,
      maxPayload: 64 * 1024, // we only ever receive control frames on this stream
      handshakeTimeout: ctx.options.handshakeTimeoutMs,
    });
    this.ws = ws;
    ctx.track(ws);
    let opened = false;
    let refusedNow = false;
    let stopKeepalive = (): void => {};

    const refuse = (reason: string): void => {
      refusedNow = true;
      this.refused = reason;
      log.warn({ peer: id, url: this.url, reason }, 'raft peer connection refused; will retry');
      ctx.handler.onPeerRefused?.(id, reason);
    };
    ws.on('upgrade', (res) => {
      const why = checkListener(res.headers, ctx.self, id);
      if (why) {
        refuse(why);
        ws.terminate();
      }
    });
    ws.on('unexpected-response', (_req, res) => {
      const header = res.headers[Header.refused];
      refuse(`HTTP ${res.statusCode}: ${(Array.isArray(header) ? header[0] : header) ?? res.statusMessage ?? 'no reason given'}`);
      res.resume();
      ws.terminate();
    });
    ws.on('open', () => {
      opened = true;
      this.down = false;
      this.wasConnected = true;
      this.refused = undefined;
      this.lastError = undefined;
      this.backoff.reset();
      log.info({ peer: id, url: this.url }, 'raft peer connected');
      stopKeepalive = keepAlive(ws, ctx.options.keepaliveMs, () => log.warn({ peer: id }, 'raft peer stopped answering pings; reconnecting'));
      ctx.handler.onPeerConnected?.(id);
      this.flush();
    });
    ws.on('error', (err) => {
      this.lastError = err.message;
    });
    ws.on('close', (code, reason) => {
      stopKeepalive();
      if (this.ws === ws) this.ws = undefined;
      if (this.closed) return;
      this.down = true;
      this.queue.dropped += this.queue.clear();
      if (opened) {
        log.warn({ peer: id, code, reason: reason.toString() }, 'raft peer connection lost; reconnecting');
        ctx.handler.onPeerDisconnected?.(id);
      } else if (!refusedNow) {
        // Logged once per outage, not once per attempt.
        const fields = { peer: id, url: this.url, err: this.lastError };
        if (this.wasConnected) log.warn(fields, 'raft peer unreachable');
        else log.debug(fields, 'raft peer unreachable');
        this.wasConnected = false;
      }
      ctx.handler.onUnreachable?.(id);
      const delay = this.backoff.next();
      this.redial = setTimeout(() => {
        this.redial = undefined;
        this.dial();
      }, delay);
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // A microtask: everything sent in the same synchronous run (one Ready) goes in one frame.
    queueMicrotask(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    const { maxFrameBytes, highWaterBytes } = this.ctx.options;
    while (this.queue.length > 0 && ws.bufferedAmount < highWaterBytes) {
      const batch = { messages: [] as Message[], sizes: [] as number[] };
      this.queue.take(maxFrameBytes, batch);
      let frame: Buffer;
      try {
        frame = encodeFrame(batch.messages, batch.sizes);
      } catch (err) {
        // A message the codec refuses (a core bug): drop the batch rather than wedge the stream.
        this.stats.encodeDrops += batch.messages.length;
        this.ctx.logger.error({ peer: this.id, err: (err as Error).message }, 'could not encode raft messages; dropped');
        continue;
      }
      this.stats.sentFrames++;
      this.stats.sentMessages += batch.messages.length;
      this.stats.sentBytes += frame.length;
      ws.send(frame, { binary: true }, (err) => {
        // Written to the kernel: room for more if the queue refilled while we were above high water.
        if (!err && this.queue.length > 0) this.scheduleFlush();
      });
    }
  }
}
