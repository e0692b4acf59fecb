// The scheduling algorithm alone, in this process: the default profile places M pods on N nodes
// through the cache (assume, as the scheduler does), with no API server, informer or binding.
// It tells what the scheduler could do if the API kept up: the ceiling of the end-to-end figure.

import { SchedulerCache } from '../cache/cache.js';
import { defaultConfig } from '../config/load.js';
import { buildFrameworks } from '../config/profiles.js';
import { PodScheduler } from '../core/schedule-pod.js';
import type { Node, Pod } from '../framework/types.js';
import { pluginRegistry } from '../plugins/registry.js';

export function algorithmPodsPerSecond(nodes: Node[], pods: Pod[]): number {
  const cache = new SchedulerCache({ assumedPodTtlMs: 0 });
  for (const n of nodes) cache.addNode(n);
  const fwk = buildFrameworks(defaultConfig(), pluginRegistry).get('default-scheduler')!;
  const scheduler = new PodScheduler();
  const start = performance.now();
  for (const pod of pods) {
    const { suggestedHost } = scheduler.schedule(fwk, pod, cache.snapshot());
    cache.assumePod({ ...pod, spec: { ...pod.spec, nodeName: suggestedHost } });
  }
  const ms = performance.now() - start;
  cache.close();
  return Math.round((pods.length / ms) * 1000);
}
