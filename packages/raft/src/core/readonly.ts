// ReadIndex bookkeeping on the leader (thesis §6.4): each request remembers the commit index at
// the time it arrived; it is served once a majority has answered a heartbeat carrying its
// context, which proves that we were still the leader after the request arrived.
import type { NodeId } from '../types.js';
import { bytesKey } from './bytes.js';

export interface ReadRequest {
  /** Who asked: this node for a local read, or the follower that forwarded it. */
  from: NodeId;
  context: Uint8Array;
}

export interface ReadIndexStatus {
  req: ReadRequest;
  index: number;
  acks: Set<NodeId>;
}

export class ReadOnly {
  private pending = new Map<string, ReadIndexStatus>();
  private queue: string[] = [];

  addRequest(index: number, req: ReadRequest): void {
    const key = bytesKey(req.context);
    if (this.pending.has(key)) return; // a duplicated request
    this.pending.set(key, { req, index, acks: new Set() });
    this.queue.push(key);
  }

  /** Records a heartbeat answer for `context`; returns who has answered, or undefined. */
  recvAck(id: NodeId, context: Uint8Array): ReadonlySet<NodeId> | undefined {
    const rs = this.pending.get(bytesKey(context));
    if (!rs) return undefined;
    rs.acks.add(id);
    return rs.acks;
  }

  /**
   * Releases the request for `context` and every request queued before it: a quorum that
   * answered a later heartbeat also vouches for the earlier requests.
   */
  advance(context: Uint8Array): ReadIndexStatus[] {
    const key = bytesKey(context);
    const at = this.queue.indexOf(key);
    if (at < 0) return [];
    const released: ReadIndexStatus[] = [];
    for (const k of this.queue.slice(0, at + 1)) {
      const rs = this.pending.get(k);
      if (rs) released.push(rs);
      this.pending.delete(k);
    }
    this.queue = this.queue.slice(at + 1);
    return released;
  }

  lastPendingContext(): Uint8Array | undefined {
    const k = this.queue[this.queue.length - 1];
    return k === undefined ? undefined : this.pending.get(k)?.req.context;
  }

  get size(): number {
    return this.queue.length;
  }

  reset(): void {
    this.pending.clear();
    this.queue = [];
  }
}
