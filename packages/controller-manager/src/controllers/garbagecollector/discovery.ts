// What the API server serves, read from its discovery documents as client-go's
// ServerPreferredResources does: /api and /apis name the group-versions (the preferred one per
// group), each group-version's APIResourceList names its resources, scope, kind and verbs. The
// garbage collector watches every resource that can be listed, watched and deleted; the
// namespace controller deletes every namespaced one. A group-version whose list fails is left
// out and reported, as upstream's ErrGroupDiscoveryFailed, so one broken group stops nothing.

import type { KubeClient, ResourceTarget } from '@kubets/client';

export interface DiscoveredResource extends ResourceTarget {
  kind: string;
  verbs: string[];
}

interface APIResource {
  name: string;
  namespaced: boolean;
  kind: string;
  verbs?: string[];
  group?: string;
  version?: string;
}

interface APIResourceList {
  groupVersion: string;
  resources?: APIResource[];
}

/** Some group-versions could not be listed; the resources of the others were found. */
export class GroupDiscoveryFailedError extends Error {
  constructor(readonly groups: Map<string, string>) {
    const failures = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([gv, err]) => `${gv}: ${err}`);
    super(`unable to retrieve the complete list of server APIs: ${failures.join(', ')}`);
    this.name = 'GroupDiscoveryFailedError';
  }
}

export interface Discovery {
  resources: DiscoveredResource[];
  /** Group-versions whose resource list failed; undefined when all answered. */
  failure?: GroupDiscoveryFailedError;
  /** Group-versions the server named in a form that does not parse. */
  parseErrors: string[];
}

/** Reads the preferred version of every group and its resources (subresources left out). */
export async function discoverPreferredResources(client: KubeClient, signal?: AbortSignal): Promise<Discovery> {
  const opts = signal !== undefined ? { signal } : {};
  const core = await client.request<{ versions?: string[] }>({ method: 'GET', path: '/api', ...opts });
  const groups = await client.request<{ groups?: { preferredVersion?: { groupVersion: string }; versions?: { groupVersion: string }[] }[] }>({ method: 'GET', path: '/apis', ...opts });
  const groupVersions = [
    ...(core.versions ?? []).slice(0, 1),
    ...(groups.groups ?? []).map((g) => g.preferredVersion?.groupVersion ?? g.versions?.[0]?.groupVersion).filter((gv): gv is string => gv !== undefined),
  ];
  const resources: DiscoveredResource[] = [];
  const failed = new Map<string, string>();
  const parseErrors: string[] = [];
  await Promise.all(groupVersions.map(async (gv) => {
    const parsed = parseGroupVersion(gv);
    if (parsed === undefined) {
      parseErrors.push(`unexpected GroupVersion string: ${gv}`);
      return;
    }
    try {
      const list = await client.request<APIResourceList>({ method: 'GET', path: gv.includes('/') ? `/apis/${gv}` : `/api/${gv}`, ...opts });
      resources.push(...resourcesOf(list, parsed));
    } catch (e) {
      failed.set(gv, e instanceof Error ? e.message : String(e));
    }
  }));
  resources.sort((a, b) => (targetName(a) < targetName(b) ? -1 : 1));
  return { resources, parseErrors, ...(failed.size > 0 ? { failure: new GroupDiscoveryFailedError(failed) } : {}) };
}

function resourcesOf(list: APIResourceList, gv: { group: string; version: string }): DiscoveredResource[] {
  return (list.resources ?? [])
    .filter((r) => !r.name.includes('/'))
    .map((r) => ({ group: r.group ?? gv.group, version: r.version ?? gv.version, resource: r.name, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs ?? [] }));
}

/** `v1` is the core group; `apps/v1` a named one; anything with more slashes does not parse (upstream's ParseGroupVersion). */
export function parseGroupVersion(gv: string): { group: string; version: string } | undefined {
  if (gv === '' || gv === '/') return { group: '', version: '' };
  const parts = gv.split('/');
  if (parts.length === 1) return { group: '', version: parts[0]! };
  if (parts.length === 2) return { group: parts[0]!, version: parts[1]! };
  return undefined;
}

export function apiVersionOf(r: { group: string; version: string }): string {
  return r.group === '' ? r.version : `${r.group}/${r.version}`;
}

/** `pods`, `deployments.apps`: how upstream names a resource in logs. */
export function targetName(r: { group: string; resource: string }): string {
  return r.group === '' ? r.resource : `${r.resource}.${r.group}`;
}

export function supportsVerbs(r: DiscoveredResource, verbs: string[]): boolean {
  return verbs.every((v) => r.verbs.includes(v));
}

/** Maps an owner reference's apiVersion and kind to the resource to call (upstream's RESTMapper). */
export class RestMapper {
  private readonly byKind = new Map<string, DiscoveredResource>();

  constructor(resources: DiscoveredResource[]) {
    for (const r of resources) this.byKind.set(`${apiVersionOf(r)}|${r.kind}`, r);
  }

  resourceFor(apiVersion: string, kind: string): DiscoveredResource | undefined {
    return this.byKind.get(`${apiVersion}|${kind}`);
  }
}
