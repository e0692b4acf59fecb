// The admission chain: namespace lifecycle on creates, DefaultTolerationSeconds on pod creates,
// immutable-field rules live in validation, and Service IP / node-port allocation around
// Service writes.

import type { ResourceInfo } from '@kubets/api';
import type { Admission } from '../rest/context.js';
import type { KubeObject, ResourceStore } from '../storage/interface.js';
import { addDefaultTolerations, type DefaultTolerationSeconds } from './default-toleration-seconds.js';
import { checkNamespaceAccepts } from './namespace-lifecycle.js';
import { ClaimReleaseError, type ServiceAllocator } from './service-allocation.js';

type Logger = { warn(obj: object, msg: string): void };

export function createAdmission(namespaces: ResourceStore, services: ServiceAllocator, tolerationSeconds: DefaultTolerationSeconds, logger?: Logger): Admission {
  const isService = (info: ResourceInfo) => info.group === '' && info.resource === 'services';
  const isPod = (info: ResourceInfo) => info.group === '' && info.resource === 'pods';
  // A release runs after the write decided the answer: its failure must not change that answer.
  // What it left held, the allocation repair loop frees later.
  const release = async (what: string, svc: KubeObject, releasing: () => Promise<void>) => {
    try {
      await releasing();
    } catch (e) {
      const keys = e instanceof ClaimReleaseError ? e.keys : undefined;
      logger?.warn({ err: (e as Error).message, service: `${svc.metadata?.namespace}/${svc.metadata?.name}`, keys }, `releasing the Service's cluster IPs and node ports after ${what} failed; the allocation repair loop frees them later`);
    }
  };
  return {
    async admitCreate(info, obj) {
      await checkNamespaceAccepts(namespaces, info, obj);
      if (isService(info)) await services.allocate(info, obj);
    },
    mutateCreate(info, obj) {
      if (isPod(info)) addDefaultTolerations(obj, tolerationSeconds);
    },
    async admitUpdate(info, next, old) {
      if (isService(info)) await services.allocate(info, next, old);
    },
    async settleUpdate(info, versions, stored) {
      if (!isService(info) || versions.length === 0) return;
      await release('an update', versions[0]!, async () => services.releaseUnused(versions, await stored()));
    },
    async abortCreate(info, obj: KubeObject) {
      if (isService(info)) await release('a create that was not written', obj, () => services.releaseUnused(obj));
    },
    async afterDelete(info, obj) {
      if (isService(info)) await release('a delete', obj, () => services.releaseUnused(obj));
    },
  };
}
