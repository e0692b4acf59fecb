// Where the userspace data path listens, worked out from a snapshot (pure): for each TCP Service
// port, its cluster IPs (internal traffic), its external and load-balancer IPs and its node port
// on each of this node's addresses (external traffic). Two Services claiming one address and port
// (an external IP that is another's cluster IP) go to the first by key, and the clash is reported.
import type { ProxySnapshot } from '../model/snapshot.js';

export type TrafficScope = 'internal' | 'external';

export interface PlannedListener {
  address: string;
  port: number;
  /** The Service port key ("ns/name:port") whose endpoints take the connections. */
  servicePort: string;
  scope: TrafficScope;
  /** A node port: bound on this node's own address, never shared with another proxy. */
  nodePort: boolean;
}

export interface ListenPlan {
  /** By "address:port". */
  listeners: Map<string, PlannedListener>;
  /** Service ports this data path cannot serve (UDP, SCTP), by key, with the reason. */
  unsupported: Map<string, string>;
  /** Address clashes: "address:port" claimed by more than one Service port. */
  clashes: string[];
}

export const listenerKey = (address: string, port: number) => `${address}:${port}`;

export function planListeners(snapshot: ProxySnapshot, nodeAddresses: readonly string[]): ListenPlan {
  const plan: ListenPlan = { listeners: new Map(), unsupported: new Map(), clashes: [] };
  const add = (l: PlannedListener) => {
    const key = listenerKey(l.address, l.port);
    if (plan.listeners.has(key)) plan.clashes.push(`${key} (${plan.listeners.get(key)!.servicePort} and ${l.servicePort})`);
    else plan.listeners.set(key, l);
  };
  const keys = [...snapshot.services.keys()].sort();
  for (const key of keys) {
    const svc = snapshot.services.get(key)!;
    if (svc.protocol !== 'TCP') {
      plan.unsupported.set(key, `${svc.protocol} is not forwarded by the userspace data path (TCP only)`);
      continue;
    }
    const listener = (address: string, port: number, scope: TrafficScope, nodePort = false) => add({ address, port, servicePort: key, scope, nodePort });
    for (const ip of svc.clusterIPs) listener(ip, svc.port, 'internal');
    for (const ip of [...svc.externalIPs, ...svc.loadBalancerIPs]) listener(ip, svc.port, 'external');
    if (svc.nodePort > 0) for (const ip of nodeAddresses) listener(ip, svc.nodePort, 'external', true);
  }
  return plan;
}
