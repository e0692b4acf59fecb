// The benchmark's placement checks, from the pods and nodes as the API has them at the end: no
// node holds more than it can (cpu, memory, pod count), and each owner's pods are spread across
// zones within one pod of each other (what the default PodTopologySpread asks, when nodes have
// room everywhere).

import { fromResourceList, podRequests } from '../framework/resources.js';
import type { Node, Pod } from '../framework/types.js';

export interface PlacementReport {
  overcommittedNodes: number;
  /** Per owner, the largest difference between its pod counts in two zones. */
  maxZoneSkew: number;
  zones: number;
}

export function checkPlacement(nodes: Node[], pods: Pod[]): PlacementReport {
  const zoneOf = new Map(nodes.map((n) => [n.metadata.name, n.metadata.labels?.['topology.kubernetes.io/zone'] ?? '']));
  const used = new Map<string, { cpu: number; memory: number; pods: number }>();
  const perOwnerZone = new Map<string, Map<string, number>>();
  for (const p of pods) {
    const node = p.spec.nodeName;
    if (!node) continue;
    const r = podRequests(p);
    const u = used.get(node) ?? { cpu: 0, memory: 0, pods: 0 };
    used.set(node, { cpu: u.cpu + r.milliCPU, memory: u.memory + r.memory, pods: u.pods + 1 });
    const owner = p.metadata.ownerReferences?.find((o) => o.controller)?.uid;
    if (owner === undefined) continue;
    const zones = perOwnerZone.get(owner) ?? new Map<string, number>();
    const zone = zoneOf.get(node) ?? '';
    zones.set(zone, (zones.get(zone) ?? 0) + 1);
    perOwnerZone.set(owner, zones);
  }
  let overcommittedNodes = 0;
  for (const n of nodes) {
    const a = fromResourceList(n.status?.allocatable);
    const u = used.get(n.metadata.name);
    if (u !== undefined && (u.cpu > a.milliCPU || u.memory > a.memory || u.pods > a.allowedPodNumber)) overcommittedNodes++;
  }
  const allZones = [...new Set(zoneOf.values())];
  let maxZoneSkew = 0;
  for (const zones of perOwnerZone.values()) {
    const counts = allZones.map((z) => zones.get(z) ?? 0);
    maxZoneSkew = Math.max(maxZoneSkew, Math.max(...counts) - Math.min(...counts));
  }
  return { overcommittedNodes, maxZoneSkew, zones: allZones.length };
}
