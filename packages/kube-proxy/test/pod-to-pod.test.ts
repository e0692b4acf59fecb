// The whole path a Service exists for: a kubelet runs a server pod, the controller manager lists
// it in the Service's EndpointSlice once it is ready, the kubelet gives a later pod the Service's
// environment variables, and that pod reaches the server through WEB_SERVICE_HOST:WEB_SERVICE_PORT
// (a cluster IP that kube-proxy forwards).
import t from 'tap';
import type { Pod, Service } from '@kubets/api';
import { eventually, startTestCluster } from '@kubets/testing';

const server = "require('http').createServer((q, s) => s.end('hello from ' + process.env.HOSTNAME)).listen(8080, process.env.KUBETS_POD_IP)";
// Tries until the Service answers (its endpoints follow the server's readiness), then prints the reply.
const client = `
const url = 'http://' + process.env.WEB_SERVICE_HOST + ':' + process.env.WEB_SERVICE_PORT + '/';
const attempt = () => require('http').get(url, (res) => {
  let body = '';
  res.on('data', (d) => (body += d)).on('end', () => { console.log(body); process.exit(body.startsWith('hello from web-0') ? 0 : 3); });
}).on('error', () => setTimeout(attempt, 200));
attempt();`;

const pod = (name: string, labels: Record<string, string>, script: string, restartPolicy: string): Pod => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels },
  spec: { nodeName: 'node-1', restartPolicy, terminationGracePeriodSeconds: 1, containers: [{ name: 'main', image: 'node:20', command: ['node', '-e', script] }] },
});

t.test('a pod reaches another pod through a Service\'s environment variables', async (t) => {
  const c = await startTestCluster({ members: 1, kubelets: 1, kubeProxies: 1, controllerManagers: 1, kubeletFlags: ['--sync-frequency=1s'], kubeProxyFlags: ['--min-sync-period=100ms'] });
  t.teardown(() => c.stop());
  await c.client.create<Service>('services', 'default', {
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' },
    spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
  });
  await c.client.create('pods', 'default', pod('web-0', { app: 'web' }, server, 'Always'));
  await c.client.create('pods', 'default', pod('client', {}, client, 'Never'));
  let last: Pod | undefined;
  await eventually(async () => {
    last = await c.client.get<Pod>('pods', 'default', 'client');
    return last.status?.phase === 'Succeeded' || last.status?.phase === 'Failed';
  }, 'the client pod finished', 60_000, 100).catch((e: Error) => { throw new Error(`${e.message}: ${JSON.stringify(last?.status)}`); });
  t.equal(last!.status?.phase, 'Succeeded', 'its request got the server pod\'s reply');
  t.equal(last!.status?.containerStatuses?.[0]?.state?.terminated?.exitCode, 0);
});
