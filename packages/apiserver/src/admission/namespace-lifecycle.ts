// The NamespaceLifecycle admission plugin: nothing is created in a namespace that does not
// exist or is being terminated.

import { ApiError, forbidden, groupResourceOf, isApiError, notFound, resolveResource, type ResourceInfo } from '@kubets/api';
import type { KubeObject, ResourceStore } from '../storage/interface.js';

export const initialNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** The cause type (upstream's v1.NamespaceTerminatingCause) by which clients recognise the refusal. */
export const namespaceTerminatingCause = 'NamespaceTerminating';

/**
 * Upstream's refusal: Forbidden naming the object, with a cause of type NamespaceTerminating on
 * metadata.namespace (a StatusCause's type is sent as `reason`, as metav1.StatusCause encodes it).
 */
export function namespaceTerminating(info: ResourceInfo, name: string, namespace: string): ApiError {
  const refusal = forbidden(groupResourceOf(info), name, `unable to create new content in namespace ${namespace} because it is being terminated`);
  const details = refusal.status.details ?? {};
  details.causes = [{ reason: namespaceTerminatingCause, message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }];
  refusal.status.details = details;
  return refusal;
}

export async function checkNamespaceAccepts(namespaces: ResourceStore, info: ResourceInfo, obj: KubeObject): Promise<void> {
  const namespace = obj.metadata?.namespace;
  if (!info.namespaced || namespace === undefined) return;
  let ns: KubeObject;
  try {
    // The watch cache answers almost always; a namespace created a moment ago may need etcd.
    ns = await namespaces.get(undefined, namespace, { resourceVersion: '0' }).catch(() => namespaces.get(undefined, namespace));
  } catch (e) {
    if (isApiError(e) && e.code === 404) throw notFound({ group: '', resource: 'namespaces' }, namespace);
    throw e;
  }
  const phase = (ns.status as { phase?: string } | undefined)?.phase;
  if (ns.metadata?.deletionTimestamp !== undefined || phase === 'Terminating') {
    throw namespaceTerminating(info, obj.metadata?.name ?? '', namespace);
  }
}

export const namespacesInfo = () => resolveResource('namespaces')!;
