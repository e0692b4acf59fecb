// The usual way a component gets its client: from the kubeconfig (--kubeconfig, KUBECONFIG,
// ~/.kube/config), with its name in the user agent.

import { loadKubeconfig, type LoadKubeconfigOptions } from '../kubeconfig/load.js';
import { resolveKubeconfig, type ResolveOptions } from '../kubeconfig/resolve.js';
import { type ClientOptions, KubeClient } from './client.js';

export type KubeconfigClientOptions = LoadKubeconfigOptions & ResolveOptions & ClientOptions;

export function clientFromKubeconfig(opts: KubeconfigClientOptions = {}): KubeClient {
  const config = resolveKubeconfig(loadKubeconfig(opts), opts);
  return new KubeClient(config, opts);
}
