// What the server itself sets and protects on every write, for every kind: uid,
// creationTimestamp, generation (bumped on spec changes only), generateName, and the split
// between the main resource and its status. What varies per kind is the kind's strategy
// (strategies.ts); the steps here call its hooks, as upstream's generic registry calls
// BeforeCreate/BeforeUpdate around each kind's strategy.

import { randomInt, randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { ResourceInfo } from '@kubets/api';
import type { KubeObject } from '../storage/interface.js';
import { strategyFor } from './strategies.js';

/** Kinds whose status is written only through the status subresource. */
export function hasStatusSubresource(info: ResourceInfo): boolean {
  return info.subresources.some((s) => s.name === 'status');
}

/** RFC 3339 with whole seconds, as metav1.Time serialises. */
export function nowTimestamp(now = new Date()): string {
  return `${now.toISOString().slice(0, 19)}Z`;
}

// Upstream's alphabet for generated names: no vowels, no easily confused characters.
const nameAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

export function generateName(prefix: string): string {
  const base = prefix.length > 58 ? prefix.slice(0, 58) : prefix;
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += nameAlphabet[randomInt(nameAlphabet.length)];
  return base + suffix;
}

type Meta = NonNullable<KubeObject['metadata']>;

function meta(obj: KubeObject): Meta {
  obj.metadata ??= {};
  return obj.metadata;
}

/** Fields of ObjectMeta only the server may set; a client's values are replaced on create. */
export function prepareForCreate(info: ResourceInfo, obj: KubeObject, namespace: string | undefined): void {
  const strategy = strategyFor(info);
  const m = meta(obj);
  if ((m.name === undefined || m.name === '') && typeof m.generateName === 'string' && m.generateName !== '') {
    m.name = generateName(m.generateName);
  }
  if (info.namespaced) m.namespace = namespace;
  else delete m.namespace;
  m.uid = randomUUID();
  m.creationTimestamp = nowTimestamp();
  delete m.resourceVersion;
  delete m.deletionTimestamp;
  delete m.deletionGracePeriodSeconds;
  delete m.selfLink;
  delete m.managedFields;
  if (strategy.generationTracked) m.generation = 1;
  else delete m.generation;
  // A new object's status is the server's to write, where the kind says so.
  if (strategy.statusOnCreate !== undefined) obj.status = strategy.statusOnCreate(obj);
  strategy.prepareForCreate?.(obj);
  strategy.canonicalize?.(obj);
}

const serverOwnedMeta = ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation', 'namespace', 'name'] as const;

/** Server-owned metadata as stored; selfLink and the client's managedFields dropped. */
function keepServerOwnedMeta(next: KubeObject, old: KubeObject): Record<string, unknown> {
  const m = meta(next) as Record<string, unknown>;
  const om = (old.metadata ?? {}) as Record<string, unknown>;
  for (const f of serverOwnedMeta) {
    if (om[f] === undefined) delete m[f];
    else m[f] = om[f];
  }
  delete m.selfLink;
  delete m.managedFields;
  return m;
}

/**
 * A PUT or PATCH of the main resource: server-owned metadata comes from the old object, the
 * status too where a status subresource owns it, and generation moves when the spec changed.
 */
export function prepareForUpdate(info: ResourceInfo, next: KubeObject, old: KubeObject): void {
  const strategy = strategyFor(info);
  const m = keepServerOwnedMeta(next, old);
  const om = (old.metadata ?? {}) as Record<string, unknown>;
  if (hasStatusSubresource(info)) {
    if (old.status === undefined) delete next.status;
    else next.status = old.status;
  }
  if (strategy.generationTracked && !isDeepStrictEqual(next.spec, old.spec)) {
    m.generation = (typeof om.generation === 'number' ? om.generation : 0) + 1;
  }
  strategy.prepareForUpdate?.(next, old);
  strategy.canonicalize?.(next);
}

/** A write to the status subresource: only status changes; everything else stays as stored. */
export function prepareForStatusUpdate(info: ResourceInfo, next: KubeObject, old: KubeObject): KubeObject {
  const out: KubeObject = structuredClone(old);
  if (next.status === undefined) delete out.status;
  else out.status = next.status;
  strategyFor(info).canonicalize?.(out);
  return out;
}

/**
 * A PUT of a namespace's `finalize` subresource, as upstream's namespace finalize strategy: the
 * body's spec (its finalizers) and metadata are taken, within the rules of any update; the
 * status stays as stored.
 */
export function prepareForFinalizeUpdate(info: ResourceInfo, next: KubeObject, old: KubeObject): void {
  keepServerOwnedMeta(next, old);
  if (old.status === undefined) delete next.status;
  else next.status = old.status;
  strategyFor(info).canonicalize?.(next);
}
