// A profile's plugins at their extension points, and running them, as upstream's
// frameworkImpl (pkg/scheduler/framework/runtime): PreFilter, Filter, PreScore and Score in
// their configured order, Skip honoured, scores normalised and weighted.

import type { NodeInfo } from './node-info.js';
import {
  type CycleState,
  maxNodeScore,
  type NodeScore,
  type Pod,
  type PreFilterPlugin,
  type FilterPlugin,
  type PreScorePlugin,
  type ScorePlugin,
  type Snapshot,
  type Status,
  success,
} from './types.js';

export interface WeightedScorePlugin {
  plugin: ScorePlugin;
  weight: number;
}

export interface ProfilePlugins {
  preFilter: PreFilterPlugin[];
  filter: FilterPlugin[];
  preScore: PreScorePlugin[];
  score: WeightedScorePlugin[];
}

export interface PreFilterOutcome {
  /** The first rejection, which rules out every node. */
  rejection?: Status;
  /** Plugins whose PreFilter said Skip: their Filter is not run for this pod. */
  skipped: Set<string>;
}

const withPlugin = (status: Status, plugin: string): Status => ({ ...status, plugin });

export class Framework {
  constructor(
    readonly profileName: string,
    readonly plugins: ProfilePlugins,
    /** The profile's percentageOfNodesToScore; undefined takes the global one, 0 the adaptive default. */
    readonly percentageOfNodesToScore?: number,
  ) {}

  runPreFilter(state: CycleState, pod: Pod, snapshot: Snapshot): PreFilterOutcome {
    const skipped = new Set<string>();
    for (const p of this.plugins.preFilter) {
      const s = p.preFilter(state, pod, snapshot);
      if (s.code === 'Skip') skipped.add(p.name);
      else if (s.code !== 'Success') return { rejection: withPlugin(s, p.name), skipped };
    }
    return { skipped };
  }

  /** Success, or the first filter's rejection (upstream stops at the first). */
  runFilters(state: CycleState, pod: Pod, node: NodeInfo, skipped: ReadonlySet<string>): Status {
    for (const p of this.plugins.filter) {
      if (skipped.has(p.name)) continue;
      const s = p.filter(state, pod, node);
      if (s.code !== 'Success') return withPlugin(s, p.name);
    }
    return success;
  }

  /** Plugins whose PreScore said Skip, or an error status. */
  runPreScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[], snapshot: Snapshot): { error?: Status; skipped: Set<string> } {
    const skipped = new Set<string>();
    for (const p of this.plugins.preScore) {
      const s = p.preScore(state, pod, nodes, snapshot);
      if (s.code === 'Skip') skipped.add(p.name);
      else if (s.code !== 'Success') return { error: withPlugin(s, p.name), skipped };
    }
    return { skipped };
  }

  /** Each node's total: every plugin's normalised score times its weight, summed. */
  runScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[], skipped: ReadonlySet<string>): number[] {
    const totals = new Array<number>(nodes.length).fill(0);
    for (const { plugin, weight } of this.plugins.score) {
      if (skipped.has(plugin.name)) continue;
      const scores: NodeScore[] = nodes.map((n) => ({ name: n.name, score: plugin.score(state, pod, n) }));
      plugin.normalizeScore?.(state, pod, scores);
      for (let i = 0; i < scores.length; i++) {
        const s = scores[i]!.score;
        if (!(s >= 0 && s <= maxNodeScore)) throw new Error(`plugin "${plugin.name}" returns an invalid score ${s}, it should in the range of [0, ${maxNodeScore}] after normalizing`);
        totals[i]! += s * weight;
      }
    }
    return totals;
  }
}
