// Questions about the resource table: find a resource by path segments, by kind, or by any of
// the names kubectl accepts; list group-versions; build etcd keys.

import type { GroupKind, GroupResource } from '../errors/status.js';
import { resources } from './resources.js';
import type { ResourceInfo, SubresourceInfo } from './types.js';

/** `v1` for the core group, `apps/v1` otherwise. */
export function apiVersionOf(info: { group: string; version: string }): string {
  return info.group === '' ? info.version : `${info.group}/${info.version}`;
}

/** Splits `apps/v1` into its group and version (`v1` is the core group). */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export function groupResourceOf(info: ResourceInfo): GroupResource {
  return { group: info.group, resource: info.resource };
}

export function groupKindOf(info: ResourceInfo): GroupKind {
  return { group: info.group, kind: info.kind };
}

const byPath = new Map(resources.map((r) => [`${r.group}/${r.version}/${r.resource}`, r]));
const byKind = new Map(resources.map((r) => [`${apiVersionOf(r)}/${r.kind}`, r]));

export function allResources(): readonly ResourceInfo[] {
  return resources;
}

/** The resource at `/api/v1/<resource>` (group '') or `/apis/<group>/<version>/<resource>`. */
export function findResource(group: string, version: string, resource: string): ResourceInfo | undefined {
  return byPath.get(`${group}/${version}/${resource}`);
}

export function findByKind(apiVersion: string, kind: string): ResourceInfo | undefined {
  return byKind.get(`${apiVersion}/${kind}`);
}

/**
 * Resolves a name as kubectl does: plural, singular, short name or kind (any case), optionally
 * qualified with its group (`deployments.apps`, `deploy.apps`).
 */
export function resolveResource(name: string): ResourceInfo | undefined {
  const lower = name.toLowerCase();
  const dot = lower.indexOf('.');
  const bare = dot < 0 ? lower : lower.slice(0, dot);
  const group = dot < 0 ? undefined : lower.slice(dot + 1);
  return resources.find(
    (r) =>
      (group === undefined || r.group === group) &&
      (r.resource === bare || r.singular === bare || r.kind.toLowerCase() === bare || r.shortNames.includes(bare)),
  );
}

/** The update rules of the kind stored under `resource` (any group): ObjectMeta's and the kind's. */
export function validateUpdate(resource: string, next: Record<string, any>, old: Record<string, any>) {
  const info = resources.find((r) => r.resource === resource);
  return info === undefined ? [] : info.validateUpdate(next, old);
}

export function findSubresource(info: ResourceInfo, name: string): SubresourceInfo | undefined {
  return info.subresources.find((s) => s.name === name);
}

/** Every group and version served, core first, in a stable order. */
export function groupVersions(): { group: string; version: string }[] {
  const seen = new Map<string, { group: string; version: string }>();
  for (const r of resources) seen.set(apiVersionOf(r), { group: r.group, version: r.version });
  return [...seen.values()];
}

/** `/registry/<resource>/` and, for namespaced kinds, `/registry/<resource>/<namespace>/`. */
export function storagePrefix(info: ResourceInfo, namespace?: string): string {
  if (!info.namespaced || namespace === undefined || namespace === '') return `/registry/${info.resource}/`;
  return `/registry/${info.resource}/${namespace}/`;
}

/** `/registry/<resource>/<namespace>/<name>`, or `/registry/<resource>/<name>` for cluster-scoped kinds. */
export function storageKey(info: ResourceInfo, namespace: string | undefined, name: string): string {
  return `${storagePrefix(info, info.namespaced ? namespace : undefined)}${name}`;
}
