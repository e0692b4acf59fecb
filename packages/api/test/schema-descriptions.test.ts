// Every field of every served kind says what it is: `kubectl explain` shows these descriptions,
// as kube-apiserver's documents describe every field. A new field without one fails here.

import t from 'tap';
import type { TSchema } from '@sinclair/typebox';
import { allResources, DeleteOptions, listSchema, Scale, StatusSchema, WatchEvent } from '../src/index.js';

/** The paths (`spec.containers[].livenessProbe`) of the properties under `schema` that have no description. */
function undescribed(schema: TSchema, path: string): string[] {
  const out: string[] = [];
  for (const [name, s] of Object.entries((schema.properties ?? {}) as Record<string, TSchema>)) {
    const p = path === '' ? name : `${path}.${name}`;
    if (typeof s.description !== 'string' || s.description.trim() === '') out.push(p);
    out.push(...undescribed(s, p));
  }
  if (schema.items !== undefined) out.push(...undescribed(schema.items as TSchema, `${path}[]`));
  for (const v of Object.values((schema.patternProperties ?? {}) as Record<string, TSchema>)) out.push(...undescribed(v, `${path}{}`));
  for (const member of (schema.anyOf ?? []) as TSchema[]) out.push(...undescribed(member, path));
  return out;
}

const kinds: [string, TSchema][] = [
  ...allResources().map((r): [string, TSchema] => [r.kind, r.schema]),
  ['Scale', Scale],
  ['Status', StatusSchema],
  ['DeleteOptions', DeleteOptions],
  ['WatchEvent', WatchEvent],
  ['PodList', listSchema('Pod', allResources()[0]!.schema)],
];

for (const [kind, schema] of kinds) {
  t.test(`every field of ${kind} has a description`, async (t) => {
    t.ok(schema.description, `${kind} itself is described`);
    t.same(undescribed(schema, ''), [], `${kind}: fields without a description`);
  });
}
