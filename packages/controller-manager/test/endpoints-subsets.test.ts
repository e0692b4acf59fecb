// The Endpoints controller's pure decisions: which addresses and ports a Service's Endpoints
// lists for a set of pods, repacked as upstream, and when nothing needs writing.
import type { EndpointSubset, Endpoints } from '@kubets/api';
import t from 'tap';
import { desiredEndpoints, desiredSubsets, headlessLabel, repackSubsets } from '../src/controllers/endpoint/index.js';
import { maxCapacity, overCapacityAnnotation } from '../src/controllers/endpoint/truncate.js';
import { pod, service } from './endpoints-fixtures.js';

const ref = (name: string) => ({ kind: 'Pod', namespace: 'default', name, uid: `uid-${name}` });
const addr = (name: string, ip: string) => ({ ip, nodeName: 'node-1', targetRef: ref(name) });
const http = { name: 'http', port: 8080, protocol: 'TCP' };

t.test('subsets for a set of pods', async (t) => {
  const named = service('web', { ports: [{ name: 'http', port: 80, targetPort: 'web', protocol: 'TCP' }] });
  const cases: { rule: string; svc: ReturnType<typeof service>; pods: ReturnType<typeof pod>[]; want: EndpointSubset[] }[] = [
    {
      rule: 'ready pods are addresses, not-ready pods notReadyAddresses, in one subset of the shared port',
      svc: service('web'),
      pods: [pod('b', { ip: '10.1.0.2' }), pod('a', { ip: '10.1.0.1', ready: false })],
      want: [{ addresses: [addr('b', '10.1.0.2')], notReadyAddresses: [addr('a', '10.1.0.1')], ports: [http] }],
    },
    {
      rule: 'publishNotReadyAddresses lists every pod as ready',
      svc: service('web', { publishNotReadyAddresses: true }),
      pods: [pod('a', { ip: '10.1.0.1', ready: false })],
      want: [{ addresses: [addr('a', '10.1.0.1')], ports: [http] }],
    },
    {
      rule: 'pods without an IP, terminal pods and pods being deleted are left out',
      svc: service('web'),
      pods: [pod('noip'), pod('done', { ip: '10.1.0.3', phase: 'Succeeded' }), pod('gone', { ip: '10.1.0.4', deleting: true }), pod('a', { ip: '10.1.0.1' })],
      want: [{ addresses: [addr('a', '10.1.0.1')], ports: [http] }],
    },
    {
      rule: 'publishNotReadyAddresses keeps pods being deleted',
      svc: service('web', { publishNotReadyAddresses: true }),
      pods: [pod('gone', { ip: '10.1.0.4', deleting: true, ready: false })],
      want: [{ addresses: [addr('gone', '10.1.0.4')], ports: [http] }],
    },
    {
      rule: 'a named targetPort is resolved per pod, and a pod without it is left out of that port',
      svc: named,
      pods: [
        pod('a', { ip: '10.1.0.1', ports: [{ name: 'web', containerPort: 8080 }] }),
        pod('b', { ip: '10.1.0.2', ports: [{ name: 'web', containerPort: 9090 }] }),
        pod('c', { ip: '10.1.0.3', ports: [{ name: 'other', containerPort: 7070 }] }),
        pod('d', { ip: '10.1.0.4', ports: [{ name: 'web', containerPort: 8080, protocol: 'UDP' }] }),
      ],
      want: [
        { addresses: [addr('a', '10.1.0.1')], ports: [http] },
        { addresses: [addr('b', '10.1.0.2')], ports: [{ ...http, port: 9090 }] },
      ],
    },
    {
      rule: 'pods offering the same two ports share one subset with both ports',
      svc: service('web', { ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }, { name: 'metrics', port: 9100, targetPort: 9100, protocol: 'TCP' }] }),
      pods: [pod('a', { ip: '10.1.0.1' }), pod('b', { ip: '10.1.0.2' })],
      want: [{ addresses: [addr('a', '10.1.0.1'), addr('b', '10.1.0.2')], ports: [http, { name: 'metrics', port: 9100, protocol: 'TCP' }] }],
    },
    {
      rule: 'a headless Service without ports lists its pods without ports',
      svc: service('web', { clusterIP: 'None', ports: [] }),
      pods: [pod('a', { ip: '10.1.0.1' }), pod('b', { ip: '10.1.0.2', ready: false })],
      want: [{ addresses: [addr('a', '10.1.0.1')], notReadyAddresses: [addr('b', '10.1.0.2')] }],
    },
    {
      rule: 'the hostname is set when the pod names the Service as its subdomain',
      svc: service('web'),
      pods: [pod('a', { ip: '10.1.0.1', hostname: 'a0', subdomain: 'web' }), pod('b', { ip: '10.1.0.2', hostname: 'b0', subdomain: 'other' })],
      want: [{ addresses: [{ ...addr('a', '10.1.0.1'), hostname: 'a0' }, addr('b', '10.1.0.2')], ports: [http] }],
    },
    { rule: 'no pods, no subsets', svc: service('web'), pods: [], want: [] },
  ];
  for (const c of cases) t.same(desiredSubsets(c.svc, c.pods), c.want, c.rule);
});

t.test('repacking is canonical: the same contents in any order give the same subsets', async (t) => {
  const a = addr('a', '10.1.0.1');
  const b = addr('b', '10.1.0.2');
  const one = repackSubsets([{ addresses: [b], ports: [http] }, { addresses: [a], ports: [http] }]);
  const two = repackSubsets([{ addresses: [a, b], ports: [http] }]);
  t.same(one, two);
  t.same(one, [{ addresses: [a, b], ports: [http] }]);
  t.same(
    repackSubsets([{ addresses: [a], ports: [http] }, { notReadyAddresses: [a], ports: [http] }]),
    [{ notReadyAddresses: [a], ports: [http] }],
    'an address not ready on a port is not ready on it',
  );
});

t.test('the Endpoints to write', async (t) => {
  const svc = service('web', {}, { team: 'x' });
  const subsets = desiredSubsets(svc, [pod('a', { ip: '10.1.0.1' })]);
  const created = desiredEndpoints(undefined, svc, subsets, '2024-01-01T00:00:00Z')!;
  t.same(created.metadata, { name: 'web', namespace: 'default', labels: { team: 'x' }, annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': '2024-01-01T00:00:00Z' } });
  t.same(created.subsets, subsets);

  const stored: Endpoints = { ...created, metadata: { ...created.metadata, resourceVersion: '5' }, subsets: JSON.parse(JSON.stringify(subsets)) };
  stored.subsets![0]!.addresses![0]!.targetRef!.resourceVersion = '77';
  t.equal(desiredEndpoints(stored, svc, subsets, '2024-02-01T00:00:00Z'), undefined, 'same content: nothing to write, whatever the trigger time or target resourceVersions');
  t.equal(desiredEndpoints({ ...stored, subsets: [] }, svc, [], undefined)?.subsets, undefined, 'no pods: the subsets go');
  t.same(desiredEndpoints(stored, service('web', {}, { team: 'y' }), subsets, undefined)?.metadata?.labels, { team: 'y' }, 'Service labels are copied');

  const headless = service('web', { clusterIP: 'None' });
  t.same(desiredEndpoints(undefined, headless, subsets, undefined)?.metadata?.labels, { [headlessLabel]: '' }, 'headless label');
  const storedHeadless = desiredEndpoints(undefined, headless, subsets, undefined)!;
  t.equal(desiredEndpoints(storedHeadless, headless, subsets, undefined), undefined, 'the headless label is not a difference');
});

t.test('over 1000 addresses the Endpoints is truncated and annotated, ready ones first', async (t) => {
  const svc = service('web');
  const pods = Array.from({ length: 1200 }, (_, i) => pod(`p${i}`, { ip: `10.1.${Math.floor(i / 250)}.${i % 250}`, ready: i < 900 }));
  const ep = desiredEndpoints(undefined, svc, desiredSubsets(svc, pods), undefined)!;
  t.equal(ep.metadata?.annotations?.[overCapacityAnnotation], 'truncated');
  t.equal(ep.subsets![0]!.addresses!.length, 900, 'every ready address kept');
  t.equal(ep.subsets![0]!.notReadyAddresses!.length, maxCapacity - 900);
  t.equal(desiredEndpoints({ ...ep, metadata: { ...ep.metadata, resourceVersion: '3' } }, svc, desiredSubsets(svc, pods), undefined), undefined, 'truncated and unchanged: nothing to write');
  const fewer = desiredEndpoints({ ...ep, metadata: { ...ep.metadata, resourceVersion: '3' } }, svc, desiredSubsets(svc, pods.slice(0, 10)), undefined)!;
  t.equal(fewer.metadata?.annotations?.[overCapacityAnnotation], undefined, 'the annotation goes when it fits again');
});
