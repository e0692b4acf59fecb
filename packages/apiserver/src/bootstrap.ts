// What exists from the start, as kube-apiserver ensures it: the namespaces default,
// kube-system, kube-public and kube-node-lease, and the `kubernetes` Service in default on
// the first address of the service range. Every API server does this; the first one wins and
// the rest find the objects there.

import { isApiError, resolveResource, type ResourceInfo } from '@kubets/api';
import type { KubeObject } from './storage/interface.js';
import { initialNamespaces } from './admission/namespace-lifecycle.js';
import type { RestContext } from './rest/context.js';
import { createObject } from './rest/create.js';

const quiet = { dryRun: false, fieldValidation: 'Ignore' as const, warnings: { add: () => {} } };

/** Creates the object unless it exists; losing a race to another API server is fine. */
async function ensure(ctx: RestContext, info: ResourceInfo, namespace: string | undefined, obj: KubeObject): Promise<void> {
  const name = obj.metadata!.name!;
  const exists = () => ctx.store(info).get(namespace, name).then(() => true, (e) => {
    if (isApiError(e) && e.code === 404) return false;
    throw e;
  });
  if (await exists()) return;
  try {
    await createObject(ctx, info, namespace, obj, quiet);
  } catch (e) {
    if (!(await exists())) throw e;
  }
}

export async function bootstrapCluster(ctx: RestContext, kubernetesServiceIP: string, securePort: number): Promise<void> {
  const namespaces = resolveResource('namespaces')!;
  for (const name of initialNamespaces) {
    await ensure(ctx, namespaces, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  const services = resolveResource('services')!;
  await ensure(ctx, services, 'default', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { clusterIP: kubernetesServiceIP, ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: securePort }] },
  });
}
