// Turns a resource URL into what it names, as kube-apiserver's RequestInfo does:
//   /api/v1/pods                                     all pods (every namespace)
//   /api/v1/namespaces/default/pods[/web[/status]]  namespaced collection, item, subresource
//   /api/v1/nodes[/n1[/status]]                      cluster-scoped
//   /api/v1/namespaces/default[/status|/finalize]    the Namespace object itself
//   /apis/apps/v1/namespaces/default/deployments/web/scale
//   /api/v1/watch/namespaces/default/configmaps[/foo] the deprecated watch paths, still served:
//                                                    a watch of the collection (or of one object)

import { badRequest, findResource, findSubresource, pathNotFound, type ResourceInfo, type SubresourceInfo } from '@kubets/api';

export interface ResourceRequest {
  info: ResourceInfo;
  /** The request's namespace; undefined for cluster-scoped kinds and all-namespace lists. */
  namespace: string | undefined;
  name: string | undefined;
  subresource: SubresourceInfo | undefined;
  /**
   * The path began with /watch/ (kube-apiserver's deprecated WATCH and WATCHLIST routes): a GET
   * that watches whatever ?watch says, and with a name watches that one object.
   */
  watchPath: boolean;
}

/** Upstream answers a path that names no resource with its generic 404, not one about a name. */
function unknownPath(): never {
  throw pathNotFound();
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest(`the request path segment ${JSON.stringify(segment)} is not valid percent-encoding`);
  }
}

export function parseResourcePath(group: string, version: string, rest: string): ResourceRequest {
  // `rest` is still percent-encoded: split first, then decode each segment once, so that an
  // encoded slash stays inside its segment (and names nothing) as in kube-apiserver.
  const segments = rest.split('/').filter((s) => s !== '').map(decodeSegment);
  if (segments[0] !== 'watch') return { ...parseSegments(group, version, segments), watchPath: false };
  // Upstream's watch routes are the collection and the object, never a subresource.
  const r = parseSegments(group, version, segments.slice(1));
  if (r.subresource !== undefined) unknownPath();
  return { ...r, watchPath: true };
}

function parseSegments(group: string, version: string, segments: string[]): Omit<ResourceRequest, 'watchPath'> {
  const lookup = (resource: string) => findResource(group, version, resource) ?? unknownPath();
  const withSub = (info: ResourceInfo, sub: string | undefined) => {
    if (sub === undefined) return undefined;
    return findSubresource(info, sub) ?? unknownPath();
  };

  if (segments[0] === 'namespaces' && segments.length >= 3) {
    const ns = segments[1]!;
    // /api/v1/namespaces/<ns>/status and /finalize are the Namespace's own subresources.
    const namespaces = group === '' ? lookup('namespaces') : undefined;
    if (namespaces !== undefined && segments.length === 3 && findSubresource(namespaces, segments[2]!) !== undefined) {
      return { info: namespaces, namespace: undefined, name: ns, subresource: withSub(namespaces, segments[2]) };
    }
    const info = lookup(segments[2]!);
    if (!info.namespaced || segments.length > 5) unknownPath();
    return { info, namespace: ns, name: segments[3], subresource: withSub(info, segments[4]) };
  }
  if (segments.length === 0 || segments.length > 3) unknownPath();
  const info = lookup(segments[0]!);
  if (info.namespaced && segments.length > 1) unknownPath();
  return { info, namespace: undefined, name: segments[1], subresource: withSub(info, segments[2]) };
}
