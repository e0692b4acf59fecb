// The DefaultTolerationSeconds admission plugin: a new pod that does not already tolerate the
// node.kubernetes.io/not-ready and node.kubernetes.io/unreachable NoExecute taints gets
// tolerations for them, bounded by --default-not-ready-toleration-seconds and
// --default-unreachable-toleration-seconds, so that its pods leave a failed node after five
// minutes (by default) rather than never.

import type { KubeObject } from '../storage/interface.js';

export interface DefaultTolerationSeconds {
  notReady: number;
  unreachable: number;
}

/** Upstream's defaults for both flags. */
export const defaultTolerationSeconds: DefaultTolerationSeconds = { notReady: 300, unreachable: 300 };

export const notReadyTaint = 'node.kubernetes.io/not-ready';
export const unreachableTaint = 'node.kubernetes.io/unreachable';

interface Toleration {
  key?: string;
  operator?: string;
  effect?: string;
  tolerationSeconds?: number;
}

/** As upstream checks it: an empty key tolerates every taint, an empty effect every effect. */
function toleratesNoExecute(tolerations: Toleration[], taintKey: string): boolean {
  return tolerations.some((t) => (t.key === undefined || t.key === '' || t.key === taintKey) && (t.effect === undefined || t.effect === '' || t.effect === 'NoExecute'));
}

/** Adds, in place, the tolerations the pod lacks. */
export function addDefaultTolerations(pod: KubeObject, seconds: DefaultTolerationSeconds): void {
  const spec = (pod.spec ??= {}) as { tolerations?: Toleration[] };
  const tolerations = spec.tolerations ?? [];
  const added: Toleration[] = [];
  for (const [key, tolerationSeconds] of [[notReadyTaint, seconds.notReady], [unreachableTaint, seconds.unreachable]] as const) {
    if (!toleratesNoExecute(tolerations, key)) added.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds });
  }
  if (added.length > 0) spec.tolerations = [...tolerations, ...added];
}
