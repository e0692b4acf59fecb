// The PodTopologySpread plugin (upstream pkg/scheduler/framework/plugins/podtopologyspread):
// DoNotSchedule constraints as a filter, ScheduleAnyway constraints as a score, and default
// constraints for pods without any of their own.

import type { FilterPlugin, PreFilterPlugin, PreScorePlugin, ScorePlugin, TopologySpreadConstraint } from '../../framework/types.js';
import { constraintsFor, systemDefaultConstraints } from '../spread-constraints.js';
import { filter, preFilter } from './filtering.js';
import { normalizeScore, preScore, score } from './scoring.js';

export const podTopologySpreadName = 'PodTopologySpread';

/** Upstream PodTopologySpreadArgs. */
export interface PodTopologySpreadArgs {
  /** Constraints for pods without their own; only with defaultingType List. */
  defaultConstraints?: TopologySpreadConstraint[];
  /** System (default): upstream's built-in defaults; List: defaultConstraints. */
  defaultingType?: 'System' | 'List';
}

export type PodTopologySpreadPlugin = PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin;

export function newPodTopologySpread(args: PodTopologySpreadArgs = {}): PodTopologySpreadPlugin {
  validateArgs(args);
  const systemDefaulted = (args.defaultingType ?? 'System') === 'System';
  const defaults = systemDefaulted ? systemDefaultConstraints : (args.defaultConstraints ?? []);
  return {
    name: podTopologySpreadName,
    preFilter: (state, pod, snapshot) => preFilter(constraintsFor(pod, defaults, 'DoNotSchedule'), state, pod, snapshot),
    filter,
    preScore: (state, pod, nodes, snapshot) => {
      // Only the system defaults spread over nodes that lack some of the topology labels.
      const requireAllTopologies = (pod.spec.topologySpreadConstraints ?? []).length > 0 || !systemDefaulted;
      return preScore(constraintsFor(pod, defaults, 'ScheduleAnyway'), requireAllTopologies, state, pod, nodes, snapshot);
    },
    score,
    normalizeScore,
  };
}

/** Throws for invalid args, worded as upstream's ValidatePodTopologySpreadArgs. */
function validateArgs(args: PodTopologySpreadArgs): void {
  const type = args.defaultingType ?? 'System';
  const constraints = args.defaultConstraints ?? [];
  if (type !== 'System' && type !== 'List') throw new Error(`defaultingType: Unsupported value: "${type}": supported values: "System", "List"`);
  if (type === 'System' && constraints.length > 0) throw new Error('defaultingType: Invalid value: "System": when .defaultConstraints are not empty');
  constraints.forEach((c, i) => {
    const at = `defaultConstraints[${i}]`;
    if (!Number.isInteger(c.maxSkew) || c.maxSkew <= 0) throw new Error(`${at}.maxSkew: Invalid value: ${c.maxSkew}: not in valid range (0, inf)`);
    if (!c.topologyKey) throw new Error(`${at}.topologyKey: Required value: can not be empty`);
    if (c.whenUnsatisfiable !== 'DoNotSchedule' && c.whenUnsatisfiable !== 'ScheduleAnyway') {
      throw new Error(`${at}.whenUnsatisfiable: Unsupported value: "${c.whenUnsatisfiable}": supported values: "DoNotSchedule", "ScheduleAnyway"`);
    }
    if (c.labelSelector !== undefined) throw new Error(`${at}.labelSelector: Forbidden: constraint must not define a selector, as they deduced for each pod`);
    if (constraints.findIndex((o) => o.topologyKey === c.topologyKey && o.whenUnsatisfiable === c.whenUnsatisfiable) !== i) {
      throw new Error(`defaultConstraints[${i}]: Duplicate value: "{${c.topologyKey}, ${c.whenUnsatisfiable}}"`);
    }
  });
}
