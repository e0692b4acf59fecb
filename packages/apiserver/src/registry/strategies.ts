// The index from a resource to its strategy: the one list to extend when a kind is added. Kinds
// not listed (the reviews, bindings) get the default strategy.

import type { ResourceInfo } from '@kubets/api';
import { defaultStrategy } from './default-strategy.js';
import type { KindStrategy } from './strategy-types.js';
import { deploymentStrategy } from './apps/deployments/strategy.js';
import { replicaSetStrategy } from './apps/replicasets/strategy.js';
import { jobStrategy } from './batch/jobs/strategy.js';
import { leaseStrategy } from './coordination/leases/strategy.js';
import { configMapStrategy } from './core/configmaps/strategy.js';
import { endpointsStrategy } from './core/endpoints/strategy.js';
import { eventStrategy } from './core/events/strategy.js';
import { namespaceStrategy } from './core/namespaces/strategy.js';
import { nodeStrategy } from './core/nodes/strategy.js';
import { podStrategy } from './core/pods/strategy.js';
import { secretStrategy } from './core/secrets/strategy.js';
import { serviceAccountStrategy } from './core/serviceaccounts/strategy.js';
import { serviceStrategy } from './core/services/strategy.js';
import { endpointSliceStrategy } from './discovery/endpointslices/strategy.js';

/** Keyed by `<group>/<resource>` (`/pods` for the core group). */
const strategies = new Map<string, KindStrategy>([
  ['/namespaces', namespaceStrategy],
  ['/nodes', nodeStrategy],
  ['/pods', podStrategy],
  ['/services', serviceStrategy],
  ['/endpoints', endpointsStrategy],
  ['/configmaps', configMapStrategy],
  ['/secrets', secretStrategy],
  ['/events', eventStrategy],
  ['/serviceaccounts', serviceAccountStrategy],
  ['apps/deployments', deploymentStrategy],
  ['apps/replicasets', replicaSetStrategy],
  ['batch/jobs', jobStrategy],
  ['discovery.k8s.io/endpointslices', endpointSliceStrategy],
  ['coordination.k8s.io/leases', leaseStrategy],
]);

export function strategyFor(info: Pick<ResourceInfo, 'group' | 'resource'>): KindStrategy {
  return strategies.get(`${info.group}/${info.resource}`) ?? defaultStrategy;
}
