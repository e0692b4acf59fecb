// Addressing: which resource a call is about (from the @kubets/api registry, by any name
// kubectl accepts, or spelled out for a resource the registry does not know) and the REST
// path that goes with a namespace, a name and a subresource.

import { resolveResource, type ResourceInfo } from '@kubets/api';

/** What a path needs to know about a resource. Every registry ResourceInfo is one. */
export interface ResourceTarget {
  group: string;
  version: string;
  /** Plural, lower case: `deployments`. */
  resource: string;
  namespaced: boolean;
  kind?: string;
}

/** A registry entry, a target spelled out, or a name (`pods`, `deploy`, `leases.coordination.k8s.io`). */
export type ResourceRef = string | ResourceTarget | ResourceInfo;

export function resolveRef(ref: ResourceRef): ResourceTarget {
  if (typeof ref !== 'string') return ref;
  const info = resolveResource(ref);
  if (info === undefined) throw new Error(`unknown resource ${JSON.stringify(ref)}: not in the @kubets/api registry`);
  return info;
}

/** `/api/v1` or `/apis/<group>/<version>`. */
export function groupVersionPath(t: { group: string; version: string }): string {
  return t.group === '' ? `/api/${t.version}` : `/apis/${t.group}/${t.version}`;
}

/**
 * The REST path. A namespaced resource without a namespace addresses all namespaces (lists and
 * watches only); a cluster-scoped resource ignores the namespace, as kubectl does.
 */
export function resourcePath(t: ResourceTarget, namespace: string | undefined, name?: string, subresource?: string): string {
  let path = groupVersionPath(t);
  const ns = t.namespaced && namespace !== undefined && namespace !== '' ? namespace : undefined;
  if (t.namespaced && ns === undefined && name !== undefined) {
    throw new Error(`${t.resource} ${JSON.stringify(name)}: a namespace is required for a namespaced resource`);
  }
  if (ns !== undefined) path += `/namespaces/${encodeURIComponent(ns)}`;
  path += `/${t.resource}`;
  if (name !== undefined) {
    if (name === '') throw new Error(`${t.resource}: the name may not be empty`);
    path += `/${encodeURIComponent(name)}`;
  }
  if (subresource !== undefined) path += `/${subresource}`;
  return path;
}
