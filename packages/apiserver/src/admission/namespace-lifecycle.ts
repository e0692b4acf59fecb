// The NamespaceLifecycle admission plugin: nothing is created in a namespace that does not
// exist or is being terminated.

import { forbidden, groupResourceOf, isApiError, notFound, resolveResource, type ResourceInfo } from '@kubets/api';
import type { KubeObject, ResourceStore } from '../storage/interface.js';

export const initialNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export async function checkNamespaceAccepts(namespaces: ResourceStore, info: ResourceInfo, namespace: string | undefined): Promise<void> {
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
    throw forbidden(groupResourceOf(info), '', `unable to create new content in namespace ${namespace} because it is being terminated`);
  }
}

export const namespacesInfo = () => resolveResource('namespaces')!;
