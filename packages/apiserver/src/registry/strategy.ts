// What the server itself sets and protects on every write, as kube-apiserver's
// per-kind strategies do: uid, creationTimestamp, generation (bumped on spec changes
// only), generateName, and the split between the main resource and its status.

import { randomInt, randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { ResourceInfo } from '@kubets/api';
import type { KubeObject } from '../storage/interface.js';
import { dropTypeDependentFields } from './service-type-change.js';

/** Kinds whose controllers report status.observedGeneration against metadata.generation. */
const generationTracked = new Set(['deployments', 'replicasets', 'pods']);

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
  if (generationTracked.has(info.resource)) m.generation = 1;
  else delete m.generation;
  resetStatusOnCreate(info, obj);
  mergeSecretStringData(info, obj);
  labelNamespaceWithName(info, obj);
}

/** The label every namespace carries (NetworkPolicy's namespaceSelector, `kubectl get ns -l`). */
export const namespaceNameLabel = 'kubernetes.io/metadata.name';

/**
 * A Namespace is labelled with its own name on create and on every update, as upstream's
 * namespace strategy canonicalises it: a client can neither remove nor change the label.
 */
function labelNamespaceWithName(info: ResourceInfo, obj: KubeObject): void {
  const m = meta(obj);
  if (info.resource !== 'namespaces' || typeof m.name !== 'string' || m.name === '') return;
  m.labels = { ...(m.labels ?? {}), [namespaceNameLabel]: m.name };
}

/** Secret stringData is write-only: its values are base64-encoded into data and never stored. */
function mergeSecretStringData(info: ResourceInfo, obj: KubeObject): void {
  if (info.resource !== 'secrets') return;
  const secret = obj as KubeObject & { data?: Record<string, string>; stringData?: Record<string, string> };
  if (secret.stringData === undefined) return;
  const data = { ...(secret.data ?? {}) };
  for (const [key, value] of Object.entries(secret.stringData)) data[key] = Buffer.from(value, 'utf8').toString('base64');
  secret.data = data;
  delete secret.stringData;
}

/**
 * A new object's status is the server's to write: Pods start Pending, workloads and Services
 * start with upstream's zero status, which its Go types always serialise (`status: {}`,
 * `status: {loadBalancer: {}}`).
 */
function resetStatusOnCreate(info: ResourceInfo, obj: KubeObject): void {
  switch (info.resource) {
    case 'pods':
      obj.status = { phase: 'Pending', qosClass: qosClassOf(obj) };
      break;
    case 'deployments':
    case 'replicasets':
      obj.status = {};
      break;
    case 'services':
      obj.status = { loadBalancer: {} };
      break;
    case 'namespaces':
      obj.status = { phase: 'Active' };
      break;
    default:
      break;
  }
}

/** Guaranteed when every container's requests equal its limits for cpu and memory; BestEffort when none set any. */
export function qosClassOf(pod: KubeObject): string {
  const spec = pod.spec as { containers?: { resources?: { limits?: Record<string, unknown>; requests?: Record<string, unknown> } }[] } | undefined;
  const containers = spec?.containers ?? [];
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const limits = c.resources?.limits ?? {};
    const requests = c.resources?.requests ?? {};
    if (Object.keys(limits).length > 0 || Object.keys(requests).length > 0) any = true;
    for (const r of ['cpu', 'memory']) {
      if (limits[r] === undefined || String(requests[r] ?? limits[r]) !== String(limits[r])) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

const serverOwnedMeta = ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation', 'namespace', 'name'] as const;

/**
 * A PUT or PATCH of the main resource: server-owned metadata comes from the old object, the
 * status too where a status subresource owns it, and generation moves when the spec changed.
 */
export function prepareForUpdate(info: ResourceInfo, next: KubeObject, old: KubeObject): void {
  const m = meta(next) as Record<string, unknown>;
  const om = (old.metadata ?? {}) as Record<string, unknown>;
  for (const f of serverOwnedMeta) {
    if (om[f] === undefined) delete m[f];
    else m[f] = om[f];
  }
  delete m.selfLink;
  delete m.managedFields;
  if (hasStatusSubresource(info) && info.resource !== 'namespaces') {
    if (old.status === undefined) delete next.status;
    else next.status = old.status;
  }
  if (info.resource === 'namespaces') next.status = old.status;
  if (generationTracked.has(info.resource) && !isDeepStrictEqual(next.spec, old.spec)) {
    m.generation = (typeof om.generation === 'number' ? om.generation : 0) + 1;
  }
  mergeSecretStringData(info, next);
  labelNamespaceWithName(info, next);
  if (info.resource === 'services') dropTypeDependentFields(next, old);
}

/** A write to the status subresource: only status changes; everything else stays as stored. */
export function prepareForStatusUpdate(info: ResourceInfo, next: KubeObject, old: KubeObject): KubeObject {
  const out: KubeObject = structuredClone(old);
  if (next.status === undefined) delete out.status;
  else out.status = next.status;
  labelNamespaceWithName(info, out);
  return out;
}
