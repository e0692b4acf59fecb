// A pod's quality-of-service class, which the server records in status.qosClass on create.

import type { KubeObject } from '../../../storage/interface.js';

/** Guaranteed when every container's requests equal its limits for cpu and memory; BestEffort when none set any. */
export function qosClassOf(pod: KubeObject): string {
  const spec = pod.spec as { containers?: { resources?: { limits?: Record<string, unknown>; requests?: Record<string, unknown> } }[] } | undefined;
  const containers = spec?.containers ?? [];
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const limits = c.resources?.limits ?? {};
    const requests = c.resources?.requests ?? {};
    if (Object.keys(limits).length > 0 || Object.keys(requests).length > 0) any = true;
    for (const r of ['cpu', 'memory']) {
      if (limits[r] === undefined || String(requests[r] ?? limits[r]) !== String(limits[r])) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
