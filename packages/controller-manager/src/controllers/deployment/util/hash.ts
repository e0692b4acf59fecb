// The pod-template-hash (upstream ComputeHash): FNV-32a over the template plus the collision
// count, as a decimal number spelled in upstream's safe alphabet (no vowels, no look-alikes).
// The template is hashed as JSON with sorted keys, so the hash is the same in every process
// and after every restart; it need not equal upstream's, which hashes Go's printed structs.

import type { Deployment } from '@kubets/api';

type PodTemplate = NonNullable<NonNullable<Deployment['spec']>['template']>;

const safeAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/** JSON with object keys sorted and undefined members left out, at every depth. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : canonicalJson(x))).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

function fnv32a(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Upstream rand.SafeEncodeString: each character mapped into the safe alphabet. */
export function safeEncode(s: string): string {
  return [...s].map((c) => safeAlphabet[c.charCodeAt(0) % safeAlphabet.length]).join('');
}

export function computeHash(template: PodTemplate | undefined, collisionCount: number | undefined): string {
  let h = fnv32a(new TextEncoder().encode(canonicalJson(template ?? {})));
  if (collisionCount !== undefined) {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(bytes, h);
  }
  return safeEncode(String(h));
}
