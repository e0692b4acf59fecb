// The kube-proxy leg: a real kubets-kube-proxy, started by the test kit on a test cluster (as
// `kubets up` starts one per node), in front of the same endpoint servers: a ClusterIP Service
// with one port, and one EndpointSlice per endpoint server (each listens on a port of its own, and
// a slice's ports apply to all of its endpoints). The leg is ready once connections to the
// cluster IP reach every endpoint: the proxy may take them in over more than one sync.
import type { EndpointSlice, Service } from '@kubets/api';
import { eventually, kubeProxyNode, startTestCluster } from '@kubets/testing';
import { reachesAll } from './traffic.js';
import type { Target } from './traffic-client.js';

export interface RunningKubeProxy {
  target: Target;
  pid: number;
  stop(): Promise<void>;
}

const serviceName = 'bench';
/** Above 1024, so that the proxy needs no privilege to bind it. */
const servicePort = 8080;

function sliceFor(e: Target, i: number): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { namespace: 'default', name: `${serviceName}-${i}`, labels: { 'kubernetes.io/service-name': serviceName } },
    addressType: 'IPv4',
    ports: [{ name: 'tcp', port: e.port, protocol: 'TCP' }],
    endpoints: [{ addresses: [e.host], conditions: { ready: true } }],
  };
}

/** A test cluster of `members` etcd members and one kube-proxy, with the Service in front of the endpoints. */
export async function startKubeProxy(endpoints: Target[], opts: { members: number; readyTimeoutMs?: number }): Promise<RunningKubeProxy> {
  const cluster = await startTestCluster({ members: opts.members, kubeProxies: 1 });
  try {
    const svc = await cluster.client.create<Service>('services', 'default', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: serviceName },
      spec: { type: 'ClusterIP', ports: [{ name: 'tcp', port: servicePort, protocol: 'TCP' }] },
    });
    for (const [i, e] of endpoints.entries()) await cluster.client.create('endpointslices', 'default', sliceFor(e, i));
    const target = { host: svc.spec!.clusterIP!, port: servicePort };
    await eventually(() => reachesAll(target, endpoints), `${target.host}:${target.port} reaches every endpoint`, opts.readyTimeoutMs ?? 30_000, 50);
    return { target, pid: kubeProxyNode(cluster, 1).process.pid!, stop: () => cluster.stop() };
  } catch (e) {
    await cluster.stop();
    throw e;
  }
}
