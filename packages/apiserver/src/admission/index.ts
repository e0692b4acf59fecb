// The admission chain: namespace lifecycle on creates, DefaultTolerationSeconds on pod creates,
// immutable-field rules live in validation, and Service IP / node-port allocation around
// Service writes.

import type { ResourceInfo } from '@kubets/api';
import type { Admission } from '../rest/context.js';
import type { KubeObject, ResourceStore } from '../storage/interface.js';
import { addDefaultTolerations, type DefaultTolerationSeconds } from './default-toleration-seconds.js';
import { checkNamespaceAccepts } from './namespace-lifecycle.js';
import type { ServiceAllocator } from './service-allocation.js';

export function createAdmission(namespaces: ResourceStore, services: ServiceAllocator, tolerationSeconds: DefaultTolerationSeconds): Admission {
  const isService = (info: ResourceInfo) => info.group === '' && info.resource === 'services';
  const isPod = (info: ResourceInfo) => info.group === '' && info.resource === 'pods';
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
      const keep = await stored();
      for (const v of versions) await services.releaseUnused(v, keep);
    },
    async abortCreate(info, obj: KubeObject) {
      if (isService(info)) await services.releaseUnused(obj);
    },
    async afterDelete(info, obj) {
      if (isService(info)) await services.releaseUnused(obj);
    },
  };
}
