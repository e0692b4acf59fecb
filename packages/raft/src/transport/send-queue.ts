// A bounded FIFO of outgoing messages for one peer, limited by count and by bytes. When full it
// drops the oldest messages: Raft tolerates loss, and after an outage the peer is better served
// by the newest state than by a backlog of stale heartbeats. A ring buffer keeps push and shift O(1).

import type { Message } from '../types.js';

export interface QueueLimits {
  maxMessages: number;
  maxBytes: number;
}

export class SendQueue {
  private msgs: Array<Message | undefined>;
  private sizes: number[];
  private head = 0;
  private count = 0;
  bytes = 0;
  dropped = 0;

  constructor(private readonly limits: QueueLimits) {
    if (limits.maxMessages < 1 || limits.maxBytes < 1) throw new RangeError('queue limits must be at least 1');
    const cap = Math.min(limits.maxMessages, 1024);
    this.msgs = new Array<Message | undefined>(cap);
    this.sizes = new Array<number>(cap).fill(0);
  }

  get length(): number {
    return this.count;
  }

  /** Adds a message; returns how many (older, or this one if it can never fit) were dropped. */
  push(m: Message, size: number): number {
    if (size > this.limits.maxBytes) {
      this.dropped++;
      return 1;
    }
    let dropped = 0;
    while (this.count > 0 && (this.count >= this.limits.maxMessages || this.bytes + size > this.limits.maxBytes)) {
      this.shift();
      dropped++;
    }
    if (this.count === this.msgs.length) this.grow();
    const at = (this.head + this.count) % this.msgs.length;
    this.msgs[at] = m;
    this.sizes[at] = size;
    this.count++;
    this.bytes += size;
    this.dropped += dropped;
    return dropped;
  }

  /** Removes messages from the front up to `maxBytes` in total (at least one, whatever its size). */
  take(maxBytes: number, out: { messages: Message[]; sizes: number[] }): void {
    let total = 0;
    while (this.count > 0) {
      const size = this.sizes[this.head]!;
      if (out.messages.length > 0 && total + size > maxBytes) break;
      total += size;
      out.sizes.push(size);
      out.messages.push(this.shift());
    }
  }

  clear(): number {
    const n = this.count;
    while (this.count > 0) this.shift();
    return n;
  }

  private shift(): Message {
    const m = this.msgs[this.head]!;
    this.msgs[this.head] = undefined;
    this.bytes -= this.sizes[this.head]!;
    this.head = (this.head + 1) % this.msgs.length;
    this.count--;
    return m;
  }

  private grow(): void {
    const cap = Math.min(this.msgs.length * 2, Math.max(this.limits.maxMessages, 1));
    const msgs = new Array<Message | undefined>(cap);
    const sizes = new Array<number>(cap).fill(0);
    for (let i = 0; i < this.count; i++) {
      const from = (this.head + i) % this.msgs.length;
      msgs[i] = this.msgs[from];
      sizes[i] = this.sizes[from]!;
    }
    this.msgs = msgs;
    this.sizes = sizes;
    this.head = 0;
  }
}
