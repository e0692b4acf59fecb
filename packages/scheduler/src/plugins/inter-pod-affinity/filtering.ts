// InterPodAffinity's PreFilter and Filter, as upstream's interpodaffinity/filtering.go.
// PreFilter walks the existing pods once and counts, per topology domain, the pods that the
// incoming pod's required terms select and the existing pods whose required anti-affinity
// selects the incoming pod; Filter then reads a node's domains from its labels.

import type { NodeInfo } from '../../framework/node-info.js';
import { type CycleState, type Pod, type Snapshot, type Status, skip, success, unresolvable, unschedulable } from '../../framework/types.js';
import { type AffinityTerm, type PodAffinityTerms, affinityTermsOf, namespaceLabelsReader, namespaceOf, nodesWithAffinityPods, parseErrors, termMatches } from '../affinity-term.js';
import type { Labels } from '../label-selector.js';
import { TopologyCounts } from './topology-counts.js';

export const errReasonAffinityRulesNotMatch = "node(s) didn't match pod affinity rules";
export const errReasonAntiAffinityRulesNotMatch = "node(s) didn't match pod anti-affinity rules";
export const errReasonExistingAntiAffinityRulesNotMatch = "node(s) didn't satisfy existing pods anti-affinity rules";

const preFilterStateKey = 'PreFilterInterPodAffinity';

interface PreFilterState {
  readonly terms: PodAffinityTerms;
  /** Whether the incoming pod itself matches all its required affinity terms. */
  readonly matchesOwnAffinity: boolean;
  /** Existing pods whose required anti-affinity terms select the incoming pod. */
  readonly existingAntiAffinityCounts: TopologyCounts;
  /** Existing pods that match all the incoming pod's required affinity terms (counted per term). */
  readonly affinityCounts: TopologyCounts;
  /** Existing pods that a required anti-affinity term of the incoming pod selects (counted per term). */
  readonly antiAffinityCounts: TopologyCounts;
}

export function preFilter(state: CycleState, pod: Pod, snapshot: Snapshot): Status {
  const terms = affinityTermsOf(pod);
  const errors = parseErrors(terms);
  if (errors !== undefined) return unresolvable(`parsing pod: ${errors}`);
  const namespaceLabels = namespaceLabelsReader(snapshot);
  // The incoming pod's terms see each existing pod with its own namespace's labels.
  const selects = (term: AffinityTerm, existing: Pod) => termMatches(term, existing, namespaceLabels(namespaceOf(existing)));
  const existingAntiAffinityCounts = countExistingAntiAffinity(pod, namespaceLabels(namespaceOf(pod)), snapshot);
  if (existingAntiAffinityCounts.isEmpty() && terms.requiredAffinity.length === 0 && terms.requiredAntiAffinity.length === 0) return skip;
  state.write(preFilterStateKey, {
    terms,
    matchesOwnAffinity: matchesAll(terms.requiredAffinity, pod, selects),
    existingAntiAffinityCounts,
    ...countIncomingTerms(terms, snapshot, selects),
  } satisfies PreFilterState);
  return success;
}

export function filter(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): Status {
  const s = state.read<PreFilterState>(preFilterStateKey);
  if (s === undefined) return { code: 'Error', reasons: [`reading "${preFilterStateKey}" from cycleState: not found`] };
  if (!satisfiesPodAffinity(s, nodeInfo)) return unresolvable(errReasonAffinityRulesNotMatch);
  if (!satisfiesPodAntiAffinity(s, nodeInfo)) return unschedulable(errReasonAntiAffinityRulesNotMatch);
  if (s.existingAntiAffinityCounts.anyFor(nodeInfo.node)) return unschedulable(errReasonExistingAntiAffinityRulesNotMatch);
  return success;
}

/** Only nodes with pods that have required anti-affinity terms can have terms against the incoming pod. */
function countExistingAntiAffinity(pod: Pod, podNamespaceLabels: Labels | undefined, snapshot: Snapshot): TopologyCounts {
  const counts = new TopologyCounts();
  for (const nodeInfo of nodesWithAffinityPods(snapshot)) {
    for (const key of nodeInfo.podsWithRequiredAntiAffinity) {
      const existing = nodeInfo.pods.get(key)?.pod;
      if (existing === undefined) continue;
      for (const term of affinityTermsOf(existing).requiredAntiAffinity) {
        if (termMatches(term, pod, podNamespaceLabels)) counts.add(nodeInfo.node, term.topologyKey, 1);
      }
    }
  }
  return counts;
}

type Selects = (term: AffinityTerm, pod: Pod) => boolean;

function countIncomingTerms(terms: PodAffinityTerms, snapshot: Snapshot, selects: Selects) {
  const affinityCounts = new TopologyCounts();
  const antiAffinityCounts = new TopologyCounts();
  if (terms.requiredAffinity.length > 0 || terms.requiredAntiAffinity.length > 0) {
    for (const nodeInfo of snapshot.nodes) {
      for (const { pod: existing } of nodeInfo.pods.values()) {
        if (matchesAll(terms.requiredAffinity, existing, selects)) {
          for (const term of terms.requiredAffinity) affinityCounts.add(nodeInfo.node, term.topologyKey, 1);
        }
        for (const term of terms.requiredAntiAffinity) {
          if (selects(term, existing)) antiAffinityCounts.add(nodeInfo.node, term.topologyKey, 1);
        }
      }
    }
  }
  return { affinityCounts, antiAffinityCounts };
}

/** Upstream podMatchesAllAffinityTerms: false for no terms. */
function matchesAll(terms: readonly AffinityTerm[], pod: Pod, selects: Selects): boolean {
  return terms.length > 0 && terms.every((term) => selects(term, pod));
}

/**
 * Every required affinity term needs the node's topology label and a matching pod in that
 * domain; but the first pod of a group whose terms select itself may go to any node with the
 * labels while no pod in the cluster matches, or such pods could never start.
 */
function satisfiesPodAffinity(s: PreFilterState, nodeInfo: NodeInfo): boolean {
  const labels = nodeInfo.node.metadata.labels ?? {};
  const terms = s.terms.requiredAffinity;
  if (!terms.every((term) => Object.hasOwn(labels, term.topologyKey))) return false;
  if (terms.every((term) => s.affinityCounts.of(nodeInfo.node, term.topologyKey) > 0)) return true;
  return s.affinityCounts.isEmpty() && s.matchesOwnAffinity;
}

function satisfiesPodAntiAffinity(s: PreFilterState, nodeInfo: NodeInfo): boolean {
  return !s.terms.requiredAntiAffinity.some((term) => s.antiAffinityCounts.of(nodeInfo.node, term.topologyKey) > 0);
}
