// A Service is a union discriminated by `type`: some fields only make sense for some types.
// When an update changes the type, kube-apiserver's Service strategy (dropTypeDependentFields)
// clears the fields the new type no longer uses, so that `kubectl patch -p
// '{"spec":{"type":"ClusterIP"}}'` works on a NodePort Service. It clears a field only if the
// update left it as it was: a value the client changed itself is theirs, and validation judges
// it. The allocator then releases the addresses and ports that the stored Service stops using.

import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../../storage/interface.js';

interface Port {
  nodePort?: number;
}

interface Spec {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
  ipFamilies?: string[];
  ipFamilyPolicy?: string;
  externalTrafficPolicy?: string;
  ports?: Port[];
}

const typeOf = (spec: Spec) => spec.type ?? 'ClusterIP';
const needsClusterIP = (spec: Spec) => typeOf(spec) !== 'ExternalName';
const needsNodePorts = (spec: Spec) => typeOf(spec) === 'NodePort' || typeOf(spec) === 'LoadBalancer';
const needsExternalTrafficPolicy = needsNodePorts;

function nodePortsOf(spec: Spec): Set<number> {
  return new Set((spec.ports ?? []).map((p) => p.nodePort ?? 0).filter((n) => n !== 0));
}

/** No node port the old version did not have: ports may go or move, but none may be new. */
function noNewNodePorts(next: Spec, old: Spec): boolean {
  const before = nodePortsOf(old);
  return [...nodePortsOf(next)].every((n) => before.has(n));
}

/** Clears, in `next`, what its type no longer uses and the client did not change itself. */
export function dropTypeDependentFields(next: KubeObject, old: KubeObject): void {
  const spec = (next.spec ?? {}) as Spec;
  const was = (old.spec ?? {}) as Spec;
  if (needsClusterIP(was) && !needsClusterIP(spec)) {
    // "None" counts as a value too: a headless Service becoming ExternalName loses it.
    if (spec.clusterIP === was.clusterIP && isDeepStrictEqual(spec.clusterIPs, was.clusterIPs)) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (isDeepStrictEqual(spec.ipFamilies, was.ipFamilies)) delete spec.ipFamilies;
    if (spec.ipFamilyPolicy === was.ipFamilyPolicy) delete spec.ipFamilyPolicy;
  }
  if (needsNodePorts(was) && !needsNodePorts(spec) && noNewNodePorts(spec, was)) {
    for (const p of spec.ports ?? []) delete p.nodePort;
  }
  if (needsExternalTrafficPolicy(was) && !needsExternalTrafficPolicy(spec) && spec.externalTrafficPolicy === was.externalTrafficPolicy) {
    delete spec.externalTrafficPolicy;
  }
  // A load balancer's address belongs to the LoadBalancer type alone.
  const status = next.status as { loadBalancer?: { ingress?: unknown[] } } | undefined;
  if (typeOf(spec) !== 'LoadBalancer' && status?.loadBalancer?.ingress !== undefined) status.loadBalancer = {};
}
