// What a pod requires of a node's labels: its nodeSelector and its required node affinity, both
// (upstream's nodeaffinity.GetRequiredNodeAffinity). NodeAffinity filters by it; PodTopologySpread
// counts only the nodes that pass it (nodeAffinityPolicy Honor).

import type { Node, Pod } from '../framework/types.js';
import { compileNodeSelector } from './node-selector.js';

export type NodeMatcher = (node: Node) => boolean;

const matchesLabels = (wanted: Record<string, string>): NodeMatcher => (node) => {
  const labels = node.metadata.labels ?? {};
  return Object.entries(wanted).every(([key, value]) => Object.hasOwn(labels, key) && labels[key] === value);
};

/** Compiles the pod's nodeSelector and required node affinity once, to test many nodes. */
export function requiredNodeAffinityOf(pod: Pod): NodeMatcher {
  const selector = pod.spec.nodeSelector;
  const required = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  const bySelector = selector !== undefined && Object.keys(selector).length > 0 ? matchesLabels(selector) : undefined;
  const byAffinity = required !== undefined ? compileNodeSelector(required.nodeSelectorTerms ?? []).matches : undefined;
  return (node) => (bySelector?.(node) ?? true) && (byAffinity?.(node) ?? true);
}

/** Compiled once per pod object: callers ask for each of thousands of nodes. */
const compiled = new WeakMap<Pod, NodeMatcher>();

/** Does `node` satisfy the pod's nodeSelector and required node affinity? */
export function matchesNodeSelectorAndAffinity(pod: Pod, node: Node): boolean {
  let matcher = compiled.get(pod);
  if (matcher === undefined) {
    matcher = requiredNodeAffinityOf(pod);
    compiled.set(pod, matcher);
  }
  return matcher(node);
}
