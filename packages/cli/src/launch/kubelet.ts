// How one kubets-kubelet is launched: against the cluster's kubeconfig, as its node, on the
// node's own loopback address (its --node-ip and --address), with its pods recorded under its
// root dir. Ready when GET /healthz on its port answers, which it does once its Node is
// registered.
import type { PlannedKubelet } from '../cluster/plan.js';
import { type ComponentSpawnOptions, componentSpec } from './component-spec.js';
import type { ProcessSpec } from './managed-process.js';

/** As a controller's: `flags` come after the launcher's own (the kubets profile's, a test's). */
export interface KubeletOptions extends ComponentSpawnOptions {
  kubelet: PlannedKubelet;
  kubeconfig: string;
}

export const kubeletUrl = (address: string, port: number) => `http://${address}:${port}`;

/** The command-line flags that make the kubelet the planned node. */
export function kubeletArgs(k: PlannedKubelet, kubeconfig: string): string[] {
  return [
    `--kubeconfig=${kubeconfig}`, `--node-name=${k.nodeName}`, `--root-dir=${k.rootDir}`,
    `--node-ip=${k.address}`, `--address=${k.address}`, `--port=${k.port}`,
    ...(k.podCidr !== undefined ? [`--pod-cidr=${k.podCidr}`] : []),
  ];
}

export function kubeletSpec(o: KubeletOptions): ProcessSpec {
  const k = o.kubelet;
  return componentSpec('kubelet', k.name, kubeletArgs(k, o.kubeconfig), o, `${kubeletUrl(k.address, k.port)}/healthz`);
}
