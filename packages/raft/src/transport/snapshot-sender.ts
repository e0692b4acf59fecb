// Snapshots go on a connection of their own, opened for one snapshot and closed after the
// receiver's acknowledgement. A snapshot may be hundreds of MiB: on the message stream it would
// hold up heartbeats and appends behind it (and count against that stream's small-message queue),
// and the ack gives Raft a true "delivered" for reportSnapshot rather than "written to a socket".

import { WebSocket } from 'ws';
import type { Message, NodeId } from '../types.js';
import type { TransportContext } from './context.js';
import { decodeFrame, encodeFrame, FrameKind } from './frame.js';
import { checkListener, dialHeaders, Header } from './handshake.js';

/** Sends one snapshot message; reports the outcome through onSnapshotStatus exactly once. */
export function sendSnapshot(ctx: TransportContext, to: NodeId, url: string, m: Message, size: number, done: (ok: boolean) => void): WebSocket {
  const log = ctx.logger;
  const started = Date.now();
  const ws = new WebSocket(url, {
    headers: dialHeaders(ctx.self, to, 'snapshot'),
    perMessageDeflate: false,
    maxPayload: 1024,
    handshakeTimeout: ctx.options.handshakeTimeoutMs,
  });
  ctx.track(ws);
  let acked = false;
  let why = 'connection closed before the peer acknowledged';
  const timer = setTimeout(() => {
    why = `no acknowledgement within ${ctx.options.snapshotTimeoutMs} ms`;
    ws.terminate();
  }, ctx.options.snapshotTimeoutMs);

  ws.on('upgrade', (res) => {
    const bad = checkListener(res.headers, ctx.self, to);
    if (bad) {
      why = bad;
      ctx.handler.onPeerRefused?.(to, bad);
      ws.terminate();
    }
  });
  ws.on('unexpected-response', (_req, res) => {
    const header = res.headers[Header.refused];
    why = `HTTP ${res.statusCode}: ${(Array.isArray(header) ? header[0] : header) ?? 'no reason given'}`;
    ctx.handler.onPeerRefused?.(to, why);
    res.resume();
    ws.terminate();
  });
  ws.on('open', () => {
    ws.send(encodeFrame([m], [size]), { binary: true });
  });
  ws.on('message', (data) => {
    try {
      const frame = decodeFrame(Array.isArray(data) ? Buffer.concat(data) : new Uint8Array(data));
      if (frame.kind === FrameKind.SNAPSHOT_ACK) acked = true;
    } catch {
      why = 'malformed acknowledgement';
    }
    ws.close(1000);
  });
  ws.on('error', (err) => {
    why = err.message;
  });
  ws.on('close', () => {
    clearTimeout(timer);
    const index = m.snapshot?.metadata.index;
    if (acked) log.info({ peer: to, index, bytes: size, ms: Date.now() - started }, 'raft snapshot delivered');
    else log.warn({ peer: to, index, bytes: size, reason: why }, 'raft snapshot not delivered');
    done(acked);
    ctx.handler.onSnapshotStatus?.(to, acked);
  });
  return ws;
}
