// Peer identity, checked when a connection opens. The dialer says who it is and whom it means to
// reach in request headers; the listener refuses, with HTTP 403 and a reason header, a dialer from
// another cluster, one that is not a member, or one that dialed the wrong member (a stale peer
// URL now served by someone else). The listener states its own identity in the 101 response and
// the dialer checks it too, so neither side talks to a stranger.

import type { IncomingHttpHeaders } from 'node:http';
import type { NodeId } from '../types.js';

export const PROTOCOL_VERSION = '1';

export const Header = {
  protocol: 'x-kubets-raft-protocol',
  clusterId: 'x-kubets-cluster-id',
  memberId: 'x-kubets-member-id',
  targetId: 'x-kubets-target-id',
  stream: 'x-kubets-stream',
  refused: 'x-kubets-refused',
} as const;

/** A connection carries either the ordered message stream or one snapshot. */
export type StreamKind = 'message' | 'snapshot';

export interface Identity {
  clusterId: string;
  memberId: NodeId;
}

export function dialHeaders(self: Identity, target: NodeId, stream: StreamKind): Record<string, string> {
  return {
    [Header.protocol]: PROTOCOL_VERSION,
    [Header.clusterId]: self.clusterId,
    [Header.memberId]: String(self.memberId),
    [Header.targetId]: String(target),
    [Header.stream]: stream,
  };
}

export type HandshakeResult =
  | { ok: true; from: NodeId; stream: StreamKind }
  | { ok: false; status: 400 | 403; reason: string };

function one(h: IncomingHttpHeaders, name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

function parseId(v: string | undefined): NodeId | undefined {
  if (v === undefined || !/^[0-9]{1,16}$/.test(v)) return undefined;
  const n = Number(v);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** The listener's check of a dialer's upgrade request. */
export function checkDialer(h: IncomingHttpHeaders, self: Identity, isMember: (id: NodeId) => boolean): HandshakeResult {
  const protocol = one(h, Header.protocol);
  if (protocol !== PROTOCOL_VERSION) return { ok: false, status: 400, reason: `unsupported raft protocol version ${protocol ?? '(none)'}, want ${PROTOCOL_VERSION}` };
  const clusterId = one(h, Header.clusterId);
  if (clusterId !== self.clusterId) {
    return { ok: false, status: 403, reason: `cluster id mismatch: this member belongs to cluster ${self.clusterId}, the dialer to ${clusterId ?? '(none)'}` };
  }
  const from = parseId(one(h, Header.memberId));
  if (from === undefined) return { ok: false, status: 400, reason: `bad member id ${one(h, Header.memberId) ?? '(none)'}` };
  if (from === self.memberId) return { ok: false, status: 403, reason: `member ${from} dialed itself` };
  if (!isMember(from)) return { ok: false, status: 403, reason: `member ${from} is not a member of cluster ${self.clusterId}` };
  const target = parseId(one(h, Header.targetId));
  if (target !== self.memberId) {
    return { ok: false, status: 403, reason: `dialed member ${one(h, Header.targetId) ?? '(none)'} but this is member ${self.memberId}` };
  }
  const stream = one(h, Header.stream);
  if (stream !== 'message' && stream !== 'snapshot') return { ok: false, status: 400, reason: `unknown stream kind ${stream ?? '(none)'}` };
  return { ok: true, from, stream };
}

/** The dialer's check of the listener's 101 response; returns why it is wrong, or undefined. */
export function checkListener(h: IncomingHttpHeaders, self: Identity, target: NodeId): string | undefined {
  const clusterId = one(h, Header.clusterId);
  if (clusterId !== self.clusterId) return `cluster id mismatch: the peer answered for cluster ${clusterId ?? '(none)'}, this member belongs to ${self.clusterId}`;
  const id = parseId(one(h, Header.memberId));
  if (id !== target) return `dialed member ${target} but member ${one(h, Header.memberId) ?? '(none)'} answered`;
  return undefined;
}

/** The identity headers of a 101 response, as raw header lines (ws 'headers' event). */
export function listenerHeaderLines(self: Identity): string[] {
  return [`${Header.clusterId}: ${self.clusterId}`, `${Header.memberId}: ${self.memberId}`];
}

/** A refusal as a raw HTTP response on the upgrade socket; the reason also goes in a header. */
export function refusalResponse(status: 400 | 403 | 404 | 503, reason: string): string {
  const text = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 503: 'Service Unavailable' }[status];
  const safe = reason.replace(/[^\x20-\x7e]/g, '?');
  return (
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
    `${Header.refused}: ${safe}\r\nContent-Length: ${Buffer.byteLength(safe)}\r\n\r\n${safe}`
  );
}
