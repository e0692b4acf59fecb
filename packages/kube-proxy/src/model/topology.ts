// Which endpoints each kind of traffic to a Service port may go to, as upstream's
// CategorizeEndpoints: ready endpoints; when none is ready, those still serving while they
// terminate (so a rolling update never leaves a gap); and for a traffic policy of Local, only
// this node's, by the same rule. Cluster IP traffic follows internalTrafficPolicy; node port,
// external IP and load-balancer traffic follows externalTrafficPolicy.
import type { EndpointInfo, ServicePortInfo } from './types.js';

export interface RoutedEndpoints {
  /** For connections to the cluster IP. */
  internal: EndpointInfo[];
  /** For connections to a node port, an external IP or a load-balancer IP. */
  external: EndpointInfo[];
  /** Some endpoint anywhere can serve (upstream's hasAnyEndpoints). */
  hasAny: boolean;
}

/** Ready ones if any, else the serving terminating ones. */
export function usableEndpoints(endpoints: readonly EndpointInfo[]): EndpointInfo[] {
  const ready = endpoints.filter((e) => e.ready);
  return ready.length > 0 ? ready : endpoints.filter((e) => e.serving && e.terminating);
}

export function routeEndpoints(svc: ServicePortInfo, endpoints: readonly EndpointInfo[]): RoutedEndpoints {
  const cluster = usableEndpoints(endpoints);
  const local = svc.internalPolicyLocal || svc.externalPolicyLocal ? usableEndpoints(endpoints.filter((e) => e.isLocal)) : [];
  return {
    internal: svc.internalPolicyLocal ? local : cluster,
    external: svc.externalPolicyLocal ? local : cluster,
    hasAny: cluster.length > 0,
  };
}
