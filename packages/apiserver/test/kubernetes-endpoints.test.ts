// What the `kubernetes` Service's Endpoints and EndpointSlices say for a set of live API
// servers (the pure half of the lease endpoint reconciler), and how a server picks the address
// it advertises.

import t from 'tap';
import { desiredSlices, desiredSubsets, endpointsToWrite, sliceToWrite, staleSlices } from '../src/controlplane/kubernetes-endpoints.js';
import { resolveAdvertiseAddress } from '../src/controlplane/advertise-address.js';

const https = (port: number) => ({ name: 'https', port, protocol: 'TCP' });

t.test('servers on one port make one subset, addresses sorted and once, on the port named https', async (t) => {
  t.same(desiredSubsets([{ ip: '10.0.0.2', port: 6443 }, { ip: '10.0.0.1', port: 6443 }, { ip: '10.0.0.2', port: 6443 }]), [
    { addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [https(6443)] },
  ]);
});

t.test('servers sharing a host on different ports make one subset per port, in port order', async (t) => {
  t.same(desiredSubsets([{ ip: '127.0.0.1', port: 40002 }, { ip: '127.0.0.1', port: 40001 }]), [
    { addresses: [{ ip: '127.0.0.1' }], ports: [https(40001)] },
    { addresses: [{ ip: '127.0.0.1' }], ports: [https(40002)] },
  ]);
});

t.test('the Endpoints are created with the skip-mirror label, left alone when they agree, rewritten when they do not', async (t) => {
  const servers = [{ ip: '10.0.0.1', port: 6443 }];
  const created = endpointsToWrite(undefined, servers)!;
  t.same(created.metadata, { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } });
  t.same(created.subsets, [{ addresses: [{ ip: '10.0.0.1' }], ports: [https(6443)] }]);
  const stored = { ...created, metadata: { ...created.metadata, resourceVersion: '7' } };
  t.equal(endpointsToWrite(stored, servers), undefined, 'nothing to write');
  const grown = endpointsToWrite(stored, [...servers, { ip: '10.0.0.2', port: 6443 }])!;
  t.equal(grown.metadata!.resourceVersion, '7', 'an update at the version read');
  t.same((grown.subsets as any)[0].addresses, [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }]);
  const unlabelled = { ...stored, metadata: { name: 'kubernetes', namespace: 'default' } };
  t.same(endpointsToWrite(unlabelled, servers)!.metadata!.labels, { 'endpointslice.kubernetes.io/skip-mirror': 'true' });
});

t.test('the EndpointSlice kubernetes carries the first subset as ready IPv4 endpoints, labelled with the Service name only', async (t) => {
  const slices = desiredSlices(desiredSubsets([{ ip: '10.0.0.1', port: 6443 }, { ip: '127.0.0.1', port: 7443 }]));
  t.same([...slices.keys()], ['kubernetes', 'kubernetes-7443']);
  t.same(slices.get('kubernetes'), {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['10.0.0.1'], conditions: { ready: true } }],
    ports: [https(6443)],
  });
  const v6 = desiredSlices(desiredSubsets([{ ip: 'fd00::1', port: 6443 }]));
  t.equal(v6.get('kubernetes')!.addressType, 'IPv6');
});

t.test('a slice is written only when its addresses, ports or address type differ; stale ones of ours go, others stay', async (t) => {
  const desired = desiredSlices(desiredSubsets([{ ip: '10.0.0.1', port: 6443 }]));
  const want = desired.get('kubernetes')!;
  t.same(sliceToWrite(undefined, want), want);
  const stored = { ...want, metadata: { ...want.metadata, resourceVersion: '3', generation: 1 } };
  t.equal(sliceToWrite(stored, want), undefined);
  const moved = sliceToWrite({ ...stored, endpoints: [] }, want)!;
  t.equal(moved.metadata!.resourceVersion, '3');
  t.same(moved.endpoints, want.endpoints);
  const label = (name: string, labels: Record<string, string>) => ({ metadata: { name, labels } });
  const existing = [
    label('kubernetes', { 'kubernetes.io/service-name': 'kubernetes' }),
    label('kubernetes-7443', { 'kubernetes.io/service-name': 'kubernetes' }),
    label('kubernetes-abcde', { 'kubernetes.io/service-name': 'kubernetes', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' }),
    label('web-1', { 'kubernetes.io/service-name': 'web' }),
  ];
  t.same(staleSlices(existing, desired).map((s) => s.metadata?.name), ['kubernetes-7443']);
});

t.test('the advertised address: --advertise-address, else --bind-address, else an address of this host', async (t) => {
  t.equal(resolveAdvertiseAddress('10.1.2.3', '127.0.0.1'), '10.1.2.3');
  t.equal(resolveAdvertiseAddress(undefined, '127.0.0.1'), '127.0.0.1');
  t.equal(resolveAdvertiseAddress('', '127.0.0.5'), '127.0.0.5');
  const chosen = resolveAdvertiseAddress(undefined, '0.0.0.0');
  t.match(chosen, /^\d+\.\d+\.\d+\.\d+$/);
  t.not(chosen, '0.0.0.0');
});
