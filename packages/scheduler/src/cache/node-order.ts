// The order nodes are walked in, as upstream's nodeTree: zones interleaved (one node of each
// zone in turn), so that a cycle that stops after enough feasible nodes has seen every zone.

import type { NodeInfo } from '../framework/node-info.js';

const zoneLabel = 'topology.kubernetes.io/zone';
const regionLabel = 'topology.kubernetes.io/region';

export function zoneOf(info: NodeInfo): string {
  const labels = info.node.metadata.labels ?? {};
  return `${labels[regionLabel] ?? ''}:\0:${labels[zoneLabel] ?? ''}`;
}

export function interleaveByZone(nodes: Iterable<NodeInfo>): NodeInfo[] {
  const zones = new Map<string, NodeInfo[]>();
  for (const n of nodes) {
    const zone = zoneOf(n);
    const list = zones.get(zone);
    if (list === undefined) zones.set(zone, [n]);
    else list.push(n);
  }
  const lists = [...zones.values()];
  const out: NodeInfo[] = [];
  for (let i = 0; out.length < lists.reduce((s, l) => s + l.length, 0); i++) {
    for (const l of lists) if (i < l.length) out.push(l[i]!);
  }
  return out;
}
