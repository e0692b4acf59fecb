// Pods: start Pending with their QoS class, track generation, and are deleted gracefully once a
// kubelet runs them (the kubelet finishes the deletion).

import { defineStrategy } from '../../default-strategy.js';
import { podColumns } from './printer.js';
import { qosClassOf } from './qos.js';

export const podStrategy = defineStrategy({
  generationTracked: true,
  statusOnCreate: (pod) => ({ phase: 'Pending', qosClass: qosClassOf(pod) }),
  gracePeriodSeconds(pod, requested) {
    const spec = pod.spec as { nodeName?: string; terminationGracePeriodSeconds?: number } | undefined;
    const phase = (pod.status as { phase?: string } | undefined)?.phase;
    // A pod no kubelet runs, or one that has finished, has nothing to wait for.
    if (!spec?.nodeName || phase === 'Succeeded' || phase === 'Failed') return 0;
    return requested ?? spec.terminationGracePeriodSeconds ?? 30;
  },
  returnsDeletedObject: true,
  columns: podColumns,
});
