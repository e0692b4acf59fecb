// InterPodAffinity's PreScore, Score and NormalizeScore, as upstream's interpodaffinity/scoring.go.
// PreScore weighs each topology domain once: + for existing pods the incoming pod prefers (and
// for existing pods whose required or preferred affinity selects it), - for those it prefers to
// avoid (and those whose preferred anti-affinity selects it). A node scores the sum of its domains.

import type { NodeInfo } from '../../framework/node-info.js';
import { type CycleState, type NodeScore, type Pod, type Snapshot, type Status, maxNodeScore, skip, success } from '../../framework/types.js';
import { type AffinityTerm, type PodAffinityTerms, type WeightedAffinityTerm, affinityTermsOf, namespaceLabelsReader, namespaceOf, nodesWithAffinityPods, parseErrors, termMatches } from '../affinity-term.js';
import type { Labels } from '../label-selector.js';
import { TopologyCounts } from './topology-counts.js';

const preScoreStateKey = 'PreScoreInterPodAffinity';

export interface ScoringArgs {
  readonly hardPodAffinityWeight: number;
  readonly ignorePreferredTermsOfExistingPods: boolean;
}

/** What weighing one existing pod needs. */
interface Weighing {
  readonly incoming: Pod;
  readonly terms: PodAffinityTerms;
  readonly incomingNamespaceLabels: Labels | undefined;
  readonly namespaceLabels: (namespace: string) => Labels | undefined;
  readonly scores: TopologyCounts;
}

export function preScore(args: ScoringArgs, state: CycleState, pod: Pod, nodes: readonly NodeInfo[], snapshot: Snapshot): Status {
  if (nodes.length === 0) return skip;
  const terms = affinityTermsOf(pod);
  const hasPreferredTerms = terms.preferredAffinity.length > 0 || terms.preferredAntiAffinity.length > 0;
  if (args.ignorePreferredTermsOfExistingPods && !hasPreferredTerms) return skip;
  const errors = parseErrors(terms);
  if (errors !== undefined) return { code: 'Error', reasons: [`failed to parse pod: ${errors}`] };
  const namespaceLabels = namespaceLabelsReader(snapshot);
  const w: Weighing = { incoming: pod, terms, incomingNamespaceLabels: namespaceLabels(namespaceOf(pod)), namespaceLabels, scores: new TopologyCounts() };
  // Without preferred terms of its own, only pods with affinity terms can weigh a domain.
  for (const nodeInfo of hasPreferredTerms ? snapshot.nodes : nodesWithAffinityPods(snapshot)) {
    for (const existing of podsToWeigh(nodeInfo, hasPreferredTerms)) weighExistingPod(args, w, existing, nodeInfo);
  }
  if (w.scores.isEmpty()) return skip;
  state.write(preScoreStateKey, w.scores);
  return success;
}

export function score(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): number {
  return state.read<TopologyCounts>(preScoreStateKey)?.sumFor(nodeInfo.node) ?? 0;
}

/** Min-max onto 0..100 (scores may be negative); all equal scores become 0. */
export function normalizeScore(state: CycleState, _pod: Pod, scores: NodeScore[]): void {
  if (state.read<TopologyCounts>(preScoreStateKey)?.isEmpty() ?? true) return;
  const values = scores.map((s) => s.score);
  const min = Math.min(...values);
  const spread = Math.max(...values) - min;
  for (const s of scores) s.score = spread > 0 ? Math.trunc((maxNodeScore * (s.score - min)) / spread) : 0;
}

function* podsToWeigh(nodeInfo: NodeInfo, allPods: boolean): Iterable<Pod> {
  if (allPods) {
    for (const info of nodeInfo.pods.values()) yield info.pod;
    return;
  }
  for (const key of nodeInfo.podsWithAffinity) {
    const info = nodeInfo.pods.get(key);
    if (info !== undefined) yield info.pod;
  }
}

function weighExistingPod(args: ScoringArgs, w: Weighing, existing: Pod, nodeInfo: NodeInfo): void {
  if (Object.keys(nodeInfo.node.metadata.labels ?? {}).length === 0) return;
  // The incoming pod's terms see the existing pod with its own namespace's labels.
  const existingNamespaceLabels = w.namespaceLabels(namespaceOf(existing));
  weighTerms(w, w.terms.preferredAffinity, existing, existingNamespaceLabels, nodeInfo, 1);
  weighTerms(w, w.terms.preferredAntiAffinity, existing, existingNamespaceLabels, nodeInfo, -1);
  // The existing pod's terms see the incoming pod with the incoming pod's namespace's labels.
  const theirs = affinityTermsOf(existing);
  if (args.hardPodAffinityWeight > 0) {
    for (const term of theirs.requiredAffinity) weighTerm(w, term, args.hardPodAffinityWeight, w.incoming, w.incomingNamespaceLabels, nodeInfo);
  }
  weighTerms(w, theirs.preferredAffinity, w.incoming, w.incomingNamespaceLabels, nodeInfo, 1);
  weighTerms(w, theirs.preferredAntiAffinity, w.incoming, w.incomingNamespaceLabels, nodeInfo, -1);
}

function weighTerms(w: Weighing, terms: readonly WeightedAffinityTerm[], pod: Pod, namespaceLabels: Labels | undefined, nodeInfo: NodeInfo, sign: 1 | -1): void {
  for (const { term, weight } of terms) weighTerm(w, term, sign * weight, pod, namespaceLabels, nodeInfo);
}

function weighTerm(w: Weighing, term: AffinityTerm, weight: number, pod: Pod, namespaceLabels: Labels | undefined, nodeInfo: NodeInfo): void {
  if (termMatches(term, pod, namespaceLabels)) w.scores.add(nodeInfo.node, term.topologyKey, weight);
}
