// The proxy's view of Services and EndpointSlices: which ports are proxied, how slices merge into
// endpoints, which endpoints each traffic policy may use, and where the userspace path listens.
import t from 'tap';
import type { EndpointSlice, Service } from '@kubets/api';
import { endpointsByServicePort } from '../src/model/endpoints.js';
import { buildSnapshot } from '../src/model/snapshot.js';
import { servicePorts } from '../src/model/service-ports.js';
import { routeEndpoints } from '../src/model/topology.js';
import type { EndpointInfo } from '../src/model/types.js';
import { planListeners } from '../src/userspace/listen-plan.js';

function service(name: string, spec: NonNullable<Service['spec']>, labels: Record<string, string> = {}): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'default', name, labels }, spec: { clusterIP: '127.128.0.10', ...spec } };
}

type SliceEndpoint = NonNullable<EndpointSlice['endpoints']>[number];
function slice(name: string, svc: string, ports: { name?: string; port?: number }[], endpoints: SliceEndpoint[], addressType = 'IPv4'): EndpointSlice {
  return { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { namespace: 'default', name, labels: { 'kubernetes.io/service-name': svc } }, addressType, ports, endpoints };
}

const ep = (ip: string, extra: Partial<SliceEndpoint> = {}): SliceEndpoint => ({ addresses: [ip], ...extra });

t.test('servicePorts', async (t) => {
  t.test('a port per Service port, keyed ns/name:port', async (t) => {
    const ports = servicePorts(service('web', { ports: [{ name: 'http', port: 80 }, { name: 'dns', port: 53, protocol: 'UDP' }] }));
    t.same(ports.map((p) => [p.key, p.port, p.protocol]), [['default/web:http', 80, 'TCP'], ['default/web:dns', 53, 'UDP']]);
    t.same(ports[0]!.sessionAffinity, { clientIP: false, timeoutSeconds: 10800 }, 'affinity None, the default timeout');
  });
  t.test('not proxied: headless, ExternalName, another proxy\'s, no cluster IP yet', async (t) => {
    t.same(servicePorts(service('a', { clusterIP: 'None', ports: [{ port: 80 }] })), []);
    t.same(servicePorts(service('b', { type: 'ExternalName', externalName: 'x.example', ports: [{ port: 80 }] })), []);
    t.same(servicePorts(service('c', { ports: [{ port: 80 }] }, { 'service.kubernetes.io/service-proxy-name': 'other' })), []);
    t.same(servicePorts(service('d', { clusterIP: '', ports: [{ port: 80 }] })), []);
  });
  t.test('node ports only for NodePort and LoadBalancer; the external policy only where there is external traffic', async (t) => {
    const [cip] = servicePorts(service('a', { ports: [{ port: 80, nodePort: 30001 }], externalTrafficPolicy: 'Local' }));
    t.equal(cip!.nodePort, 0);
    t.equal(cip!.externalPolicyLocal, false);
    const [np] = servicePorts(service('b', { type: 'NodePort', ports: [{ port: 80, nodePort: 30001 }], externalTrafficPolicy: 'Local', internalTrafficPolicy: 'Local' }));
    t.equal(np!.nodePort, 30001);
    t.equal(np!.externalPolicyLocal, true);
    t.equal(np!.internalPolicyLocal, true);
  });
  t.test('ClientIP affinity with its timeout; load-balancer IPs from the status', async (t) => {
    const svc = service('a', { type: 'LoadBalancer', ports: [{ port: 80, nodePort: 30002 }], sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } });
    svc.status = { loadBalancer: { ingress: [{ ip: '127.200.0.1' }, { hostname: 'lb.example' }] } };
    const [p] = servicePorts(svc);
    t.same(p!.sessionAffinity, { clientIP: true, timeoutSeconds: 60 });
    t.same(p!.loadBalancerIPs, ['127.200.0.1']);
  });
});

t.test('endpointsByServicePort', async (t) => {
  t.test('slices join their Service by label and their port by name; sorted by address', async (t) => {
    const got = endpointsByServicePort([
      slice('web-b', 'web', [{ name: 'http', port: 8080 }], [ep('127.64.0.9', { nodeName: 'node-2' }), ep('127.64.0.10', { nodeName: 'node-1' })]),
      slice('web-a', 'web', [{ name: 'http', port: 8080 }, { name: 'admin', port: 9000 }], [ep('127.64.0.2', { nodeName: 'node-1' })]),
    ], 'node-1');
    t.same(got.get('default/web:http')!.map((e) => `${e.ip}:${e.port}:${e.isLocal}`), ['127.64.0.2:8080:true', '127.64.0.9:8080:false', '127.64.0.10:8080:true']);
    t.same(got.get('default/web:admin')!.map((e) => `${e.ip}:${e.port}`), ['127.64.0.2:9000']);
  });
  t.test('conditions: unset ready is ready, serving follows ready, terminating defaults false', async (t) => {
    const [a, b] = endpointsByServicePort([slice('s', 'web', [{ port: 80 }], [ep('127.64.0.1'), ep('127.64.0.2', { conditions: { ready: false, serving: true, terminating: true } })])], 'n').get('default/web:')!;
    t.match(a, { ready: true, serving: true, terminating: false });
    t.match(b, { ready: false, serving: true, terminating: true });
  });
  t.test('an endpoint in two slices counts once, the ready copy winning', async (t) => {
    const got = endpointsByServicePort([
      slice('s1', 'web', [{ port: 80 }], [ep('127.64.0.1', { conditions: { ready: false } })]),
      slice('s2', 'web', [{ port: 80 }], [ep('127.64.0.1', { conditions: { ready: true } })]),
    ], 'n').get('default/web:')!;
    t.equal(got.length, 1);
    t.equal(got[0]!.ready, true);
  });
  t.test('IPv6 and FQDN slices, slices without a service label and ports without a number are left out', async (t) => {
    const got = endpointsByServicePort([
      slice('v6', 'web', [{ port: 80 }], [ep('fd00::1')], 'IPv6'),
      slice('fq', 'web', [{ port: 80 }], [ep('x.example')], 'FQDN'),
      { ...slice('orphan', 'web', [{ port: 80 }], [ep('127.64.0.3')]), metadata: { namespace: 'default', name: 'orphan' } },
      slice('all-ports', 'web', [{ name: 'x' }], [ep('127.64.0.4')]),
    ], 'n');
    t.equal(got.size, 0);
  });
});

t.test('routeEndpoints', async (t) => {
  const e = (ip: string, o: Partial<EndpointInfo> = {}): EndpointInfo => ({ ip, port: 80, ready: true, serving: true, terminating: false, isLocal: false, ...o });
  const [svc] = servicePorts(service('web', { type: 'NodePort', ports: [{ port: 80, nodePort: 30003 }] }));
  const local = { ...svc!, internalPolicyLocal: true, externalPolicyLocal: true };
  t.test('ready endpoints for both kinds of traffic', async (t) => {
    const r = routeEndpoints(svc!, [e('a'), e('b', { ready: false, serving: false })]);
    t.same(r.internal.map((x) => x.ip), ['a']);
    t.same(r.external.map((x) => x.ip), ['a']);
    t.equal(r.hasAny, true);
  });
  t.test('no ready endpoint: the serving ones that terminate, never the not serving', async (t) => {
    const r = routeEndpoints(svc!, [e('a', { ready: false, serving: true, terminating: true }), e('b', { ready: false, serving: false, terminating: true })]);
    t.same(r.internal.map((x) => x.ip), ['a']);
  });
  t.test('Local policies: only this node\'s, even when others are ready', async (t) => {
    const r = routeEndpoints(local, [e('a'), e('b', { isLocal: true })]);
    t.same(r.internal.map((x) => x.ip), ['b']);
    t.same(r.external.map((x) => x.ip), ['b']);
    const none = routeEndpoints(local, [e('a')]);
    t.same(none.internal, []);
    t.equal(none.hasAny, true, 'there are endpoints elsewhere');
  });
  t.test('Local: a local terminating endpoint serves while no local one is ready', async (t) => {
    const r = routeEndpoints(local, [e('a'), e('b', { isLocal: true, ready: false, serving: true, terminating: true })]);
    t.same(r.external.map((x) => x.ip), ['b']);
  });
});

t.test('planListeners', async (t) => {
  const snapshot = buildSnapshot([
    service('web', { type: 'NodePort', clusterIP: '127.128.0.10', externalIPs: ['127.200.0.5'], ports: [{ name: 'http', port: 80, nodePort: 30080 }, { name: 'dns', port: 53, protocol: 'UDP', nodePort: 30053 }] }),
    service('api', { clusterIP: '127.128.0.11', ports: [{ port: 443 }] }),
    service('clash', { clusterIP: '127.128.0.12', externalIPs: ['127.128.0.11'], ports: [{ port: 443 }] }),
  ], [], 'node-1');
  const plan = planListeners(snapshot, ['127.0.1.1', '127.0.1.2']);
  t.same([...plan.listeners.keys()].sort(), ['127.0.1.1:30080', '127.0.1.2:30080', '127.128.0.10:80', '127.128.0.11:443', '127.128.0.12:443', '127.200.0.5:80']);
  t.match(plan.listeners.get('127.128.0.10:80'), { servicePort: 'default/web:http', scope: 'internal', nodePort: false });
  t.match(plan.listeners.get('127.0.1.2:30080'), { servicePort: 'default/web:http', scope: 'external', nodePort: true });
  t.match(plan.listeners.get('127.200.0.5:80'), { scope: 'external' });
  t.same([...plan.unsupported.keys()], ['default/web:dns']);
  t.equal(plan.listeners.get('127.128.0.11:443')!.servicePort, 'default/api:', 'the first by key keeps a clashing address');
  t.equal(plan.clashes.length, 1);
});
