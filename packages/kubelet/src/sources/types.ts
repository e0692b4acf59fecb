// Where the kubelet reads the objects a pod refers to (ConfigMaps, Secrets, Services for the
// environment). Behind an interface so that env and volume code is tested with a map, and the
// kubelet can back it with the API (a watch per object referenced, as upstream's manager does).
import type { ConfigMap, Secret, Service } from '@kubets/api';

export interface ObjectSource {
  /** undefined when it does not exist (404); throws when the API cannot be reached. */
  configMap(namespace: string, name: string): Promise<ConfigMap | undefined>;
  secret(namespace: string, name: string): Promise<Secret | undefined>;
  /** The Services of a namespace (for the Service environment variables), and of `default` for KUBERNETES_*. */
  services(namespace: string): Promise<Service[]>;
}
