// Matching applied entries to the proposals waiting for them. A proposal's entry data starts with
// a 16-byte header: the proposing member, a random incarnation (so entries replayed from the WAL
// after a restart never match a new proposal), and a counter.
import { randomBytes } from 'node:crypto';
import type { NodeId } from '../types.js';

const HEADER_BYTES = 16;

export interface Applied {
  index: number;
  /** What the state machine's apply() returned for the entry. */
  result: unknown;
}

interface Waiter {
  resolve(a: Applied): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

export class ProposalRegistry {
  private readonly incarnation = randomBytes(8);
  private counter = 0;
  private readonly waiting = new Map<string, Waiter>();

  constructor(private readonly member: NodeId) {}

  /** Frames `payload` with a fresh header and registers a waiter that times out after `timeoutMs`. */
  open(payload: Uint8Array, timeoutMs: number): { data: Uint8Array; done: Promise<Applied>; cancel(err: Error): void } {
    const data = new Uint8Array(HEADER_BYTES + payload.length);
    const view = new DataView(data.buffer);
    view.setUint32(0, this.member);
    data.set(this.incarnation.subarray(0, 8), 4);
    view.setUint32(12, ++this.counter);
    data.set(payload, HEADER_BYTES);
    const key = keyOf(data);
    let cancel!: (err: Error) => void;
    const done = new Promise<Applied>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(key);
        reject(new ProposalTimeoutError(timeoutMs));
      }, timeoutMs);
      this.waiting.set(key, { resolve, reject, timer });
      cancel = (err) => {
        clearTimeout(timer);
        this.waiting.delete(key);
        reject(err);
      };
    });
    return { data, done, cancel };
  }

  /** An entry was applied: wake its proposer if it is ours. */
  applied(data: Uint8Array, index: number, result: unknown): void {
    if (data.length < HEADER_BYTES || this.waiting.size === 0) return;
    const key = keyOf(data);
    const w = this.waiting.get(key);
    if (!w) return;
    this.waiting.delete(key);
    clearTimeout(w.timer);
    w.resolve({ index, result });
  }

  /** Fails every waiter (shutdown). */
  failAll(err: Error): void {
    for (const w of this.waiting.values()) {
      clearTimeout(w.timer);
      w.reject(err);
    }
    this.waiting.clear();
  }
}

/** The application's bytes of an entry, without the proposal header. */
export function payloadOf(data: Uint8Array): Uint8Array {
  return data.length < HEADER_BYTES ? new Uint8Array(0) : data.subarray(HEADER_BYTES);
}

function keyOf(data: Uint8Array): string {
  return Buffer.from(data.buffer, data.byteOffset, HEADER_BYTES).toString('latin1');
}

export class ProposalTimeoutError extends Error {
  constructor(ms: number) {
    super(`the proposal was not applied within ${ms} ms (no leader, or the leader changed and dropped it)`);
    this.name = 'ProposalTimeoutError';
  }
}
