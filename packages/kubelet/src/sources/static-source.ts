// An ObjectSource over a fixed set of objects: for tests of the env and volume code, and for a
// kubelet that runs without an API server (static pods). The objects may be replaced at any
// time, which is how a test makes a ConfigMap "change".
import type { ConfigMap, Secret, Service } from '@kubets/api';
import type { ObjectSource } from './types.js';

export interface StaticObjects {
  configMaps?: ConfigMap[];
  secrets?: Secret[];
  services?: Service[];
}

export interface StaticObjectSource extends ObjectSource {
  /** Adds or replaces one object (matched by kind, namespace and name). */
  put(kind: 'ConfigMap' | 'Secret' | 'Service', obj: ConfigMap | Secret | Service): void;
  remove(kind: 'ConfigMap' | 'Secret' | 'Service', namespace: string, name: string): void;
}

const keyOf = (namespace: string | undefined, name: string | undefined) => `${namespace ?? ''}/${name ?? ''}`;

export function createStaticObjectSource(initial: StaticObjects = {}): StaticObjectSource {
  const stores = {
    ConfigMap: new Map<string, ConfigMap>(),
    Secret: new Map<string, Secret>(),
    Service: new Map<string, Service>(),
  };
  const put = (kind: keyof typeof stores, obj: ConfigMap | Secret | Service) => {
    (stores[kind] as Map<string, typeof obj>).set(keyOf(obj.metadata?.namespace, obj.metadata?.name), structuredClone(obj));
  };
  for (const cm of initial.configMaps ?? []) put('ConfigMap', cm);
  for (const s of initial.secrets ?? []) put('Secret', s);
  for (const s of initial.services ?? []) put('Service', s);
  return {
    put,
    remove: (kind, namespace, name) => void stores[kind].delete(keyOf(namespace, name)),
    configMap: async (namespace, name) => structuredClone(stores.ConfigMap.get(keyOf(namespace, name))),
    secret: async (namespace, name) => structuredClone(stores.Secret.get(keyOf(namespace, name))),
    services: async (namespace) => [...stores.Service.values()].filter((s) => s.metadata?.namespace === namespace).map((s) => structuredClone(s)),
  };
}
