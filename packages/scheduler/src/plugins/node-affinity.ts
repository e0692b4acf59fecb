// NodeAffinity: a pod goes only to nodes that match its nodeSelector and its required node affinity
// (and the scheduler's addedAffinity, when configured), and prefers nodes that match the heavier
// of its preferred terms.

import {
  type CycleState,
  type FilterPlugin,
  type Node,
  type NodeSelectorTerm,
  type Pod,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ScorePlugin,
  skip,
  success,
  unresolvable,
} from '../framework/types.js';
import { errorStatus } from './error-status.js';
import { compileNodeSelector, compilePreferredTerms, type PreferredSchedulingTerm } from './node-selector.js';
import { type NodeMatcher, requiredNodeAffinityOf } from './required-node-affinity.js';
import { defaultNormalizeScore } from './normalize-score.js';

export const nodeAffinityName = 'NodeAffinity';
export const errReasonPod = "node(s) didn't match Pod's node affinity/selector";
export const errReasonEnforced = "node(s) didn't match scheduler-enforced node affinity";
export const errReasonConflict = 'pod affinity terms conflict';

const preFilterStateKey = `PreFilter${nodeAffinityName}`;
const preScoreStateKey = `PreScore${nodeAffinityName}`;

/** Upstream's NodeAffinityArgs: affinity every pod of the profile gets on top of its own. */
export interface NodeAffinityArgs {
  addedAffinity?: {
    requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms: NodeSelectorTerm[] };
    preferredDuringSchedulingIgnoredDuringExecution?: PreferredSchedulingTerm[];
  };
}

type Scorer = (node: Node) => number;

/**
 * Required terms that each name nodes (matchFields metadata.name In) but together name none can
 * match no node at all; upstream says so at PreFilter (it also narrows the nodes to those named,
 * an optimisation our runner has no place for: Filter reaches the same answer).
 */
function namedNodesConflict(terms: readonly NodeSelectorTerm[]): boolean {
  if (terms.length === 0) return false;
  for (const term of terms) {
    const named = (term.matchFields ?? []).filter((r) => r.key === 'metadata.name' && r.operator === 'In');
    if (named.length === 0) return false;
    const common = named.reduce((set, r) => set.filter((n) => (r.values ?? []).includes(n)), named[0]?.values ?? []);
    if (common.length > 0) return false;
  }
  return true;
}

/** The profile's addedAffinity, compiled once; malformed terms refuse the configuration, as upstream's New. */
function compileAdded(args: NodeAffinityArgs): { required?: NodeMatcher; preferred?: Scorer } {
  const required = args.addedAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  const preferred = args.addedAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
  const compiledRequired = required && compileNodeSelector(required.nodeSelectorTerms ?? []);
  const compiledPreferred = preferred.length > 0 ? compilePreferredTerms(preferred) : undefined;
  const errors = [...(compiledRequired?.errors ?? []), ...(compiledPreferred?.errors ?? [])];
  if (errors.length > 0) throw new Error(`NodeAffinityArgs: addedAffinity: ${errors.join(', ')}`);
  return { ...(compiledRequired && { required: compiledRequired.matches }), ...(compiledPreferred && { preferred: compiledPreferred.score }) };
}

function preferredOf(pod: Pod) {
  const terms = pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
  return terms === undefined ? undefined : compilePreferredTerms(terms);
}

export function newNodeAffinity(args: NodeAffinityArgs = {}): PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin {
  const added = compileAdded(args);
  const podScorer = (state: CycleState, pod: Pod): Scorer | undefined => state.read<Scorer>(preScoreStateKey) ?? preferredOf(pod)?.score;
  return {
    name: nodeAffinityName,
    preFilter(state, pod) {
      const required = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
      if (required === undefined && added.required === undefined && pod.spec.nodeSelector === undefined) return skip;
      state.write(preFilterStateKey, requiredNodeAffinityOf(pod));
      return required && namedNodesConflict(required.nodeSelectorTerms ?? []) ? unresolvable(errReasonConflict) : success;
    },
    filter(state, pod, node) {
      if (added.required && !added.required(node.node)) return unresolvable(errReasonEnforced);
      const matches = state.read<NodeMatcher>(preFilterStateKey) ?? requiredNodeAffinityOf(pod);
      return matches(node.node) ? success : unresolvable(errReasonPod);
    },
    preScore(state, pod) {
      const preferred = preferredOf(pod);
      if (preferred === undefined && added.preferred === undefined) return skip;
      if (preferred && preferred.errors.length > 0) return errorStatus(...preferred.errors);
      if (preferred) state.write(preScoreStateKey, preferred.score);
      return success;
    },
    /** The sum of the weights of the preferred terms (the pod's and the added ones) the node matches. */
    score(state, pod, node) {
      return (added.preferred?.(node.node) ?? 0) + (podScorer(state, pod)?.(node.node) ?? 0);
    },
    normalizeScore(_state, _pod, scores) {
      defaultNormalizeScore(scores, false);
    },
  };
}
