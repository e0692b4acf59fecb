// Cheap content hashes for the checkers: an entry's identity and the state machine's running
// digest (so two replicas' states compare in O(1), even across snapshots).
import type { Entry } from '../types.js';

/** A 53-bit hash of an entry's type and data (two FNV-1a variants side by side). */
export function entryKey(e: Entry): number {
  let h1 = 0x811c9dc5 ^ (e.type === 'confChange' ? 0x55 : 0x33);
  let h2 = 0x01000193;
  const d = e.data;
  for (let i = 0; i < d.length; i++) {
    h1 = Math.imul(h1 ^ d[i]!, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ d[i]!, 0x5bd1e995) >>> 0;
  }
  return h1 * 0x200000 + (h2 & 0x1fffff);
}

/** The state machine digest after applying an entry with key k on top of digest h. */
export function chain(h: number, k: number): number {
  let x = (h ^ (k & 0xffffffff)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d) >>> 0;
  x = (x + Math.floor(k / 0x100000000)) >>> 0;
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b) >>> 0;
  const hi = Math.floor(h / 0x100000000) & 0x1fffff;
  const nhi = (Math.imul(hi ^ (x >>> 11), 0x9e3779b1) >>> 0) & 0x1fffff;
  return nhi * 0x100000000 + ((x ^ (x >>> 16)) >>> 0);
}
