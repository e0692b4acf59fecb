// Discovery, as kubectl reads it: /version, /api (APIVersions), /apis (APIGroupList), their
// aggregated form (APIGroupDiscoveryList, below) and the resource list of each group-version,
// all derived from the resource registry.

import { createHash } from 'node:crypto';
import { allResources, apiVersionOf, groupVersions, type ResourceInfo } from '@kubets/api';

export const serverVersion = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-kubets',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-11-22T00:00:00Z',
  goVersion: `node${process.versions.node}`,
  compiler: 'tsc',
  platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
};

export function apiVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

export function apiGroupList() {
  const groups = groupVersions().filter((gv) => gv.group !== '');
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups.map((gv) => ({
      name: gv.group,
      versions: [{ groupVersion: apiVersionOf(gv), version: gv.version }],
      preferredVersion: { groupVersion: apiVersionOf(gv), version: gv.version },
    })),
  };
}

export function apiGroup(group: string) {
  const gv = groupVersions().find((g) => g.group === group);
  if (gv === undefined) return undefined;
  const v = { groupVersion: apiVersionOf(gv), version: gv.version };
  return { kind: 'APIGroup', apiVersion: 'v1', name: group, versions: [v], preferredVersion: v };
}

function resourceEntries(r: ResourceInfo) {
  const main: Record<string, unknown> = {
    name: r.resource,
    singularName: r.singular,
    namespaced: r.namespaced,
    kind: r.kind,
    verbs: r.verbs,
  };
  if (r.shortNames.length > 0) main.shortNames = r.shortNames;
  if (r.categories.length > 0) main.categories = r.categories;
  const subs = r.subresources.map((s) => {
    const e: Record<string, unknown> = { name: `${r.resource}/${s.name}`, singularName: '', namespaced: r.namespaced, kind: s.kind, verbs: s.verbs };
    if (s.group !== r.group || s.version !== r.version) {
      e.group = s.group;
      e.version = s.version;
    }
    return e;
  });
  return [main, ...subs];
}

/** The APIResourceList of `/api/v1` or `/apis/<group>/<version>`, or undefined if not served. */
export function apiResourceList(group: string, version: string) {
  const rs = allResources().filter((r) => r.group === group && r.version === version);
  if (rs.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionOf({ group, version }),
    resources: rs.flatMap(resourceEntries),
  };
}

// Aggregated discovery (apidiscovery.k8s.io v2, and v2beta1 for kubectl 1.27-1.29): `/api` and
// `/apis` answer, when the Accept header asks for it, with every resource of every version in
// one APIGroupDiscoveryList, which spares kubectl a request per group-version.

export type AggregatedVersion = 'v2' | 'v2beta1';

const aggregatedGroup = 'apidiscovery.k8s.io';

/** The media type an aggregated answer is labelled with: the one the client asked for. */
export function aggregatedMediaType(version: AggregatedVersion): string {
  return `application/json;g=${aggregatedGroup};v=${version};as=APIGroupDiscoveryList`;
}

/**
 * The aggregated version the Accept header prefers, or undefined for the plain documents.
 * Alternatives are taken in order: the first we can serve wins (a protobuf aggregated
 * alternative, which we cannot, is passed over; plain JSON or any type means the plain lists).
 */
export function negotiateAggregated(accept: string | undefined): AggregatedVersion | undefined {
  for (const alt of (accept ?? '').split(',')) {
    const [type, ...rest] = alt.split(';').map((p) => p.trim().toLowerCase());
    const params = new Map(rest.map((p) => p.split('=').map((x) => x.trim()) as [string, string]));
    if (params.get('q') === '0') continue;
    if (params.get('g') === aggregatedGroup && params.get('as') === 'apigroupdiscoverylist') {
      const v = params.get('v');
      if (type === 'application/json' && (v === 'v2' || v === 'v2beta1')) return v;
      continue;
    }
    if (type === 'application/json' || type === 'application/*' || type === '*/*' || type === '') return undefined;
  }
  return undefined;
}

/** A kind as APIResourceDiscovery's responseKind gives it: group and version empty when they are the resource's own. */
function responseKind(r: ResourceInfo, kind: { group: string; version: string; kind: string }) {
  const same = kind.group === r.group && kind.version === r.version;
  return { group: same ? '' : kind.group, version: same ? '' : kind.version, kind: kind.kind };
}

function resourceDiscovery(r: ResourceInfo) {
  const d: Record<string, unknown> = {
    resource: r.resource,
    responseKind: responseKind(r, r),
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: r.verbs,
  };
  if (r.shortNames.length > 0) d.shortNames = r.shortNames;
  if (r.categories.length > 0) d.categories = r.categories;
  if (r.subresources.length > 0) {
    d.subresources = r.subresources.map((s) => ({ subresource: s.name, responseKind: responseKind(r, s), verbs: s.verbs }));
  }
  return d;
}

function groupDiscovery(group: string) {
  const versions = groupVersions()
    .filter((gv) => gv.group === group)
    .map((gv) => ({
      version: gv.version,
      resources: allResources().filter((r) => r.group === group && r.version === gv.version).map(resourceDiscovery),
      // Every version is served by this server itself, never by an aggregated one that may be stale.
      freshness: 'Current',
    }));
  // Go's zero time: the groups are not objects anyone created.
  return { metadata: { ...(group !== '' ? { name: group } : {}), creationTimestamp: null }, versions };
}

export interface AggregatedDocument {
  /** The serialised APIGroupDiscoveryList for each version of apidiscovery.k8s.io. */
  bodies: Record<AggregatedVersion, string>;
  /** Upstream's ETag: the SHA-512 of the document, in hex; the same for both versions (Vary: Accept tells them apart). */
  etag: string;
}

function aggregatedDocument(groups: string[]): AggregatedDocument {
  const items = groups.map(groupDiscovery);
  const body = (v: AggregatedVersion) => JSON.stringify({ kind: 'APIGroupDiscoveryList', apiVersion: `${aggregatedGroup}/${v}`, metadata: {}, items });
  return { bodies: { v2: body('v2'), v2beta1: body('v2beta1') }, etag: createHash('sha512').update(JSON.stringify(items)).digest('hex').toUpperCase() };
}

let legacy: AggregatedDocument | undefined;
let named: AggregatedDocument | undefined;

/** `/api` aggregated: the core group alone. Built once; the registry does not change while the server runs. */
export function aggregatedLegacy(): AggregatedDocument {
  return (legacy ??= aggregatedDocument(['']));
}

/** `/apis` aggregated: every named group, in the order of `/apis`' APIGroupList. */
export function aggregatedNamed(): AggregatedDocument {
  return (named ??= aggregatedDocument(apiGroupList().groups.map((g) => g.name)));
}
