// The pipeline window of one follower in replicate state: the last index of each append in
// flight and its bytes. The leader stops sending when either cap is reached and frees the
// window as the follower acknowledges.
import { invariant } from './assert.js';

export class Inflights {
  private idx: number[] = [];
  private bytes: number[] = [];
  private start = 0; // a queue: live items are idx[start..]
  private totalBytes = 0;

  constructor(
    private readonly maxCount: number,
    private readonly maxBytes: number, // 0 means no byte cap
  ) {
    invariant(maxCount >= 1, 'maxInflightMsgs must be at least 1');
  }

  get count(): number {
    return this.idx.length - this.start;
  }

  get inflightBytes(): number {
    return this.totalBytes;
  }

  full(): boolean {
    return this.count >= this.maxCount || (this.maxBytes > 0 && this.totalBytes >= this.maxBytes);
  }

  add(index: number, bytes: number): void {
    invariant(!this.full(), 'inflights: add while full');
    const last = this.idx[this.idx.length - 1];
    invariant(this.count === 0 || last === undefined || index > last, () => `inflights: index ${index} not above ${last}`);
    this.idx.push(index);
    this.bytes.push(bytes);
    this.totalBytes += bytes;
  }

  /** Frees every append whose last index is <= index. */
  freeLE(index: number): void {
    while (this.start < this.idx.length && this.idx[this.start]! <= index) {
      this.totalBytes -= this.bytes[this.start]!;
      this.start++;
    }
    if (this.start === this.idx.length) this.reset();
    else if (this.start > 64 && this.start * 2 > this.idx.length) {
      this.idx = this.idx.slice(this.start);
      this.bytes = this.bytes.slice(this.start);
      this.start = 0;
    }
  }

  /** Frees the oldest append (used to recover a window whose appends were all lost). */
  freeFirst(): void {
    const first = this.idx[this.start];
    if (first !== undefined && this.count > 0) this.freeLE(first);
  }

  reset(): void {
    this.idx = [];
    this.bytes = [];
    this.start = 0;
    this.totalBytes = 0;
  }
}
