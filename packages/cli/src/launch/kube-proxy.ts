// How one kubets-kube-proxy is launched: against the cluster's kubeconfig, as its node
// (--hostname-override), its node ports on the node's own loopback address (--bind-address) and
// its /healthz, /readyz and /metrics on that address too. Ready when /readyz answers 200, which
// it does once its first sync of the Services and endpoints is applied.
import type { PlannedKubeProxy } from '../cluster/plan.js';
import { type ComponentSpawnOptions, componentSpec } from './component-spec.js';
import { kubeletUrl } from './kubelet.js';
import type { ProcessSpec } from './managed-process.js';

/** As a kubelet's: `flags` come after the launcher's own (the kubets profile's, a test's). */
export interface KubeProxyOptions extends ComponentSpawnOptions {
  kubeProxy: PlannedKubeProxy;
  kubeconfig: string;
}

/** Its health server, on its node's address as a kubelet's server is: http://<address>:<healthz port>. */
export const kubeProxyUrl = (p: PlannedKubeProxy) => kubeletUrl(p.address, p.healthzPort);

/** The command-line flags that make the kube-proxy the planned node's. */
export function kubeProxyArgs(p: PlannedKubeProxy, kubeconfig: string): string[] {
  return [
    `--kubeconfig=${kubeconfig}`, `--hostname-override=${p.nodeName}`,
    `--bind-address=${p.address}`, `--healthz-bind-address=${p.address}:${p.healthzPort}`,
  ];
}

export function kubeProxySpec(o: KubeProxyOptions): ProcessSpec {
  const p = o.kubeProxy;
  return componentSpec('kube-proxy', p.name, kubeProxyArgs(p, o.kubeconfig), o, `${kubeProxyUrl(p)}/readyz`);
}
