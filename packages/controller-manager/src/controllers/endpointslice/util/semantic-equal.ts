// Upstream compares endpoints with apimachinery's semantic equality, where an empty list or map
// equals a missing one, and ignores the resourceVersion of target references, so a pod update
// no endpoint shows (an annotation) writes nothing. JSON from the API server may also order keys
// differently from ours.

import { isDeepStrictEqual } from 'node:util';

export function semanticEqual(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(normalize(a, ''), normalize(b, ''));
}

function normalize(v: unknown, key: string): unknown {
  if (Array.isArray(v)) return v.length === 0 ? undefined : v.map((x) => normalize(x, ''));
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v)) {
    if (key === 'targetRef' && k === 'resourceVersion') continue;
    const n = normalize(val, k);
    if (n !== undefined) out[k] = n;
  }
  return Object.keys(out).length === 0 ? undefined : out;
}
