// What one run of a probe found, as upstream's pkg/probe Result. A warning counts as success
// (an HTTP redirect to another host that was not followed), reported with a ProbeWarning Event.
import type { ExecResult } from '../runtime/types.js';

export type ProbeOutcome = 'success' | 'warning' | 'failure' | 'unknown';

export interface ProbeRun {
  outcome: ProbeOutcome;
  /** What the probe saw: the command's output, the response body, or why it failed. */
  output: string;
}

/** Runs a command in a container (the runtime's execSync), killing it after timeoutMs. */
export type ExecFn = (containerId: string, cmd: string[], timeoutMs: number) => Promise<ExecResult>;

/** Upstream reads at most this much of a command's output or a response body (10 KiB). */
export const maxProbeOutputBytes = 10 * 1024;

/** The Kubernetes version the kubelet reports, for the probe and hook User-Agent (kube-probe/1.32). */
export const kubeletMajorMinor = '1.32';
