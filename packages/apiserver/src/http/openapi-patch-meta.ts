// x-kubernetes-patch-strategy / x-kubernetes-patch-merge-key on the lists that strategic merge
// patch merges by key (containers by name, ports by containerPort ...), taken from the server's
// own strategic merge patch, so the documents promise what the server does. kubectl's client-side
// apply builds its patch from these: without them, a list is compared whole, and re-applying an
// unchanged manifest whose objects gained defaults (imagePullPolicy, protocol) sends a patch
// ("configured" instead of "unchanged").

import { isPrimitiveMergeList, mergeKeyOf } from '../patch/strategic-merge-patch.js';

type Schema = Record<string, unknown>;

/** Annotates, in place, every list under `schema` (a kind's schema) that merges by key. */
export function annotatePatchStrategy(kind: string, schema: Schema, path: string[] = []): void {
  const props = schema.properties as Record<string, Schema> | undefined;
  if (props !== undefined) {
    for (const [name, s] of Object.entries(props)) {
      const p = [...path, name];
      if (s.type === 'array') {
        const key = mergeKeyOf(kind, p);
        if (key !== undefined) Object.assign(s, { 'x-kubernetes-patch-merge-key': key, 'x-kubernetes-patch-strategy': 'merge' });
        else if (isPrimitiveMergeList(p)) s['x-kubernetes-patch-strategy'] = 'merge';
        // The items of a list sit at the list's own path: `containers` then `ports`.
        if (s.items !== null && typeof s.items === 'object') annotatePatchStrategy(kind, s.items as Schema, p);
      } else {
        annotatePatchStrategy(kind, s, p);
      }
    }
  }
  const values = schema.additionalProperties;
  if (values !== null && typeof values === 'object') annotatePatchStrategy(kind, values as Schema, path);
}
