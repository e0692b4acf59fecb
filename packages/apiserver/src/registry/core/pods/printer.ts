// `kubectl get pods` columns, derived as kubectl's pod printer does.

import { ageCol, col, nameCol, none } from '../../printing/columns.js';

/** The STATUS column of `kubectl get pods`, derived as kubectl's pod printer does. */
export function podStatus(pod: any): string {
  let reason: string = pod.status?.reason || pod.status?.phase || 'Unknown';
  const inits: any[] = pod.status?.initContainerStatuses ?? [];
  let initializing = false;
  inits.forEach((c, i) => {
    if (initializing) return;
    const t = c.state?.terminated;
    if (t && t.exitCode === 0) return;
    initializing = true;
    if (t) reason = t.reason ? `Init:${t.reason}` : t.signal ? `Init:Signal:${t.signal}` : `Init:ExitCode:${t.exitCode}`;
    else if (c.state?.waiting?.reason && c.state.waiting.reason !== 'PodInitializing') reason = `Init:${c.state.waiting.reason}`;
    else reason = `Init:${i}/${(pod.spec?.initContainers ?? []).length}`;
  });
  if (!initializing) {
    let hasRunning = false;
    for (const c of [...(pod.status?.containerStatuses ?? [])].reverse()) {
      if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
      else if (c.state?.terminated) {
        const t = c.state.terminated;
        reason = t.reason || (t.signal ? `Signal:${t.signal}` : `ExitCode:${t.exitCode}`);
      } else if (c.ready && c.state?.running) hasRunning = true;
    }
    if (reason === 'Completed' && hasRunning) reason = 'Running';
  }
  if (pod.metadata?.deletionTimestamp) reason = pod.status?.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  return reason;
}

export const podColumns = [
  nameCol,
  col('Ready', 'The aggregate readiness state of this pod for accepting traffic.', (o) => {
    const statuses: any[] = o.status?.containerStatuses ?? [];
    return `${statuses.filter((c) => c.ready).length}/${(o.spec?.containers ?? []).length}`;
  }),
  col('Status', 'The aggregate status of the containers in this pod.', (o) => podStatus(o)),
  col('Restarts', 'The number of times the containers in this pod have been restarted.', (o) =>
    String((o.status?.containerStatuses ?? []).reduce((n: number, c: any) => n + (c.restartCount ?? 0), 0)), 'string'),
  ageCol,
  col('IP', 'IP address allocated to the pod.', (o) => none(o.status?.podIP), 'string', 1),
  col('Node', 'Name of the node the pod is assigned to.', (o) => none(o.spec?.nodeName), 'string', 1),
  col('Nominated Node', 'Name of the node where the pod is nominated.', (o) => none(o.status?.nominatedNodeName), 'string', 1),
  col('Readiness Gates', 'Pod readiness gates.', () => '<none>', 'string', 1),
];
