// Linearizable reads through ReadIndex: each request gets a unique context; when the core reports
// the read state for it, the read waits until the state machine has applied up to that index.
import { randomBytes } from 'node:crypto';

interface PendingRead {
  resolve(index: number): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
  /** Known once the core's ReadState arrives. */
  index?: number;
  context: Uint8Array;
}

export class ReadRegistry {
  private readonly incarnation = randomBytes(8);
  private counter = 0;
  private readonly pending = new Map<string, PendingRead>();

  open(timeoutMs: number): { context: Uint8Array; done: Promise<number>; cancel(err: Error): void } {
    const context = new Uint8Array(16);
    context.set(this.incarnation, 0);
    new DataView(context.buffer).setFloat64(8, ++this.counter);
    const key = Buffer.from(context).toString('latin1');
    let cancel!: (err: Error) => void;
    const done = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(key);
        reject(new Error(`the read was not confirmed by a quorum within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(key, { resolve, reject, timer, context });
      cancel = (err) => {
        clearTimeout(timer);
        this.pending.delete(key);
        reject(err);
      };
    });
    return { context, done, cancel };
  }

  /** The core confirmed leadership for `context` at commit `index`. */
  confirmed(context: Uint8Array, index: number, applied: number): void {
    const p = this.pending.get(Buffer.from(context).toString('latin1'));
    if (!p) return;
    p.index = index;
    this.release(applied);
  }

  /** The state machine reached `applied`: reads waiting for it may proceed. */
  release(applied: number): void {
    for (const [key, p] of this.pending) {
      if (p.index !== undefined && p.index <= applied) {
        this.pending.delete(key);
        clearTimeout(p.timer);
        p.resolve(p.index);
      }
    }
  }

  /**
   * Reads the core has not confirmed yet. A ReadIndex request is lost silently when the leader it
   * went to steps down; these are asked again of the new leader rather than left to time out.
   */
  unconfirmed(): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (const p of this.pending.values()) if (p.index === undefined) out.push(p.context);
    return out;
  }

  failAll(err: Error): void {
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    this.pending.clear();
  }
}
