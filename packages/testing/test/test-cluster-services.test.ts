// The Service ranges a test cluster with kube-proxies gets, checked against the real API server
// (a real kube-proxy is not needed for this): a drawn /24 of loopback cluster IPs and 200 node
// ports are accepted, Services get their cluster IPs and node ports from them, and the cluster
// reports the ranges that are in force, the test's own flags winning over the kit's.
import t from 'tap';
import type { Service } from '@kubets/api';
import { startTestCluster, testNodePortRange, testServiceClusterIpRange } from '../src/index.js';

const ipToInt = (ip: string) => ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);

/** Whether ip is one of the usable addresses of a /24 (not its network or broadcast address). */
function inSlash24(ip: string, cidr: string): boolean {
  const base = ipToInt(cidr.replace(/\/24$/, ''));
  const offset = ipToInt(ip) - base;
  return offset >= 1 && offset <= 254;
}

t.test("a drawn /24 of cluster IPs and 200 node ports: the API server allocates from them, and the cluster says which", async (t) => {
  const [cidr, ports] = [testServiceClusterIpRange(), testNodePortRange()];
  const c = await startTestCluster({ members: 1, apiserverFlags: [`--service-cluster-ip-range=${cidr}`, '--service-node-port-range', ports] });
  t.teardown(() => c.stop());
  t.equal(c.serviceClusterIpRange, cidr);
  t.equal(c.nodePortRange, ports, 'a flag given as two arguments is read too');

  const kubernetes = await c.client.get<Service>('services', 'default', 'kubernetes');
  t.ok(inSlash24(kubernetes.spec?.clusterIP ?? '', cidr), `the kubernetes Service's cluster IP ${kubernetes.spec?.clusterIP} is in ${cidr}`);
  const web = await c.client.create<Service>('services', 'default', {
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' },
    spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
  });
  t.ok(inSlash24(web.spec?.clusterIP ?? '', cidr), `a new Service's cluster IP ${web.spec?.clusterIP} is in ${cidr}`);
  const [first, last] = ports.split('-').map(Number);
  const nodePort = web.spec?.ports?.[0]?.nodePort ?? 0;
  t.ok(nodePort >= first! && nodePort <= last!, `its node port ${nodePort} is in ${ports}`);
});

t.test('without kube-proxies the kit sets no Service ranges: the API server keeps its defaults', async (t) => {
  const c = await startTestCluster({ members: 1 });
  t.teardown(() => c.stop());
  t.equal(c.serviceClusterIpRange, undefined);
  t.equal(c.nodePortRange, undefined);
  t.notOk(c.cluster.processes.some((p) => p.role === 'kube-proxy'), 'and runs no kube-proxy');
});
