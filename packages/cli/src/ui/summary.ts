// The summary `kubets up` prints once the cluster is ready: where each process listens and
// logs, the kubeconfig, and the one line to paste.
import { homedir } from 'node:os';
import { clusterFlags } from '../cluster/layout.js';
import type { RunState } from '../cluster/run-state.js';

const home = homedir();
const tilde = (path: string) => (path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : path);

export interface SummaryOptions {
  elapsedMs: number;
  /** Set when the kubeconfig was merged into ~/.kube/config. */
  mergedInto?: string;
  detached: boolean;
}

export function renderSummary(state: RunState, o: SummaryOptions): string {
  const width = Math.max(...state.processes.map((p) => p.name.length));
  const urlWidth = Math.max(...state.processes.map((p) => p.url.length));
  const rows = state.processes.map((p) => `  ${p.name.padEnd(width)}  ${p.url.padEnd(urlWidth)}  ${tilde(p.logFile ?? '')}`);
  const access = o.mergedInto !== undefined
    ? [`The context "${state.name}" is in ${tilde(o.mergedInto)} and is now current: kubectl get ns`]
    : [`Kubeconfig: ${state.kubeconfig}`, 'To use it with kubectl, paste:', '', `  export KUBECONFIG=${state.kubeconfig}`, ''];
  const stop = o.detached ? `It runs in the background; stop it with: kubets down${clusterFlags(state.name, state.dataDir)}` : 'Ctrl-C stops it (or kubets down from another terminal).';
  return [
    '',
    `Cluster "${state.name}" is ready in ${(o.elapsedMs / 1000).toFixed(2)}s (data dir ${tilde(state.dataDir)}).`,
    '',
    `  ${'process'.padEnd(width)}  ${'listens on'.padEnd(urlWidth)}  log`,
    ...rows,
    '',
    ...access,
    stop,
    `kubets status${clusterFlags(state.name, state.dataDir)} shows every process; kubets logs <process>${clusterFlags(state.name, state.dataDir)} its log.`,
    '',
  ].join('\n');
}
