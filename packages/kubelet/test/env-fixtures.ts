// Pods, Services, ConfigMaps and Secrets for the environment and volume tests.
import type { ConfigMap, Container, Pod, Secret, Service } from '@kubets/api';

export function service(namespace: string, name: string, clusterIP: string, ports: Array<{ port: number; name?: string; protocol?: string }>): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { namespace, name }, spec: { clusterIP, ports } } as Service;
}

export function configMap(namespace: string, name: string, data: Record<string, string>, binaryData?: Record<string, string>): ConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace, name }, data, ...(binaryData ? { binaryData } : {}) } as ConfigMap;
}

/** A Secret from plain-text values (stored base64, as the API serves it). */
export function secret(namespace: string, name: string, plain: Record<string, string>): Secret {
  const data = Object.fromEntries(Object.entries(plain).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));
  return { apiVersion: 'v1', kind: 'Secret', metadata: { namespace, name }, data } as Secret;
}

export function pod(namespace: string, container: Partial<Container>, spec: Partial<NonNullable<Pod['spec']>> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { namespace, name: 'dapi-test-pod-name', uid: '11111111-2222-3333-4444-555555555555', labels: { app: 'web', tier: 'front' }, annotations: { note: 'say "hi"' } },
    spec: { nodeName: 'node-a', serviceAccountName: 'builder', containers: [{ name: 'main', image: 'busybox', ...container }], ...spec },
  } as Pod;
}
