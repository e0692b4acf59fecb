// The revisions of one key, oldest first, as etcd's keyIndex keeps them: each put or deletion
// that touched the key, until compaction drops what no reader at or after the compaction
// revision can see any more.
import type { KeyValue } from './types.js';

export interface Revision {
  /** The write transaction's revision. */
  main: number;
  /** The position of this change within its transaction (etcd's sub revision). */
  sub: number;
  /** The key's value from this revision on; undefined for a deletion (a tombstone). */
  kv: KeyValue | undefined;
}

export class KeyHistory {
  readonly revisions: Revision[] = [];

  /** The live value now, if the key exists. */
  get latest(): KeyValue | undefined {
    return this.revisions[this.revisions.length - 1]?.kv;
  }

  push(r: Revision): void {
    this.revisions.push(r);
  }

  /** The value as of revision `rev`, if the key existed then. */
  at(rev: number): KeyValue | undefined {
    const rs = this.revisions;
    const last = rs[rs.length - 1];
    if (last === undefined) return undefined;
    if (last.main <= rev) return last.kv;
    // Binary search for the last revision <= rev.
    let lo = 0;
    let hi = rs.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (rs[mid]!.main <= rev) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found < 0 ? undefined : rs[found]!.kv;
  }

  /** Index of the first revision >= rev (rs.length if none). */
  firstAtOrAfter(rev: number): number {
    const rs = this.revisions;
    let lo = 0;
    let hi = rs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (rs[mid]!.main < rev) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Drops what is invisible from revision `rev` on: everything before the last revision <= rev,
   * and that one too if it is a deletion older than rev. Returns the bytes freed.
   */
  compact(rev: number): number {
    const rs = this.revisions;
    let keep = this.firstAtOrAfter(rev + 1) - 1; // the last revision <= rev
    if (keep < 0) return 0;
    if (rs[keep]!.kv === undefined && rs[keep]!.main < rev) keep++;
    let freed = 0;
    for (let i = 0; i < keep; i++) freed += sizeOf(rs[i]!);
    rs.splice(0, keep);
    return freed;
  }
}

export function sizeOf(r: Revision): number {
  return 48 + (r.kv ? r.kv.key.length + r.kv.value.length : 0);
}
