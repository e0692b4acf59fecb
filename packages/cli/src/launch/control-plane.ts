// How a kubets-scheduler or kubets-controller-manager is launched: against the cluster's
// kubeconfig, serving /healthz, /readyz and /metrics on a loopback port chosen before it
// starts; ready when /readyz answers. Its leader election identity carries its process name, as
// a pod's hostname does in a real cluster, so `kubets status` can tell which one leads.
import { type ComponentSpawnOptions, componentSpec } from './component-spec.js';
import type { ProcessSpec } from './managed-process.js';

export type ControlPlaneComponent = 'scheduler' | 'controller-manager';

export interface ControlPlaneOptions extends ComponentSpawnOptions {
  name: string;
  /** The health and metrics port. */
  port: number;
  kubeconfig: string;
}

export const healthUrl = (port: number) => `http://127.0.0.1:${port}`;

export function controlPlaneSpec(component: ControlPlaneComponent, o: ControlPlaneOptions): ProcessSpec {
  const flags = [`--kubeconfig=${o.kubeconfig}`, '--bind-address=127.0.0.1', `--secure-port=${o.port}`];
  return componentSpec(component, o.name, flags, o, `${healthUrl(o.port)}/readyz`);
}
