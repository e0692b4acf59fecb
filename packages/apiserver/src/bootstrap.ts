// What exists from the start, as kube-apiserver ensures it: the namespaces default,
// kube-system, kube-public and kube-node-lease, and the `kubernetes` Service in default on
// the first address of the service range. Every API server does this; the first one wins and
// the rest find the objects there.

import { isApiError, resolveResource } from '@kubets/api';
import { initialNamespaces } from './admission/namespace-lifecycle.js';
import type { RestContext } from './rest/context.js';
import { createObject } from './rest/create.js';

const quiet = { dryRun: false, fieldValidation: 'Ignore' as const, warnings: { add: () => {} } };

async function ensure(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    if (!(isApiError(e) && e.code === 409)) throw e;
  }
}

export async function bootstrapCluster(ctx: RestContext, kubernetesServiceIP: string, securePort: number): Promise<void> {
  const namespaces = resolveResource('namespaces')!;
  for (const name of initialNamespaces) {
    await ensure(() => createObject(ctx, namespaces, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, quiet));
  }
  const services = resolveResource('services')!;
  await ensure(() =>
    createObject(ctx, services, 'default', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
      spec: { clusterIP: kubernetesServiceIP, ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: securePort }] },
    }, quiet),
  );
}
