// Counts per topology domain (a topology key and one of its values), as upstream's
// topologyToMatchedTermCount (filtering) and scoreMap (scoring): what InterPodAffinity learns
// from the existing pods once per cycle, so each node is then judged by its labels alone.

import type { Node } from '../../framework/types.js';
import { labelValue } from '../label-selector.js';

export class TopologyCounts {
  private readonly byKey = new Map<string, Map<string, number>>();

  /** Adds `n` to the domain `node` is in for `key`; a node without that label is in none. */
  add(node: Node, key: string, n: number): void {
    const value = labelValue(node.metadata.labels, key);
    if (value === undefined) return;
    let values = this.byKey.get(key);
    if (values === undefined) this.byKey.set(key, (values = new Map()));
    values.set(value, (values.get(value) ?? 0) + n);
  }

  /** The count of the domain `node` is in for `key`; 0 when the node lacks the label. */
  of(node: Node, key: string): number {
    const value = labelValue(node.metadata.labels, key);
    return value === undefined ? 0 : (this.byKey.get(key)?.get(value) ?? 0);
  }

  isEmpty(): boolean {
    return this.byKey.size === 0;
  }

  /** The counts of every domain the node is in, summed over the keys counted. */
  sumFor(node: Node): number {
    let sum = 0;
    for (const key of this.byKey.keys()) sum += this.of(node, key);
    return sum;
  }

  /** Whether a domain the node is in has a positive count. */
  anyFor(node: Node): boolean {
    for (const key of this.byKey.keys()) if (this.of(node, key) > 0) return true;
    return false;
  }
}
