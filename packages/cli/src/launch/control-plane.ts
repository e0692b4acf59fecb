// How a kubets-scheduler or kubets-controller-manager is launched: against the cluster's
// kubeconfig, serving /healthz, /readyz and /metrics on a loopback port chosen before it
// starts; ready when /readyz answers. Its leader election identity carries its process name, as
// a pod's hostname does in a real cluster, so `kubets status` can tell which one leads.
import { componentMain } from './binaries.js';
import type { ProcessSpec } from './managed-process.js';
import { httpReady } from './readiness.js';

export type ControlPlaneComponent = 'scheduler' | 'controller-manager';

export interface ControlPlaneOptions {
  name: string;
  /** The health and metrics port. */
  port: number;
  kubeconfig: string;
  flags?: string[];
  nodeArgs?: string[];
  logFile?: string;
  keepLines?: number;
  ownProcessGroup?: boolean;
}

export const healthUrl = (port: number) => `http://127.0.0.1:${port}`;

export function controlPlaneSpec(component: ControlPlaneComponent, o: ControlPlaneOptions): ProcessSpec {
  return {
    name: o.name,
    command: process.execPath,
    args: [
      ...(o.nodeArgs ?? []), componentMain(component),
      `--kubeconfig=${o.kubeconfig}`, '--bind-address=127.0.0.1', `--secure-port=${o.port}`,
      ...(o.flags ?? []),
    ],
    env: { ...process.env, KUBETS_PROCESS_NAME: o.name },
    ...(o.logFile !== undefined ? { logFile: o.logFile } : {}),
    ...(o.keepLines !== undefined ? { keepLines: o.keepLines } : {}),
    ownProcessGroup: o.ownProcessGroup === true,
    ready: () => httpReady(`${healthUrl(o.port)}/readyz`),
  };
}
